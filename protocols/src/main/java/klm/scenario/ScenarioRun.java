package klm.scenario;

import java.util.ArrayList;
import java.util.List;

import klm.kernel.CpuThread;
import klm.kernel.DeadlockError;
import klm.kernel.MachineHalted;
import klm.kernel.Smp;
import klm.kernel.Waits;
import klm.kernel.Word;

/**
 * One run of a scenario on a fresh simulated machine: a task per CPU, then the invariant. The same
 * object is driven three ways: by {@link #runOnThreads()} (Lincheck's runConcurrentTest and the
 * plain-thread baseline), by JCStress actors calling {@link #runCpu(int)} and an arbiter calling
 * {@link #outcome()}.
 *
 * <p>A CPU whose task has finished stays idle and keeps taking interrupts until every CPU has
 * finished, so an interrupt raised late for it still runs.
 */
public abstract class ScenarioRun {
    protected final Smp smp;
    private final int cpus;
    private final Throwable[] errors;
    private final Word finished = new Word();
    private final Word started = new Word();
    /**
     * Under stress, a scenario with more CPUs than JCStress's two actors starts the others on helper
     * threads, which come late; so all its CPUs meet at a start line first. Not under Lincheck.
     */
    private final boolean alignStarts;

    protected ScenarioRun(int cpus) {
        this(cpus, cpus);
    }

    /** {@code cpus} tasks on a machine of {@code machineCpus} CPUs (per-CPU data is sized by the machine). */
    protected ScenarioRun(int cpus, int machineCpus) {
        this.cpus = cpus;
        this.smp = new Smp(machineCpus);
        this.errors = new Throwable[cpus];
        this.alignStarts = Waits.bounded() && cpus > 2;
    }

    public final int cpus() {
        return cpus;
    }

    /** The task that CPU {@code cpu} runs. */
    protected abstract void task(int cpu);

    /** The invariant, checked once every CPU finished without error. */
    protected abstract Outcome check();

    /**
     * True if interrupts may be raised in this scenario: then a CPU whose task finished idles,
     * taking interrupts, until all CPUs finished. Scenarios without interrupts skip the idle loop.
     */
    protected boolean usesInterrupts() {
        return false;
    }

    /** Runs CPU {@code i}'s task on the calling thread (as that CPU), recording what it threw. */
    public final void runCpu(int i) {
        smp.cpu(i).runOn(() -> {
            Throwable error = null;
            try {
                startLine();
                task(i);
            } catch (Throwable t) {
                error = t;
                if (!(t instanceof MachineHalted)) {
                    smp.halt(); // a CPU died: stop the others instead of letting them hang on its locks
                }
            } finally {
                if (!Waits.EXPLORING) {
                    finished.incReturn(); // the explorer knows who finished; a shared counter would only add races
                }
            }
            if (error == null && usesInterrupts()) {
                try {
                    smp.cpu(i).idleUntil(() -> finished.readOnce() == cpus);
                } catch (Throwable t) {
                    error = t;
                }
            }
            errors[i] = error;
        });
    }

    /**
     * Runs CPU {@code i} on the calling thread and CPUs {@code firstHelper..cpus-1} on helper
     * threads that it starts and joins. JCStress needs a hardware CPU per actor and refuses a
     * 3-actor test on a 2-core machine, so a 3-CPU scenario runs as two actors, the first of which
     * brings up the third CPU this way.
     */
    public final void runCpuWithHelpers(int i, int firstHelper) {
        List<Thread> helpers = new ArrayList<>();
        for (int c = firstHelper; c < cpus; c++) {
            final int cpu = c;
            helpers.add(smp.start(c, () -> runCpu(cpu)));
        }
        runCpu(i);
        joinAll(helpers);
    }

    /**
     * Waits (a bounded spin) until every CPU has arrived, so that a helper's CPU is not
     * systematically late. JCStress aligns its own actors the same way.
     */
    private void startLine() {
        if (!alignStarts || smp.sequential()) {
            return;
        }
        started.incReturn();
        long deadline = System.nanoTime() + 1_000_000_000L;
        while (started.readOnce() < cpus && System.nanoTime() < deadline) {
            Thread.yield(); // more CPUs than cores: a pure spin would starve the one we wait for
        }
    }

