package klm.kernel;

/**
 * What every lock of the runtime shares: its class, the hook point, and the held-lock bookkeeping
 * the deadlock detector reads (bounded mode only).
 */
abstract class KernelLock {
    final LockClass cls;
    /** Internal locks of another primitive (a percpu rwsem's writer mutex) are invisible to validators. */
    final boolean hooked;
    /** Waits.EXPLORING, copied into a final field (free under Lincheck, unlike a static read). */
    final boolean explored = Waits.EXPLORING;

    KernelLock(String name, boolean hooked) {
        this.cls = LockClass.of(name);
        this.hooked = hooked;
    }

    public LockClass lockClass() {
        return cls;
    }

    public String name() {
        return cls.name();
    }

    /** lock_acquire(): before waiting (or, for a trylock, after it succeeded). */
    final void hookAcquire(LockMode mode, boolean trylock) {
        if (hooked) {
            LockHooks.acquire(cls, this, mode, trylock);
        }
    }

    /** lock_release(). */
    final void hookRelease(LockMode mode) {
        if (hooked) {
            LockHooks.release(cls, this, mode);
        }
    }

    /** Now held by {@code me}: recorded for the deadlock detector. */
    final void held(Cpu me, LockMode mode) {
        if (Waits.MODE != Waits.Mode.LINCHECK) {
            me.held.push(this, cls.name(), mode, me.context().describe());
        }
    }

    final void dropped(Cpu me) {
        if (Waits.MODE != Waits.Mode.LINCHECK) {
            me.held.pop(this);
        }
    }

    /**
     * Explorer mode: names the kernel call the current CPU is inside ("spin_lock(hugetlb_lock)"), so
     * that the steps it takes show as that call in a counterexample. Returns what to restore.
     */
    static String enter(String fn, String lock) {
        if (!Waits.EXPLORING) {
            return null; // not reached in other modes: the call sites test the lock's final field first
        }
        Cpu me = Cpu.current();
        String outer = me.apiCall;
        if (outer == null) {
            me.apiCall = fn + "(" + lock + ")";
        }
        return outer;
    }

    static void leave(String outer) {
        Cpu.current().apiCall = outer;
    }

    @Override
    public String toString() {
        return cls.name();
    }
}
