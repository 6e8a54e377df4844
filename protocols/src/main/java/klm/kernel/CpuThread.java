package klm.kernel;

/**
 * A Java thread that is a simulated CPU for its whole life. Under Lincheck the models run on these
 * (no ThreadLocal lookups in the code under test); elsewhere a thread may instead be bound for a
 * while with {@link Cpu#runOn(Runnable)}.
 */
public final class CpuThread extends Thread {
    /** The CPU this thread is; a worker of the explorer's pool is bound anew for every execution. */
    Cpu cpu;
    /** The explorer's tag for this thread while an execution controls it ({@link CpuControl#bind}). */
    Object explorerTag;

    public CpuThread(Cpu cpu, Runnable body) {
        super(body, cpu.name());
        this.cpu = cpu;
        setDaemon(true);
    }

    /** A worker of the explorer's pool ({@link CpuControl#newWorker}): unbound until an execution gives it a CPU. */
    CpuThread(String name, Runnable body) {
        super(body, name);
        setDaemon(true);
    }

    public Cpu cpu() {
        return cpu;
    }
}
