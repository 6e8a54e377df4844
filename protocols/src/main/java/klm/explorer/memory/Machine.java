package klm.explorer.memory;

import klm.kernel.Location;

/**
 * What the execution engine offers a {@link Memory}: who is running, whether a wait condition is
 * being evaluated on trial or for real, location ids, announcing a step, and the strategy's choice
 * of which write a load reads.
 */
public interface Machine {
    /** CPUs under control. */
    int cpus();

    /** The name of CPU {@code cpu}: "CPU0". */
    String cpuName(int cpu);

    /** Steps CPU {@code cpu} has taken in this execution (a buffered store's program point). */
    int stepsTaken(int cpu);

    /** The CPU whose thread runs the current code, or -1 (the controller: set-up, the final check). */
    int running();

    /** During a trial evaluation, the waiting CPU it evaluates for; -1 otherwise. */
    int trialCpu();

    /** A number for the trial evaluation in progress (new for each), 0 when none. */
    long trial();

    /** True while a chosen waiter's condition runs for real, as one atomic step (no step inside). */
    boolean atomic();

    /** True once the execution ends (a halt, a deadlock, a cut): accesses are no longer steps. */
    boolean ending();

    /** The location id of {@code loc} (slot -1 for a scalar variable); ids are given in first-touch order. */
    int locationId(Location loc, int slot);

    /**
     * The running CPU's next step touches {@code footprint} (packed {@code id << 1 | write}):
     * announces it and waits to be chosen. In a trial it only adds the footprint (a write to a
     * runtime variable in a trial must go through {@link #access} or {@link #trialWrite}, which
     * undo it); in an atomic evaluation, while ending, or on the controller it does nothing.
     */
    void step(int[] footprint, String what);

    /**
     * As {@link #step(int[], String)}, for a step that may run only while {@code when} holds (under
     * TSO a fully ordered step waits until its CPU's store buffer is empty): the CPU is not enabled
     * until then, and it holds when the step runs. In a trial or an atomic evaluation the footprint
     * is added as by {@code step}, and while {@code when} does not hold the condition does not
     * pass (the waiter is not enabled, as when a wait nested in it cannot pass).
     */
    void step(int[] footprint, String what, java.util.function.BooleanSupplier when);

    /**
     * The id of a location that is no runtime variable, named {@code name} (the same id for the
     * same name in one execution): a model's own order between steps, as a write that must come
     * before a read (under TSO a store buffer's steps write one per CPU, and that CPU's fully
     * ordered steps read it). The strategy orders steps by it but never reverses them on it, and a
     * counterexample does not show it.
     */
    int orderLocation(String name);

    /**
     * One access of {@code loc} as a step of its own. In a trial the access joins the footprint and
     * a write is logged, to be undone when the trial ends.
     */
    void access(Location loc, int slot, boolean write);

    /**
     * A load of {@code loc} as a step of its own, whose write the model chooses among every write
     * the CPU's view allows and reports with {@link #readFrom} when it runs: announced as
     * {@link #access access(loc, slot, false)}, and marked for the strategy (a model whose
     * {@link MemoryModel#loadsFollowReadsFrom} is true). In a trial, an atomic evaluation, while
     * ending or on the controller, exactly {@code access(loc, slot, false)}.
     */
    void loadStep(Location loc, int slot);

    /** The index of the running step in this execution's schedule (0 the first step chosen). */
    int currentStep();

    /**
     * The running step's load ({@link #loadStep}) read the write made by step {@code step} of this
     * execution ({@link #currentStep} when it ran), or a write from before the execution ({@code
     * -1}); ignored in a trial, an atomic evaluation, while ending and on the controller.
     */
    void readFrom(int step);

    /** In a trial: writes {@code value} to memory now, undone when the trial ends, and adds the write to its footprint. */
    void trialWrite(Location loc, int slot, Object value);

    /** The strategy's choice for a load that may read {@code n > 1} writes: 0 the newest, k the k-th older one. */
    int chooseRead(int n);

    /** Shows {@code what} before CPU {@code cpu}'s next step in a counterexample. */
    void noteDecision(int cpu, String what);

    /** Location {@code id} changed outside a CPU's step (a buffered store reached memory): waiters on it look again. */
    void written(int id);
}
