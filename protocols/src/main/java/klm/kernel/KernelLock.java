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

    /** This lock apart from the others of its class (hugetlb_vma_lock[mm0]); its class name when it is the only one. */
    private final String instance;

    KernelLock(String name, boolean hooked) {
        this(name, name, hooked);
    }

    KernelLock(String className, String instance, boolean hooked) {
        this.cls = LockClass.of(className);
        this.instance = instance;
        this.hooked = hooked;
    }

    public LockClass lockClass() {
        return cls;
    }

    /** The name traces and reports use: the instance's (lockdep validates by {@link #lockClass()}). */
    public String name() {
        return instance;
    }

    /**
     * A trylock's answer; a failure is recorded as a context decision ("down_write_trylock(x) failed")
     * that the counterexample shows before the CPU's next step (explorer mode; nothing otherwise).
     */
    final boolean tried(String fn, boolean ok) {
        if (explored && !ok) {
            Cpu.current().noteDecision(fn + "(" + instance + ") failed");
        }
        return ok;
    }

    /** lock_acquire(): before waiting (or, for a trylock, after it succeeded). */
    final void hookAcquire(LockMode mode, boolean trylock) {
        if (hooked) {
            LockHooks.acquire(cls, this, mode, trylock);
        }
    }

    /**
     * Whether a validator makes this trylock fail before it tries (lockdep's contention pass: a path
     * that only runs when a trylock fails is otherwise never seen single-threaded).
     */
    final boolean trylockForcedToFail() {
        return hooked && LockHooks.failTrylock(cls, this);
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
            me.held.push(this, instance, mode, me.context().describe());
        }
    }

    final void dropped(Cpu me) {
        if (Waits.MODE != Waits.Mode.LINCHECK) {
            me.held.pop(this);
        }
    }

    /**
     * Explorer mode: names the kernel call the current CPU is inside ("spin_lock(hugetlb_lock)"), so
     * that the steps it takes show as that call in a counterexample. Returns what {@link #leaveCall}
     * restores; nothing happens in the other modes (a final field, so free under Lincheck).
     */
    final String enterCall(String fn) {
        if (!explored) {
            return null;
        }
        Cpu me = Cpu.current();
        String outer = me.apiCall;
        if (outer == null) {
            me.apiCall = fn + "(" + name() + ")";
        }
        return outer;
    }

    final void leaveCall(String outer) {
        if (explored) {
            Cpu.current().apiCall = outer;
        }
    }

    /** lockdep_assert_held() of a lock whose owner word is {@code owner} (a spin lock's, a mutex's). */
    final void assertHeld(Ptr<Cpu> owner) {
        String outer = enterCall("lockdep_assert_held");
        try {
            if (owner.readOnce() != Cpu.current()) {
                throw new KernelBug("NOT_HELD", "lockdep_assert_held(" + name() + ") failed on " + Cpu.current().describe());
            }
        } finally {
            leaveCall(outer);
        }
    }

    /**
     * The owner word as the releasing CPU sees it for its "do I hold it?" check. Under the explorer
     * a peek, not a step: only this CPU can make the owner itself, so no interleaving changes the answer.
     */
    static Cpu ownerSeenByHolder(Ptr<Cpu> owner) {
        return Waits.EXPLORING ? owner.peekLocal() : owner.readOnce();
    }

    @Override
    public String toString() {
        return instance;
    }
}
