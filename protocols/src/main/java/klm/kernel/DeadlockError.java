package klm.kernel;

/**
 * A deadlock found at run time: a cycle of CPUs each waiting for a lock another holds, a CPU that
 * interrupts itself on a lock it holds, or every CPU of a machine blocked with nothing left to wake
 * it. Thrown instead of hanging (bounded mode), so that a test can turn it into an outcome.
 * {@link #outcome()} names it: {@code DEADLOCK}, {@code SELF_DEADLOCK} or {@code HANG}, or a
 * scenario's own name for a wait that can never end ({@code COUNT_LEAK}).
 */
public class DeadlockError extends Error {
    private final String outcome;
    private final String report;

    public DeadlockError(String outcome, String report) {
        super(outcome + ": " + report);
        this.outcome = outcome;
        this.report = report;
    }

    public String outcome() {
        return outcome;
    }

    public String report() {
        return report;
    }

    /** The same report, to be thrown on another thread of the same deadlock. */
    public DeadlockError copyForAnotherThread() {
        return new DeadlockError(outcome, report);
    }
}
