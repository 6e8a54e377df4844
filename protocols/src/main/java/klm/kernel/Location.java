package klm.kernel;

/**
 * A runtime variable the explorer sees ({@link Word}, {@link Ptr}, {@link PerCpuInt}): it can read
 * and restore the variable's memory without a step, to evaluate a wait condition on trial and to
 * let a memory model move a buffered store to memory.
 */
public interface Location {
    Object exploreGet(int slot);

    void exploreSet(int slot, Object value);

    /** Location ids this variable needs (a per-CPU variable has one per slot). */
    default int width() {
        return 1;
    }
}
