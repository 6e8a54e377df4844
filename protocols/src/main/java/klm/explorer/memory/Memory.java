package klm.explorer.memory;

import klm.kernel.Exploration.Fence;
import klm.kernel.Exploration.Order;
import klm.kernel.Location;

/**
 * A memory model's state for one execution: it decides every access the runtime announces, and
 * schedules its own entities (store buffers) beside the CPUs. Every operation is abstract: a model
 * says what each one does, so none behaves as another model by omission. The running CPU's step
 * is announced through {@link Machine#step} (or {@link Machine#access}); see {@link Machine} for who
 * is running, trials and atomic evaluations.
 */
public interface Memory {
    /**
     * A load by the running CPU, with its step: the value it reads, or {@link klm.kernel.Explored#MEMORY}
     * when it reads the variable's memory.
     */
    Object load(Location loc, int slot, Order order);

    /** The checker's read: a step, reading the newest write the CPU can see; it orders nothing. */
    Object oracle(Location loc, int slot);

    /** A read without a step of what only the reading CPU can change: its own pending store, or MEMORY. */
    Object peekLocal(Location loc, int slot);

    /** A store; true when the model keeps it (the caller must not write memory), false when it writes memory now. */
    boolean store(Location loc, int slot, Object value, Order order);

    /** Before a read-modify-write (with its step); the caller then does it on memory and calls {@link #rmwEnd}. */
    void rmwBegin(Location loc, int slot, Order order);

    void rmwEnd(Location loc, int slot);

    void fence(Fence fence);

    // ---- the model's own entities, numbered 0 .. extraEntities-1 (the strategy sees cpus + k)

    /** True if entity {@code k} can take a step now. */
    boolean entityEnabled(int k);

    /** True if entity {@code k} has nothing left to do (an empty buffer). */
    boolean entityDone(int k);

    /** The footprint of entity {@code k}'s pending step. */
    int[] entityFootprint(int k);

    /**
     * How many steps of its CPU had run when entity {@code k}'s pending step was made (a buffered
     * store's program point): the step comes after those; 0 when it has none.
     */
    int entityOrigin(int k);

    /** Entity {@code k} takes its step (a buffered store reaches memory). */
    void entityStep(int k);

    /** Its name in a counterexample: "CPU0's store buffer". */
    String entityName(int k);

    /** Its context column in a counterexample: "store buffer". */
    String entityContext(int k);

    /** What the model still holds that has not reached memory (a buffered store), or null: an execution may end only without it. */
    String pending();
}
