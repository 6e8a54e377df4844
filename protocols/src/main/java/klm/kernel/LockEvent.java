package klm.kernel;

/**
 * One acquire or release at a lock's hook point, as lockdep's lock_acquire() / lock_release() see
 * it: the lock class, the instance, the mode (read, write, recursive read, exclusive), whether it
 * was a trylock, and the context of the CPU that did it.
 */
public record LockEvent(Kind kind, LockClass lockClass, Object instance, LockMode mode, boolean trylock,
                        ExecContext context, Cpu cpu) {
    public enum Kind { ACQUIRE, RELEASE }
}
