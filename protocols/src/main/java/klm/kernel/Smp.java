package klm.kernel;

import java.util.ArrayList;
import java.util.List;

/**
 * A simulated machine: {@code nrCpus} CPUs. A deadlock detector looks only inside one machine, so
 * the CPUs of one scenario run belong to one {@code Smp}.
 */
public final class Smp {
    private final String name;
    private final Cpu[] cpus;
    private final Word halted = new Word();
    /** One thread runs the CPUs' tasks one after another (lockdep's single-threaded runs). */
    private volatile boolean sequential;

    public Smp(int nrCpus) {
        this("smp", nrCpus);
    }

    public Smp(String name, int nrCpus) {
        if (nrCpus < 1) {
            throw new IllegalArgumentException("a machine needs at least one CPU");
        }
        this.name = name;
        this.cpus = new Cpu[nrCpus];
        for (int i = 0; i < nrCpus; i++) {
            cpus[i] = new Cpu(this, i, "CPU" + i);
        }
    }

    private Smp(Thread unbound) {
        this.name = "implicit";
        this.cpus = new Cpu[] {new Cpu(this, -1, unbound.getName())};
    }

    /** A thread that was never bound to a simulated CPU runs as a CPU of its own (id -1) in task context. */
    static Cpu implicitCpuFor(Thread t) {
        Cpu c = new Smp(t).cpus[0];
        c.markRunning();
        return c;
    }

    /**
     * Stops the machine after a CPU died of a deadlock or a bug: every CPU waiting or spinning
     * throws {@link MachineHalted} at its next look, and sleepers are woken to look.
     */
    public void halt() {
        if (Waits.EXPLORING) {
            Explored.halting(this); // the explorer stops the other CPUs at their next step
        }
        if (halted.xchg(1) != 0) {
            return;
        }
        for (Cpu c : cpus) {
            WaitQueueHead q = c.sleepingOn;
            if (q != null) {
                q.wakeUpAll();
            }
        }
    }

    /**
     * Marks the machine as run one task at a time on one thread: an interrupt raised for a CPU that
     * is not running is then delivered at once, as that CPU (an idle CPU has interrupts enabled).
     */
    public void setSequential(boolean sequential) {
        this.sequential = sequential;
    }

    public boolean sequential() {
        return sequential;
    }

    public boolean halted() {
        return halted.readOnce() != 0;
    }

    public int nrCpus() {
        return cpus.length;
    }

    public Cpu cpu(int i) {
        return cpus[i];
    }

    List<Cpu> cpus() {
        return List.of(cpus);
    }

    public String name() {
        return name;
    }

    /** Starts {@code body} on a new thread that is CPU {@code i} for its whole life. */
    public CpuThread start(int i, Runnable body) {
        Cpu cpu = cpus[i];
        CpuThread t = new CpuThread(cpu, () -> {
            cpu.markRunning();
            try {
                body.run();
            } finally {
                cpu.markDone();
            }
        });
        ((Thread) t).start(); // as java/lang/Thread.start, the call Lincheck intercepts
        return t;
    }

    /** Starts one thread per body (CPU 0, 1, ...). */
    public List<CpuThread> startAll(List<Runnable> bodies) {
        if (bodies.size() > cpus.length) {
            throw new IllegalArgumentException(bodies.size() + " tasks for " + cpus.length + " CPUs");
        }
        List<CpuThread> threads = new ArrayList<>();
        for (int i = 0; i < bodies.size(); i++) {
            threads.add(start(i, bodies.get(i)));
        }
        return threads;
    }
}
