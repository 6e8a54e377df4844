package klm.kernel;

/**
 * A Java thread that is a simulated CPU for its whole life. Under Lincheck the models run on these
 * (no ThreadLocal lookups in the code under test); elsewhere a thread may instead be bound for a
 * while with {@link Cpu#runOn(Runnable)}.
 */
public final class CpuThread extends Thread {
    final Cpu cpu;
    /** Set when the explorer's scheduler controls this thread. */
    Scheduler.Slot slot;

    public CpuThread(Cpu cpu, Runnable body) {
        super(body, cpu.name());
        this.cpu = cpu;
        setDaemon(true);
    }

    public Cpu cpu() {
        return cpu;
    }
}
