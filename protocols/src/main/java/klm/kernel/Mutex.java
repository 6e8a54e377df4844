package klm.kernel;

/** struct mutex: a sleeping lock with an owner. Sleeping in atomic context is a bug, as might_sleep() says. */
public final class Mutex extends KernelLock {
    private final Ptr<Cpu> owner = new Ptr<>();
    private final WaitQueueHead wq;

    public Mutex(String name) {
        this(name, true);
    }

    /** One mutex of a class with many (a hashed table's): lockdep sees {@code className}, traces {@code instance}. */
    public Mutex(String className, String instance) {
        super(className, instance, true);
        this.wq = new WaitQueueHead(instance + ".wait_list");
    }

    /**
     * A mutex excluded from lock validation, as lockdep_set_novalidate_class() does (the homebrew
     * hotplug locks' inner mutex was): it still blocks, but validators never see it.
     */
    public static Mutex novalidate(String name) {
        return new Mutex(name, false);
    }

    Mutex(String name, boolean hooked) {
        super(name, hooked);
        this.wq = new WaitQueueHead(name + ".wait_list");
    }

    /** mutex_lock(). */
    public void mutexLock() {
        String outer = enterCall("mutex_lock");
        try {
            Kernel.mightSleep("mutex_lock(" + name() + ")");
            Cpu me = Cpu.current();
            hookAcquire(LockMode.EXCLUSIVE, false);
            if (Waits.underExplorer() || !owner.tryCmpxchgAcquire(null, me)) { // the explorer: wait until free, take it in one step
                wq.waitForLock(() -> owner.tryCmpxchgAcquire(null, me), this, name(), LockMode.EXCLUSIVE, false);
            }
            held(me, LockMode.EXCLUSIVE);
            me.pollInterrupts();
        } finally {
            leaveCall(outer);
        }
    }

    /** mutex_trylock(). */
    public boolean mutexTrylock() {
        String outer = enterCall("mutex_trylock");
        try {
            if (trylockForcedToFail()) {
                return tried("mutex_trylock", false);
            }
            Cpu me = Cpu.current();
            if (!owner.tryCmpxchgAcquire(null, me)) {
                return tried("mutex_trylock", false);
            }
            hookAcquire(LockMode.EXCLUSIVE, true);
            held(me, LockMode.EXCLUSIVE);
            return true;
        } finally {
            leaveCall(outer);
        }
    }

    /** mutex_unlock(). */
    public void mutexUnlock() {
        String outer = enterCall("mutex_unlock");
        try {
            Cpu me = Cpu.current();
            if (ownerSeenByHolder(owner) != me) {
                throw new KernelBug("BAD_UNLOCK", "mutex_unlock(" + name() + ") on " + me.describe()
                        + " but the owner is " + owner.readOnce());
            }
            hookRelease(LockMode.EXCLUSIVE);
            dropped(me);
            // __mutex_unlock_fast(): atomic_long_try_cmpxchg_release(&lock->owner, current, 0), a
            // release and no more; the kernel's full barrier is on the slow path's wake-up only.
            if (!owner.tryCmpxchgRelease(me, null)) {
                throw new KernelBug("BAD_UNLOCK", "mutex_unlock(" + name() + ") on " + me.describe()
                        + " but the owner changed under it to " + owner.readOnce());
            }
            wq.wakeUpAfterRelease();
            me.pollInterrupts();
        } finally {
            leaveCall(outer);
        }
    }

    /** mutex_is_locked(). */
    public boolean mutexIsLocked() {
        String outer = enterCall("mutex_is_locked");
        try {
            return owner.readOnce() != null;
        } finally {
            leaveCall(outer);
        }
    }

    /** lockdep_assert_held(). */
    public void lockdepAssertHeld() {
        assertHeld(owner);
    }
}
