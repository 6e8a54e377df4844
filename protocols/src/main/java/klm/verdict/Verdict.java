package klm.verdict;

/**
 * What a checker says about a variant. Expected verdicts use the first five; observed ones use
 * DEADLOCK, VIOLATION, CLEAN, NOT_RUN, and, when something went wrong with the checker itself,
 * ERROR or MISSING (no observation from this run).
 */
public enum Verdict {
    /** The checker found a deadlock (or a hang, or a self-deadlock). */
    DEADLOCK,
    /** The checker found an invariant broken (lost update, use-after-free, two inside...). */
    VIOLATION,
    /** Nothing found after the stated exploration. */
    CLEAN,
    /** A bug the checker cannot see by its nature or on this machine: nothing found is the expected result. */
    NOT_SEEN,
    /** This checker does not run on this variant (yet). */
    NOT_RUN,
    /** The checker failed to run properly (crash, timeout, test missing). */
    ERROR,
    /** No observation was recorded by this run. */
    MISSING;

    public boolean found() {
        return this == DEADLOCK || this == VIOLATION;
    }
}
