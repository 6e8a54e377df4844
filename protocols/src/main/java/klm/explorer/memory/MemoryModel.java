package klm.explorer.memory;

/**
 * A memory model of the explorer: what it is called, how it relates to the others, what it adds to
 * a schedule, and a fresh {@link Memory} for each execution, which decides every load, store,
 * read-modify-write and barrier. The models are an open set ({@link MemoryModels}): the explorer,
 * its strategies, its replay strings, the verdict columns and the pages ask the model, never which
 * model it is.
 */
public interface MemoryModel {
    /** The name on the command line ({@code -Dklm.memory=ID}) and in the results: "sc", "tso". */
    String id();

    /** The name of the model in prose and in its column's title: "x86-TSO". */
    String title();

    /** What the model lets happen and what it cannot show, for the pages (one paragraph, Markdown). */
    String legend();

    /** How to read this model's rows in a counterexample (Markdown, one clause), or empty when they need nothing. */
    String traceLegend();

    /**
     * The next stronger model: a variant's expectation under this model defaults to its expectation
     * there (what a stronger model shows, this one shows too; a fix clean there stays clean), or
     * null for the strongest model, whose default comes from the checkers that run under it.
     */
    MemoryModel stronger();

    /**
     * Whether the DPOR's sleep sets are sound under this model: a model whose extra entities (store
     * buffers) make the footprint independence of two steps say less than commutation answers false.
     */
    boolean sleepSetsSound();

    /**
     * Schedulable entities besides the CPUs, for {@code cpus} CPUs (store buffers); none by default.
     * Extra entity {@code k} belongs to CPU {@code k % cpus}.
     */
    default int extraEntities(int cpus) {
        return 0;
    }

    /**
     * The letter that names extra entity {@code k} in a replay string ("b" for "b0": CPU0's store
     * buffer), or null when the model has none (the default).
     */
    default String entityLetter() {
        return null;
    }

    /** What one of its extra entities is, for messages ("store buffer"), or null when the model has none (the default). */
    default String entityKind() {
        return null;
    }

    /** Whether a load may have a choice of writes to read, named "r" in replay strings ("0r1"); none by default. */
    default boolean readChoices() {
        return false;
    }

    /**
     * Whether the DPOR may treat a load the model marks ({@link Machine#loadStep}) as ordered after
     * the write it read only ({@link Machine#readFrom}), and leave the race of an earlier write of
     * its location with it unreversed. A model may answer true only when, for such a load L and a
     * write W of another CPU to its location, every write L may read with L before W it may also
     * read with L after W, reaching the same state (W takes the same place in coherence order
     * either way): {@link Ra}'s views do. False by default (under SC and TSO a load reads the one
     * newest write, so the order of W and L decides what L reads).
     */
    default boolean loadsFollowReadsFrom() {
        return false;
    }

    /**
     * Whether the steps of each extra entity and the steps of the CPU it belongs to commute wherever
     * both can move, except where they share an order-only location ({@link Machine#orderLocation}):
     * the DPOR then neither orders them by the other locations they share nor reverses them there.
     * {@link Tso} answers true (a CPU's load of a location its buffer's oldest store writes reads the
     * CPU's newest buffered store to it, before or after that store reaches memory). False by default.
     */
    default boolean entitiesCommuteWithTheirCpu() {
        return false;
    }

    /** The model's state for one execution of {@code machine}. */
    Memory newMemory(Machine machine);
}
