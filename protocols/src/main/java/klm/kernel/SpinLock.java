package klm.kernel;

/**
 * spinlock_t with the kernel's forms: spin_lock, spin_lock_irq, spin_lock_irqsave /
 * spin_unlock_irqrestore, spin_lock_bh, spin_trylock. The spinner takes interrupts that are
 * enabled on its CPU while it spins, as a real CPU does. A request on the CPU that already holds
 * the lock (an interrupt handler on top of the holding task, or plain recursion) can never be
 * granted and is reported at once as a {@link SelfDeadlockError}.
 */
public final class SpinLock extends KernelLock {
    private final Ptr<Cpu> owner = new Ptr<>();
    private ExecContext ownerContext;

    public SpinLock(String name) {
        super(name, true);
    }

    /** One lock of a class with many (a page table's ptl): lockdep sees {@code className}, traces {@code instance}. */
    public SpinLock(String className, String instance) {
        super(className, instance, true);
    }

    SpinLock(String name, boolean hooked) {
        super(name, hooked);
    }

    /** spin_lock(). */
    public void spinLock() {
        String outer = enterCall("spin_lock");
        try {
            Cpu me = Cpu.current();
            hookAcquire(LockMode.EXCLUSIVE, false);
            me.preemptCount++;
            if (Waits.underExplorer()) {
                // The explorer has no fast path: the CPU waits until the lock is free, then takes it in one step.
                if (owner.peekLocal() == me) {
                    me.preemptCount--;
                    throw selfDeadlock(me);
                }
                Waits.spinUntil(() -> owner.tryCmpxchgAcquire(null, me), this, name(), LockMode.EXCLUSIVE);
            } else if (!owner.tryCmpxchgAcquire(null, me)) {
                if (owner.readOnce() == me) {
                    me.preemptCount--;
                    throw selfDeadlock(me);
                }
                Waits.spinUntil(() -> owner.tryCmpxchgAcquire(null, me), this, name(), LockMode.EXCLUSIVE);
            }
            ownerContext = me.context();
            held(me, LockMode.EXCLUSIVE);
            me.pollInterrupts(); // the critical section can be interrupted wherever this CPU has interrupts on
        } finally {
            leaveCall(outer);
        }
    }

    /** spin_trylock(). */
    public boolean spinTrylock() {
        String outer = enterCall("spin_trylock");
        try {
            if (trylockForcedToFail()) {
                return tried("spin_trylock", false);
            }
            Cpu me = Cpu.current();
            if (!owner.tryCmpxchgAcquire(null, me)) {
                return tried("spin_trylock", false);
            }
            me.preemptCount++;
            ownerContext = me.context();
            hookAcquire(LockMode.EXCLUSIVE, true);
            held(me, LockMode.EXCLUSIVE);
            return true;
        } finally {
            leaveCall(outer);
        }
    }

    /** spin_unlock(). */
    public void spinUnlock() {
        String outer = enterCall("spin_unlock");
        try {
            Cpu me = Cpu.current();
            if (ownerSeenByHolder(owner) != me) {
                throw new KernelBug("BAD_UNLOCK", "spin_unlock(" + name() + ") on " + me.describe()
                        + " but the lock is held by " + owner.readOnce());
            }
            hookRelease(LockMode.EXCLUSIVE);
            dropped(me);
            owner.storeRelease(null);
            me.preemptCount--;
            me.pollInterrupts();
        } finally {
            leaveCall(outer);
        }
    }

    /** spin_lock_irq(): irqs off, then the lock. */
    public void spinLockIrq() {
        String outer = enterCall("spin_lock_irq");
        try {
            Kernel.localIrqDisable();
            spinLock();
        } finally {
            leaveCall(outer);
        }
    }

    /** spin_unlock_irq(). */
    public void spinUnlockIrq() {
        String outer = enterCall("spin_unlock_irq");
        try {
            spinUnlock();
            Kernel.localIrqEnable();
        } finally {
            leaveCall(outer);
        }
    }

    /** spin_lock_irqsave(): returns the flags for spin_unlock_irqrestore(). */
    public long spinLockIrqsave() {
        String outer = enterCall("spin_lock_irqsave");
        try {
            long flags = Kernel.localIrqSave();
            spinLock();
            return flags;
        } finally {
            leaveCall(outer);
        }
    }

    /** spin_unlock_irqrestore(). */
    public void spinUnlockIrqrestore(long flags) {
        String outer = enterCall("spin_unlock_irqrestore");
        try {
            spinUnlock();
            Kernel.localIrqRestore(flags);
        } finally {
            leaveCall(outer);
        }
    }

    /** spin_lock_bh(): bottom halves off, then the lock. */
    public void spinLockBh() {
        String outer = enterCall("spin_lock_bh");
        try {
            Kernel.localBhDisable();
            spinLock();
        } finally {
            leaveCall(outer);
        }
    }

    /** spin_unlock_bh(). */
    public void spinUnlockBh() {
        String outer = enterCall("spin_unlock_bh");
        try {
            spinUnlock();
            Kernel.localBhEnable();
        } finally {
            leaveCall(outer);
        }
    }

    /** spin_is_locked(): a read of the lock word with no ordering (atomic_read()); a relaxed load under RA. */
    public boolean spinIsLocked() {
        String outer = enterCall("spin_is_locked");
        try {
            return owner.plain() != null;
        } finally {
            leaveCall(outer);
        }
    }

    /** lockdep_assert_held(). */
    public void lockdepAssertHeld() {
        assertHeld(owner);
    }

    private SelfDeadlockError selfDeadlock(Cpu me) {
        return new SelfDeadlockError(me.describe() + " spins on " + name() + ", which this same CPU already holds (taken in "
                + (ownerContext == null ? "?" : ownerContext.describe()) + "): the holder cannot run again until the spinner returns");
    }
}
