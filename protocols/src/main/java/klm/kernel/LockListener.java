package klm.kernel;

/**
 * What a lock validator implements to watch every lock of the runtime (see {@link LockHooks}).
 * ACQUIRE is reported before the lock is waited for (as lockdep's lock_acquire() is, so that a
 * deadlock is predicted before it happens); a trylock is reported only when it succeeded.
 */
public interface LockListener {
    void onLockEvent(LockEvent event);

    /**
     * Asked before a trylock of a validated lock tries: true makes it fail as if another CPU held
     * the lock (lockdep's contention pass). By default never.
     */
    default boolean failTrylock(LockClass cls, Object instance) {
        return false;
    }
}
