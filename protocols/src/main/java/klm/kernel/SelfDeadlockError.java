package klm.kernel;

/**
 * A spin lock requested on the CPU that already holds it: an interrupt handler spinning on a lock
 * that the task it interrupted holds (or plain recursion). The holder cannot run until the spinner
 * returns, so this is certain, and it is reported at once in every mode instead of spinning forever.
 */
public final class SelfDeadlockError extends DeadlockError {
    public SelfDeadlockError(String report) {
        super("SELF_DEADLOCK", report);
    }

    @Override
    public DeadlockError copyForAnotherThread() {
        return new SelfDeadlockError(report());
    }
}
