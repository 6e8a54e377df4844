package klm.verdict;

import java.util.Set;
import java.util.TreeSet;

/**
 * The verdict a checker is expected to give on a variant: a kind of finding and the outcome names
 * that count as that finding, or clean, or not seen (with the reason), or not run.
 */
public record Expectation(Verdict verdict, Set<String> outcomes, String why) {
    public Expectation {
        outcomes = Set.copyOf(outcomes);
        why = why == null ? "" : why;
    }

    public static Expectation deadlock(String... outcomes) {
        return new Expectation(Verdict.DEADLOCK, Set.of(outcomes), "");
    }

    public static Expectation violation(String... outcomes) {
        return new Expectation(Verdict.VIOLATION, Set.of(outcomes), "");
    }

    public static Expectation clean() {
        return new Expectation(Verdict.CLEAN, Set.of(), "");
    }

    /** The bug is there but this checker cannot see it; {@code why} is shown in the results. */
    public static Expectation notSeen(String why) {
        return new Expectation(Verdict.NOT_SEEN, Set.of(), why);
    }

    public static Expectation notRun(String why) {
        return new Expectation(Verdict.NOT_RUN, Set.of(), why);
    }

    public Expectation because(String reason) {
        return new Expectation(verdict, outcomes, reason);
    }

    /**
     * Whether an observation meets this expectation. A finding must be of the expected kind and
     * every bad outcome observed must be one of the expected names (an unexpected bad outcome means
     * the model or the checker is not doing what we think).
     */
    public boolean matches(Verdict observed, Set<String> observedOutcomes) {
        return switch (verdict) {
            case NOT_RUN -> observed == Verdict.NOT_RUN;
            case CLEAN, NOT_SEEN -> observed == Verdict.CLEAN;
            case DEADLOCK, VIOLATION -> observed == verdict && !observedOutcomes.isEmpty()
                    && (outcomes.isEmpty() || outcomes.containsAll(observedOutcomes));
            default -> false;
        };
    }

    /** "VIOLATION (LOST_UPDATE)", "NOT_SEEN", ... */
    public String label() {
        if (outcomes.isEmpty()) {
            return verdict.name();
        }
        return verdict.name() + " (" + String.join(", ", new TreeSet<>(outcomes)) + ")";
    }
}
