package klm.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * A simulated CPU: one Java thread at a time runs it, as its task plus whatever interrupts are
 * delivered to it. Its state is what the kernel keeps in preempt_count and the irq flag:
 * hardirq nesting, a softirq being served, the bottom-half disable depth, irqs disabled, and the
 * preempt depth taken by spin locks.
 *
 * <p>Interrupts: {@link #raiseSoftirq} / {@link #raiseHardirq} may be called from any thread; the
 * handler runs on this CPU's thread at its next <em>interrupt point</em> where that class is
 * enabled, never while it is disabled. Interrupt points are every lock operation of the runtime,
 * every spin-wait iteration, local_irq_enable / local_bh_enable / irq restore, and
 * {@link Kernel#interruptPoint()} in model code. A hardirq's exit runs pending softirqs, as
 * irq_exit() does.
 *
 * <p>Bookkeeping for the deadlock detector (locks held, what the CPU waits for) is kept only in
 * bounded mode; under Lincheck nothing extra is touched.
 */
public final class Cpu {
    private static final ThreadLocal<Cpu> BOUND = new ThreadLocal<>();

    enum RunState { NEW, RUNNING, WAITING, IDLE, DONE }

    private final int id;
    private final String name;
    /** Waits.EXPLORING, copied into a final field (free under Lincheck, unlike a static read). */
    final boolean explored = Waits.EXPLORING;
    final Smp smp;

    // ---- preempt_count and the irq flag; only this CPU's thread touches them ----
    int hardirqCount;
    int softirqServing;
    int bhDisableCount;
    boolean irqsDisabled;
    int preemptCount;
    private String contextNote = "";
    /** The kernel call this CPU is inside (explorer mode only), for the counterexample's rows. */
    String apiCall;
    /**
     * Context decisions taken since this CPU's last visible step ("in_task() = true"), explorer mode
     * only: not steps themselves, they are shown in the counterexample before the step they precede.
     */
    private String decisions;

    // ---- interrupts raised for this CPU (any thread may raise) ----
    private record Irq(String name, Runnable handler, Irq next) {}

    /**
     * The task's state as the scheduler sees it (current->__state): {@link #TASK_RUNNING}, or
     * {@link #TASK_UNINTERRUPTIBLE} from set_current_state() in prepare_to_wait() until a wake-up
     * (or finish_wait()) sets it running again. Used under the explorer, where a sleep is a wait for it.
     */
    final Word taskState = new Word(TASK_RUNNING);
    static final int TASK_RUNNING = 0;
    static final int TASK_UNINTERRUPTIBLE = 2;

    private final Ptr<Irq> pendingHardirq = new Ptr<>();
    private final Ptr<Irq> pendingSoftirq = new Ptr<>();

    // ---- deadlock detector state (bounded mode) ----
    final HeldLocks held = new HeldLocks();
    volatile RunState runState = RunState.NEW;
    volatile WaitRecord waiting;
    volatile DeadlockError deadlock;
    /** The wait queue this CPU sleeps on, so that {@link Smp#halt()} can wake it. */
    volatile WaitQueueHead sleepingOn;

    Cpu(Smp smp, int id, String name) {
        this.smp = smp;
        this.id = id;
        this.name = name;
    }

    /** smp_processor_id(); -1 for a thread that is not one of a machine's simulated CPUs. */
    public int id() {
        return id;
    }

    public String name() {
        return name;
    }

    public Smp smp() {
        return smp;
    }

    /** The CPU the calling thread is running (its task and its interrupts): the kernel's {@code current}. */
    public static Cpu current() {
        Thread t = Thread.currentThread();
        if (t instanceof CpuThread ct) {
            Cpu c = ct.cpu;
            if (c.explored) {
                Cpu o = Explored.override();
                if (o != null) {
                    return o; // a waiter's condition evaluated on the running CPU's thread
                }
            }
            return c;
        }
        if (Waits.EXPLORING) {
            Cpu o = Explored.override();
            if (o != null) {
                return o;
            }
        }
        Cpu c = BOUND.get();
        if (c == null) {
            c = Smp.implicitCpuFor(t);
            BOUND.set(c);
        }
        return c;
    }

    /**
     * Runs {@code body} on the calling thread as this CPU's task (used where the threads belong to
     * someone else, as JCStress's actors do). The CPU starts in task context with everything enabled.
     */
    public void runOn(Runnable body) {
        if (Thread.currentThread() instanceof CpuThread ct && ct.cpu == this) {
            body.run();
            return;
        }
        Cpu previous = BOUND.get();
        BOUND.set(this);
        runState = RunState.RUNNING;
        try {
            body.run();
        } finally {
            runState = RunState.DONE;
            if (previous == null) {
                BOUND.remove();
            } else {
                BOUND.set(previous);
            }
        }
    }

    /**
     * Runs a scenario's set-up code as this CPU on the calling thread, before the run starts (for
     * example an invalidation that is already in progress), and leaves the CPU in the state it was
     * in: a set-up must not make the deadlock detector count the CPU as finished.
     */
    public void runSetUp(Runnable body) {
        RunState before = runState;
        try {
            runOn(body);
        } finally {
            runState = before;
        }
    }

    void markRunning() {
        runState = RunState.RUNNING;
    }

    void markDone() {
        runState = RunState.DONE;
    }

    // ---------------------------------------------------------------- context

    public ExecContext context() {
        return new ExecContext(id, hardirqCount > 0, softirqServing > 0, bhDisableCount > 0, irqsDisabled);
    }

    boolean softirqDeliverable() {
        return !irqsDisabled && hardirqCount == 0 && softirqServing == 0 && bhDisableCount == 0;
    }

    boolean hardirqDeliverable() {
        return !irqsDisabled && hardirqCount == 0;
    }

    /** For reports: "CPU0 (softirq)". */
    public String describe() {
        return name + " (" + context().describe() + contextNote + ")";
    }

    // ---------------------------------------------------------------- interrupts

    /** raise_softirq() aimed at this CPU: the handler runs here, in softirq context, when softirqs are enabled. */
    public void raiseSoftirq(String what, Runnable handler) {
        Cpu raiser = explored ? Cpu.current() : null;
        String outer = raiser == null ? null : raiser.label("raise_softirq(" + what + ") for " + name);
        push(pendingSoftirq, what, handler);
        if (raiser != null) {
            raiser.apiCall = outer;
        }
        deliverIfIdleInSequentialRun();
    }

    /** An interrupt for this CPU (an IPI or device irq): runs here in hardirq context when irqs are enabled. */
    public void raiseHardirq(String what, Runnable handler) {
        Cpu raiser = explored ? Cpu.current() : null;
        String outer = raiser == null ? null : raiser.label("raise irq(" + what + ") for " + name);
        push(pendingHardirq, what, handler);
        if (raiser != null) {
            raiser.apiCall = outer;
        }
        deliverIfIdleInSequentialRun();
    }

    /**
     * Explorer mode: names the steps this CPU takes from here as {@code call} in a counterexample,
     * unless it is already inside a named call (whose name stays); returns what to restore.
     */
    String label(String call) {
        String outer = apiCall;
        if (outer == null) {
            apiCall = call;
        }
        return outer;
    }

    /** In a sequential run, a CPU that is not running takes the interrupt now (on the raiser's thread). */
    private void deliverIfIdleInSequentialRun() {
        if (smp.sequential() && runState != RunState.RUNNING && Cpu.current() != this) {
            runOn(this::pollInterrupts);
        }
    }

    private static void push(Ptr<Irq> list, String what, Runnable handler) {
        for (;;) {
            Irq head = list.readDelivery();
            if (list.tryCmpxchg(head, new Irq(what, handler, head))) {
                return;
            }
        }
    }

    /** True when an interrupt is pending for this CPU and its class is enabled here. */
    boolean deliverablePending() {
        return (pendingHardirq.readDelivery() != null && hardirqDeliverable())
                || (pendingSoftirq.readDelivery() != null && softirqDeliverable());
    }

    /** Records a context decision for the counterexample (explorer mode; nothing otherwise). */
    void noteDecision(String what) {
        if (explored) {
            decisions = decisions == null ? what : decisions + "; " + what;
        }
    }

    /** The decisions since the last step, cleared. */
    String takeDecisions() {
        String d = decisions;
        decisions = null;
        return d;
    }

    /** ": handler name" while in an interrupt handler, for reports. */
    String contextNote() {
        return contextNote;
    }

    /** The per-CPU state a trial evaluation of a wait condition may change, saved to be restored. */
    Object saveForTrial() {
        return new Object[] {hardirqCount, softirqServing, bhDisableCount, irqsDisabled, preemptCount, contextNote,
                held.depth(), waiting, runState, decisions};
    }

    void restoreAfterTrial(Object saved) {
        Object[] s = (Object[]) saved;
        hardirqCount = (Integer) s[0];
        softirqServing = (Integer) s[1];
        bhDisableCount = (Integer) s[2];
        irqsDisabled = (Boolean) s[3];
        preemptCount = (Integer) s[4];
        contextNote = (String) s[5];
        held.truncate((Integer) s[6]);
        waiting = (WaitRecord) s[7];
        runState = (RunState) s[8];
        decisions = (String) s[9];
    }

    /** As {@link #interruptsPending()}, read from memory by the explorer's engine: not a step of any CPU. */
    boolean interruptsPendingInMemory() {
        return pendingHardirq.memory() != null || pendingSoftirq.memory() != null;
    }

    /** True when something was raised for this CPU and has not run yet. */
    public boolean interruptsPending() {
        return pendingHardirq.readDelivery() != null || pendingSoftirq.readDelivery() != null;
    }

    /** An interrupt point: delivers what is pending and enabled. Must be called on this CPU's thread. */
    public void pollInterrupts() {
        if (explored && Explored.suppressInterrupts()) {
            return; // inside a wait condition evaluated as one step
        }
        String outer = explored ? label("interrupts pending?") : null;
        boolean hard = pendingHardirq.readDelivery() != null && hardirqDeliverable();
        if (explored) {
            apiCall = outer;
        }
        if (hard) {
            runHardirqs();
        }
        outer = explored ? label("interrupts pending?") : null;
        boolean soft = pendingSoftirq.readDelivery() != null && softirqDeliverable();
        if (explored) {
            apiCall = outer;
        }
        if (soft) {
            runSoftirqs();
        }
    }

    private static List<Irq> takeAll(Ptr<Irq> list) {
        Irq head = list.xchg(null);
        List<Irq> fifo = new ArrayList<>();
        for (Irq i = head; i != null; i = i.next()) {
            fifo.add(0, i);
        }
        return fifo;
    }

    private void runHardirqs() {
        String outer = explored ? label("irq_enter()") : null;
        try {
            runHardirqsLabelled();
        } finally {
            if (explored) {
                apiCall = outer;
            }
        }
    }

    private void runHardirqsLabelled() {
        Interrupted interrupted = enterInterrupt();
        try {
            for (Irq irq : takeAll(pendingHardirq)) {
                boolean savedIrqs = irqsDisabled;
                String savedNote = contextNote;
                hardirqCount++;
                irqsDisabled = true;
                contextNote = ": " + irq.name();
                String savedCall = apiCall;
                apiCall = null;
                try {
                    irq.handler().run();
                } finally {
                    hardirqCount--;
                    irqsDisabled = savedIrqs;
                    contextNote = savedNote;
                    apiCall = savedCall;
                }
            }
        } finally {
            leaveInterrupt(interrupted);
        }
        // irq_exit(): run softirqs raised meanwhile, if we did not interrupt softirq/BH-off code.
        if (pendingSoftirq.readDelivery() != null && softirqDeliverable()) {
            runSoftirqs();
        }
    }

    private void runSoftirqs() {
        String outer = explored ? label("__do_softirq()") : null;
        try {
            runSoftirqsLabelled();
        } finally {
            if (explored) {
                apiCall = outer;
            }
        }
    }

    private void runSoftirqsLabelled() {
        Interrupted interrupted = enterInterrupt();
        try {
            while (pendingSoftirq.readDelivery() != null && softirqDeliverable()) {
                for (Irq irq : takeAll(pendingSoftirq)) {
                    String savedNote = contextNote;
                    softirqServing++;
                    contextNote = ": " + irq.name();
                    String savedCall = apiCall;
                    apiCall = null;
                    try {
                        irq.handler().run();
                    } finally {
                        softirqServing--;
                        contextNote = savedNote;
                        apiCall = savedCall;
                    }
                }
            }
        } finally {
            leaveInterrupt(interrupted);
        }
    }

    /** What an interrupt handler interrupted: a wait (or none) and the CPU's state. */
    private record Interrupted(WaitRecord waitRecord, RunState state) {}

    /**
     * While an interrupt handler runs, the CPU is running: not waiting (on top of a waiting task)
     * and not idle (on top of the idle loop of a CPU whose task has finished). The detector reads
     * this state: a handler run from the idle loop used to leave the CPU "idle" while it held a
     * lock, so a CPU waiting for that lock looked like the last one able to move, and a stall of
     * the handler's thread was reported as a HANG; and a wait inside such a handler
     * left the CPU "running" after it.
     */
    private Interrupted enterInterrupt() {
        Interrupted saved = new Interrupted(waiting, runState);
        if (waiting != null || runState != RunState.RUNNING) {
            waiting = null;
            runState = RunState.RUNNING;
            held.bump();
        }
        return saved;
    }

    private void leaveInterrupt(Interrupted saved) {
        if (saved.waitRecord() != null || saved.state() != RunState.RUNNING) {
            waiting = saved.waitRecord();
            runState = saved.state();
            held.bump();
        }
    }

    /**
     * The idle loop of a CPU whose task has finished: it keeps taking interrupts until
     * {@code allDone} holds (the other CPUs have finished too), then takes what is still pending.
     */
    public void idleUntil(BooleanSupplier allDone) {
        runState = RunState.IDLE;
        if (Waits.underExplorer()) {
            // The explorer ends the execution when every CPU is idle or done with nothing deliverable.
            while (Explored.await(this, this::deliverablePending, null, true)) {
                pollInterrupts();
            }
            runState = RunState.DONE;
            return;
        }
        Waits.spinUntil(() -> {
            pollInterrupts();
            return allDone.getAsBoolean();
        }, this);
        pollInterrupts();
        runState = RunState.DONE;
    }

    // ---------------------------------------------------------------- detector bookkeeping

    WaitRecord beginWait(WaitRecord w) {
        w.outer = waiting;
        waiting = w;
        runState = RunState.WAITING;
        held.bump();
        return w;
    }

    void endWait(WaitRecord w) {
        waiting = w.outer;
        runState = w.outer != null ? RunState.WAITING : RunState.RUNNING;
        held.bump();
    }

    @Override
    public String toString() {
        return name;
    }
}
