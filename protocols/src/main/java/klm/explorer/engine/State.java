package klm.explorer.engine;

/**
 * What a {@link Strategy} sees of an execution at a state: the entities it schedules (the CPUs
 * 0 .. cpus-1, then the memory model's own, such as store buffers), which can move, and what their
 * pending steps touch. The DPOR's tests implement it with a fake execution.
 */
public interface State {
    /** CPUs under control. */
    int cpus();

    /** Entities the strategy schedules: the CPUs, then the memory model's. */
    int entities();

    Status status(int e);

    /** True if entity {@code e} can take a step now. */
    boolean isEnabled(int e);

    /** The footprint of entity {@code e}'s pending step: packed {@code location << 1 | write}. */
    int[] footprint(int e);

    /**
     * True if entity {@code e}'s pending step is a load whose write the memory model chooses among
     * every write the CPU's view allows, and reports when it runs ({@link Strategy#readFrom}); false
     * for every other step (a wait condition, the checker's read, an RMW, a store) and by default.
     */
    default boolean viewLoad(int e) {
        return false;
    }

    /**
     * For a memory model's entity: how many steps of its CPU had run when its pending step was made
     * (it comes after those in program order); 0 for a CPU.
     */
    int origin(int e);

    /** The CPU an entity belongs to (a CPU: itself; a store buffer: its CPU). */
    int ownerCpu(int e);

    /** The entity that ran the last step, or -1. */
    int lastChosen();

    /** What the pending step is, in the runtime's words (the kernel call it is part of, or the wait). */
    String label(int e);

    /** The context decisions ("in_task() = true") CPU {@code e} took before its pending step, or null. */
    String decisions(int e);

    /** The CPU's context at its pending step; for a model's entity, what the model calls it. */
    String context(int e);

    String cpuName(int e);

    /** The name of location {@code id} (its variable's kind). */
    String locationName(int id);

    /**
     * True if location {@code id} is no runtime variable but a memory model's order between steps
     * ({@code Machine.orderLocation}): a write of it comes before every later read in every
     * execution, so a race on it is never reversed, and a trace does not show it.
     */
    default boolean orderOnly(int id) {
        return false;
    }

    /** The object behind location {@code id}, for naming it in a trace, or null. */
    Object locationObject(int id);
}
