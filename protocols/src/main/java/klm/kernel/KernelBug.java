package klm.kernel;

/**
 * What the kernel would report with BUG()/WARN() or a KASAN splat: a use-after-free, a double
 * free, sleeping in atomic context, unlocking a lock one does not hold. {@link #outcome()} is the
 * name a test reports it under (for example {@code USE_AFTER_FREE}).
 */
public class KernelBug extends RuntimeException {
    private final String outcome;

    public KernelBug(String outcome, String message) {
        super(outcome + ": " + message);
        this.outcome = outcome;
    }

    public String outcome() {
        return outcome;
    }
}
