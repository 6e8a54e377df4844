package klm.explorer.engine;

/** The explorer's side of an execution: called at every state to pick the entity that runs next. */
public interface Strategy {
    /**
     * Picks the next entity among the enabled ones of {@code state}, or returns {@link #CUT} to
     * abandon the execution (sleep-set blocked, or over the step bound). Called with at least one
     * enabled entity.
     */
    int choose(State state);

    /** The state has no enabled entity: the execution ends here (normally, or in a deadlock). */
    void terminal(State state);

    /**
     * The CPU just chosen loads a location it may read {@code n > 1} writes of (a model with read
     * choices); returns which (0: the newest, k: the k-th older one).
     */
    int chooseRead(State state, int n);

    /**
     * The step just chosen, a load the memory model marked ({@link State#viewLoad}), read the write
     * made by step {@code step} of this execution (0 the first step), or a write from before the
     * execution ({@code -1}). Nothing by default.
     */
    default void readFrom(State state, int step) {}

    int CUT = -1;
}
