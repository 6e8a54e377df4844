package klm.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * wait_queue_head_t: {@link #waitEvent} sleeps until a condition holds, {@link #wakeUpAll} wakes
 * every sleeper to re-check.
 *
 * <p>On real threads (the bounded and Lincheck modes) no wake-up is lost: a sleeper registers and
 * re-checks the condition under the queue's monitor, and a waker takes the same monitor after
 * changing the state. Under the explorer, a queue made by {@link #sleeping} has sleeping as the
 * kernel's sequence of steps, so a wake-up can be lost as in the kernel: {@code ___wait_event()} checks the condition, then loops over
 * prepare_to_wait() (the task joins the queue and sets its state, with set_current_state()'s full
 * barrier), a second check, and schedule(), which sleeps until a waker sets the task running; a
 * wake-up takes the queue's entries and sets each task running. A task asleep with nobody left to
 * wake it is a HANG naming it. The queue's spin lock is folded into fully ordered read-modify-writes
 * of its entry list: the kernel's try_to_wake_up() has smp_mb__after_spinlock() when it wakes a
 * task; when a wake-up finds nobody, the kernel only takes and releases the lock, and the model is
 * stronger there. On a queue made by the constructor, and in the sleeping locks' own waits (mutex,
 * rwsem), a waiter is a condition the explorer re-evaluates, enabled exactly when it holds: a lost
 * wake-up cannot happen there, and the explorations stay the size they are (with every queue
 * sleeping, hotplug's homebrew-both grew past its budget: docs/DESIGN.md).
 */
public final class WaitQueueHead {
    /** Waits.EXPLORING, copied into a final field (free under Lincheck, unlike a static read). */
    private final boolean explored = Waits.EXPLORING;
    private final String name;
    private final boolean sleeps;
    final Word sleepers = new Word();
    /** Under the explorer: the tasks (CPUs) on this queue; a new list each change. */
    private final Ptr<List<Cpu>> entries = new Ptr<>(List.of());

    /** A queue whose waiters the explorer runs as conditions (see the class comment). */
    public WaitQueueHead(String name) {
        this(name, false);
    }

    private WaitQueueHead(String name, boolean sleeps) {
        this.name = name;
        this.sleeps = sleeps;
    }

    /** A queue whose waiters the explorer puts to sleep as the kernel does, so that a lost wake-up is a HANG. */
    public static WaitQueueHead sleeping(String name) {
        return new WaitQueueHead(name, true);
    }

    /** Whether the explorer runs this queue's waits as the kernel's sleeps (else as conditions). */
    boolean sleeps() {
        return sleeps;
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
        if (explored && sleeps && Waits.underExplorer()) {
            String outer = enter("wake_up");
            // __wake_up(): under wq->lock, try_to_wake_up() each entry; autoremove_wake_function() unlinks it
            for (Cpu c : entries.xchg(List.of())) {
                c.taskState.writeOnce(Cpu.TASK_RUNNING);
            }
            leave(outer);
            return;
        }
        synchronized (this) {
            notifyAll();
        }
    }

    /**
     * ___wait_event() under the explorer, with {@code w} naming the wait for a HANG report: the
     * condition, then prepare_to_wait(), the condition again, schedule(), until the condition holds;
     * then finish_wait().
     */
    void sleepExplored(BooleanSupplier condition, WaitRecord w) {
        Cpu me = Cpu.current();
        if (condition.getAsBoolean()) {
            return; // wait_event()'s first check, before any barrier
        }
        WaitRecord asleep = new WaitRecord(w.lock, "a wake-up on " + name + ", asleep in wait_event()", w.mode, false);
        for (;;) {
            prepareToWait(me);
            if (condition.getAsBoolean()) {
                break;
            }
            Explored.await(me, () -> me.taskState.readOnce() == Cpu.TASK_RUNNING, asleep, false); // schedule()
        }
        finishWait(me);
    }

    /** prepare_to_wait(): set_current_state(TASK_UNINTERRUPTIBLE) and join the queue, under wq->lock (a full barrier). */
    private void prepareToWait(Cpu me) {
        String outer = enter("prepare_to_wait");
        try {
            prepareToWaitSteps(me);
        } finally {
            leave(outer);
        }
    }

    private void prepareToWaitSteps(Cpu me) {
        me.taskState.writeOnce(Cpu.TASK_UNINTERRUPTIBLE);
        for (;;) {
            List<Cpu> l = entries.readOnce();
            if (l.contains(me)) {
                entries.xchg(l); // already queued: the lock and the barrier only
                return;
            }
            List<Cpu> more = new ArrayList<>(l);
            more.add(me);
            if (entries.tryCmpxchg(l, List.copyOf(more))) {
                return;
            }
        }
    }

    /** finish_wait(): __set_current_state(TASK_RUNNING), then leave the queue if a wake-up has not unlinked us. */
    private void finishWait(Cpu me) {
        String outer = enter("finish_wait");
        try {
            finishWaitSteps(me);
        } finally {
            leave(outer);
        }
    }

    private void finishWaitSteps(Cpu me) {
        me.taskState.writeOnce(Cpu.TASK_RUNNING);
        for (;;) {
            List<Cpu> l = entries.readOnce();
            if (!l.contains(me)) {
                return; // list_empty_careful(): already unlinked, no lock taken
            }
            List<Cpu> less = new ArrayList<>(l);
            less.remove(me);
            if (entries.tryCmpxchg(l, List.copyOf(less))) {
                return;
            }
        }
    }

    /** wake_up(): every sleeper re-checks its condition; the ones whose condition fails sleep again. */
    public void wakeUp() {
        wakeUpAll();
    }

    /** wq_has_sleeper(): smp_mb() then a look at the queue; pairs with the sleeper's registration. */
    public boolean wqHasSleeper() {
        Barrier.smpMb(explored);
        return waitqueueActive();
    }

    /**
     * waitqueue_active(): a look at the queue without a barrier. A waker that stores its condition
     * and then calls this without smp_mb() may miss a sleeper that is checking the condition: the
     * comment above waitqueue_active() in include/linux/wait.h describes the lost wake-up.
     */
    public boolean waitqueueActive() {
        if (explored && sleeps && Waits.underExplorer()) {
            String outer = enter("waitqueue_active");
            try {
                return !entries.readOnce().isEmpty();
            } finally {
                leave(outer);
            }
        }
        return sleepers.readOnce() > 0;
    }

    /** Names this CPU's next steps {@code fn(queue)} in a counterexample (explorer only); returns what to restore. */
    private String enter(String fn) {
        return Cpu.current().label(fn + "(" + name + ")");
    }

    private void leave(String outer) {
        Cpu.current().apiCall = outer;
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
