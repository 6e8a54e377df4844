package klm.kernel;

import java.util.function.BooleanSupplier;

/**
 * wait_queue_head_t: {@link #waitEvent} sleeps until a condition holds, {@link #wakeUpAll} wakes
 * every sleeper to re-check. No wake-up is lost: a sleeper registers and re-checks the condition
 * under the queue's monitor, and a waker takes the same monitor after changing the state.
 */
public final class WaitQueueHead {
    /** Waits.EXPLORING, copied into a final field (free under Lincheck, unlike a static read). */
    private final boolean explored = Waits.EXPLORING;
    private final String name;
    final Word sleepers = new Word();

    public WaitQueueHead(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    /**
     * wait_event(wq, condition). As in the kernel, the condition must not sleep (it is evaluated
     * with the queue's monitor held: a condition that took a sleeping lock could deadlock with a
     * waker that holds that lock and wants to wake us).
     */
    public void waitEvent(BooleanSupplier condition) {
        Kernel.mightSleep("wait_event(" + name + ")");
        Waits.sleepUntil(this, condition, null, name, LockMode.EXCLUSIVE, false);
    }

    /** Used by sleeping locks: wait here until {@code condition}, blocked on {@code lock} in {@code mode}. */
    void waitForLock(BooleanSupplier condition, Object lock, String lockName, LockMode mode, boolean prefersWriters) {
        Waits.sleepUntil(this, condition, lock, lockName, mode, prefersWriters);
    }

    /** wake_up_all(). */
    public void wakeUpAll() {
        synchronized (this) {
            notifyAll();
        }
    }

    /** wake_up(): every sleeper re-checks its condition; the ones whose condition fails sleep again. */
    public void wakeUp() {
        wakeUpAll();
    }

    /** wq_has_sleeper(): smp_mb() then a look at the queue; pairs with the sleeper's registration. */
    public boolean wqHasSleeper() {
        Barrier.smpMb(explored);
        return sleepers.readOnce() > 0;
    }

    /**
     * The wake-up after a sleeping lock's release RMW (mutex_unlock(), up_read(), up_write()). In
     * the kernel the release is the whole fast path: the lock word itself says whether anyone waits
     * (MUTEX_FLAG_WAITERS, RWSEM_FLAG_WAITERS), and only then does the slow path wake them, with
     * the full barrier of wake_q_add() and try_to_wake_up(). Under the explorer no CPU sleeps (a
     * wait is a condition evaluated again after every write it reads), so there is no wake-up and
     * no barrier: the unlock is the release alone, as the kernel's uncontended unlock. On real
     * threads the sleepers sleep on this queue's monitor, and the check of {@link #wqHasSleeper}
     * with its barrier keeps their wake-up from being lost (on x86 the release RMW before it is a
     * locked instruction, a full barrier already, as the kernel's is).
     */
    void wakeUpAfterRelease() {
        if (explored && Waits.underExplorer()) {
            return;
        }
        wakeUpIfSleepers();
    }

    /**
     * A waker's fast path: wake only if someone sleeps (with the barrier that makes the check safe);
     * as rcuwait_wake_up(), whose smp_mb() runs on every call.
     */
    public void wakeUpIfSleepers() {
        if (wqHasSleeper()) {
            wakeUpAll();
        }
    }
}
