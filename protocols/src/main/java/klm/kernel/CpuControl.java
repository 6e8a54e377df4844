package klm.kernel;

import java.util.List;

/**
 * What the explorer's engine may do to the runtime's CPUs beyond running their code: bind a worker
 * thread to a CPU, mark it running or done, save and restore the per-CPU state a trial evaluation
 * of a wait condition may change, read the names a counterexample shows, and ask the deadlock
 * detector to explain CPUs that cannot move. Together with {@link Exploration} and {@link Explored}
 * it is the whole door between the runtime and the explorer.
 */
public final class CpuControl {
    private CpuControl() {}

    /** True in a JVM running the explorer's mode ({@code -Dklm.blocking=explorer}). */
    public static boolean exploring() {
        return Waits.EXPLORING;
    }

    /** A daemon thread that can run any CPU's code, bound per execution with {@link #bind}. */
    public static Thread newWorker(String name, Runnable body) {
        return new CpuThread(name, body);
    }

    /** Binds worker {@code t} to {@code cpu}; {@code tag} is the engine's, answered by {@link #tag}. */
    public static void bind(Thread t, Cpu cpu, Object tag) {
        CpuThread ct = (CpuThread) t;
        ct.cpu = cpu;
        ct.explorerTag = tag;
    }

    /** The engine's tag of the current thread, or null. */
    public static Object tag() {
        return Thread.currentThread() instanceof CpuThread ct ? ct.explorerTag : null;
    }

    public static void unbind(Thread t) {
        ((CpuThread) t).explorerTag = null;
    }

    public static void markRunning(Cpu c) {
        c.markRunning();
    }

    public static void markDone(Cpu c) {
        c.markDone();
    }

    /** The per-CPU state a trial evaluation may change, with the name of the call in progress. */
    public static Object saveForTrial(Cpu c) {
        return new Object[] {c.saveForTrial(), c.apiCall};
    }

    public static void restoreAfterTrial(Cpu c, Object saved) {
        Object[] s = (Object[]) saved;
        c.restoreAfterTrial(s[0]);
        c.apiCall = (String) s[1];
    }

    /** The kernel call the CPU is in, for naming its next step, or null. */
    public static String apiCall(Cpu c) {
        return c.apiCall;
    }

    /** The context decisions the CPU took since its last step ("in_task() = true"), cleared; or null. */
    public static String takeDecisions(Cpu c) {
        return c.takeDecisions();
    }

    /** Records a decision to show before the CPU's next step (a store that went to a buffer). */
    public static void noteDecision(Cpu c, String what) {
        c.noteDecision(what);
    }

    /** The CPU's context at its pending step: "task", "softirq: handler"... */
    public static String context(Cpu c) {
        return c.context().describe() + c.contextNote();
    }

    /** True when an interrupt raised for {@code c} has not run, read without a step (for the end of an execution). */
    public static boolean interruptsLeft(Cpu c) {
        return c.interruptsPendingInMemory();
    }

    public static void beginWait(Cpu c, WaitRecord w) {
        c.beginWait(w);
    }

    public static void endWait(Cpu c, WaitRecord w) {
        c.endWait(w);
    }

    /** What a wait is for, for a counterexample: "spin_lock(s)". */
    public static String describe(WaitRecord w) {
        return w.describe();
    }

    /** The deadlock report for CPUs of {@code smp} that wait and cannot move. */
    public static DeadlockError explainBlocked(Smp smp, List<Cpu> waiting) {
        return Waits.explainBlocked(smp, waiting);
    }
}