    /** The outcome of the run: the most serious error a CPU threw, or else the invariant. */
    public final Outcome outcome() {
        Outcome o = judge();
        if (DETAILS_PER_NAME > 0 && o.category() != Outcome.Category.OK) {
            logDetail(o);
        }
        return o;
    }

    /**
     * Under JCStress an outcome is only its name; with {@code -Dklm.outcome.details=N} the first N
     * reports of each bad outcome name in this JVM go to stderr in full (which rule fired, the
     * CPUs, their locks), where the JCStress stage picks them up for the observation's detail.
     */
    static final int DETAILS_PER_NAME = Integer.getInteger("klm.outcome.details", 0);
    public static final String DETAIL_MARK = "[klm-outcome] ";
    private static final java.util.concurrent.ConcurrentHashMap<String, java.util.concurrent.atomic.AtomicInteger> LOGGED =
            new java.util.concurrent.ConcurrentHashMap<>();

    private static void logDetail(Outcome o) {
        if (LOGGED.computeIfAbsent(o.name(), k -> new java.util.concurrent.atomic.AtomicInteger()).incrementAndGet()
                <= DETAILS_PER_NAME) {
            System.err.println(DETAIL_MARK + o.name() + ": " + o.detail().replace("\n", "\n    "));
        }
    }

    private Outcome judge() {
        Throwable worst = null;
        for (Throwable t : errors) {
            if (t != null && (worst == null || rank(t) > rank(worst))) {
                worst = t;
            }
        }
        if (worst != null) {
            return Outcome.of(worst);
        }
        try {
            return check();
        } catch (Throwable t) {
            return Outcome.of(t);
        }
    }

    private static int rank(Throwable t) {
        if (t instanceof MachineHalted) {
            return 0; // only a consequence of another CPU's error
        }
        return t instanceof DeadlockError ? 3 : Outcome.of(t).category() == Outcome.Category.VIOLATION ? 2 : 1;
    }

    /** Starts one {@link CpuThread} per CPU, joins them, and returns the outcome. */
    public final Outcome runOnThreads() {
        List<CpuThread> threads = new ArrayList<>();
        for (int i = 0; i < cpus; i++) {
            final int cpu = i;
            threads.add(smp.start(i, () -> runCpu(cpu)));
        }
        joinAll(threads);
        return outcome();
    }

    private static void joinAll(List<? extends Thread> threads) {
        // Typed as Thread on purpose: Lincheck intercepts calls compiled as java/lang/Thread.join,
        // not klm/kernel/CpuThread.join, and an uninstrumented join hangs its scheduler.
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * Runs the CPUs' tasks one after another on the calling thread (each as its CPU, taking its
     * pending interrupts when done), then the invariant: every path once, single-threaded, the way
     * lockdep needs them to predict a deadlock without it happening.
     */
    public final Outcome runSequentially() {
        smp.setSequential(true);
        for (int i = 0; i < cpus; i++) {
            final int cpu = i;
            smp.cpu(i).runOn(() -> {
                try {
                    task(cpu);
                    smp.cpu(cpu).pollInterrupts();
                } catch (Throwable t) {
                    errors[cpu] = t;
                }
            });
        }
        return outcome();
    }

    /**
     * The CPUs' tasks as the explorer runs them, one body per CPU (each records its own errors and
     * runs its CPU's idle loop at the end); the outcome of the execution is then {@link #outcome()}.
     */
    public final Smp smp() {
        return smp;
    }

    public final List<Runnable> controlledBodies() {
        List<Runnable> bodies = new ArrayList<>();
        for (int i = 0; i < cpus; i++) {
            final int cpu = i;
            bodies.add(() -> runCpu(cpu));
        }
        return bodies;
    }

    /** The first error CPU {@code i} threw, or null. */
    public final Throwable error(int i) {
        return errors[i];
    }
}
