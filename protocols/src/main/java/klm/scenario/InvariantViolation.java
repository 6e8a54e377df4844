package klm.scenario;

/** An invariant of a protocol found broken, under a name a test reports it by (e.g. PAGE_LOST). */
public final class InvariantViolation extends RuntimeException {
    private final String outcome;

    public InvariantViolation(String outcome, String message) {
        super(message);
        this.outcome = outcome;
    }

    public String outcome() {
        return outcome;
    }
}
