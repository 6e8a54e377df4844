package klm.kernel;

/**
 * struct lockdep_map: an annotation-only "lock" that hand-made locks use to tell lockdep what they
 * are (lock_map_acquire(), lock_map_acquire_read() for a recursive read, lock_map_release()).
 * It does not block; it only reaches the hook point.
 */
public final class LockdepMap {
    private final LockClass cls;

    public LockdepMap(String name) {
        this.cls = LockClass.of(name);
    }

    public LockClass lockClass() {
        return cls;
    }

    /** lock_map_acquire(): an exclusive (write) acquisition. */
    public void lockMapAcquire() {
        LockHooks.acquire(cls, this, LockMode.WRITE, false);
    }

    /** lock_map_acquire_read(): a recursive read, the kernel's annotation for the homebrew hotplug readers. */
    public void lockMapAcquireRead() {
        LockHooks.acquire(cls, this, LockMode.RECURSIVE_READ, false);
    }

    /** lock_map_release(). */
    public void lockMapRelease() {
        LockHooks.release(cls, this, LockMode.WRITE);
    }
}
