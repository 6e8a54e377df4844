package klm.kernel;

import java.util.ArrayDeque;

/**
 * A workqueue with one worker (a kworker): {@link #queueWork} has schedule_work()'s semantics
 * (a no-op returning false while the work is pending; a work queued while it runs runs again),
 * {@link #flushWork} waits for the instance queued at the time of the call. The worker is a loop,
 * {@link #workerThread()}, that a scenario runs on one of its simulated CPUs, in task context, until
 * {@link #destroyWorkqueue()} and an empty list.
 */
public final class Workqueue {
    private final String name;
    private final SpinLock poolLock;
    private final ArrayDeque<WorkStruct> worklist = new ArrayDeque<>();
    private final Word nrQueued = new Word();
    private final Word stopping = new Word();
    private final WaitQueueHead more;

    public Workqueue(String name) {
        this.name = name;
        this.poolLock = new SpinLock(name + ".pool->lock", false);
        this.more = new WaitQueueHead(name + ".worklist");
    }

    public String name() {
        return name;
    }

    /** queue_work() / schedule_work(): false if the work was already pending. Callable from any context. */
    public boolean queueWork(WorkStruct work) {
        if (work.pending.xchg(1) != 0) {
            return false; // test_and_set_bit(WORK_STRUCT_PENDING_BIT): already queued, nothing to do
        }
        long flags = poolLock.spinLockIrqsave();
        work.queued.incReturn();
        worklist.addLast(work);
        nrQueued.incReturn();
        poolLock.spinUnlockIrqrestore(flags);
        more.wakeUpIfSleepers();
        return true;
    }

    /** The worker loop (worker_thread()). Returns once the queue is destroyed and empty. */
    public void workerThread() {
        for (;;) {
            more.waitEvent(() -> nrQueued.readOnce() > 0 || stopping.readOnce() != 0);
            if (!processOneWork() && stopping.readOnce() != 0) {
                return;
            }
        }
    }

    /**
     * One pass of a kworker on the calling CPU: runs the works queued so far (and any queued again
     * meanwhile) until the list is empty; returns how many ran. For scenarios whose kworker is one of
     * their CPUs, and for a final flush before an invariant is checked.
     */
    public int runPending() {
        int ran = 0;
        while (processOneWork()) {
            ran++;
        }
        return ran;
    }

    /** process_one_work(): takes the first queued work, clears PENDING, runs it; false if none was queued. */
    private boolean processOneWork() {
        long flags = poolLock.spinLockIrqsave();
        WorkStruct work = worklist.pollFirst();
        if (work != null) {
            nrQueued.decReturn();
        }
        poolLock.spinUnlockIrqrestore(flags);
        if (work == null) {
            return false;
        }
        // set_work_pool_and_clear_pending(): from here a new queue_work() queues it again.
        work.pending.xchg(0);
        int upTo = work.queued.readOnce();
        work.func.run();
        work.runs.incReturn();
        work.completed.storeRelease(Math.max(upTo, work.completed.readOnce()));
        work.flushWait.wakeUpAll();
        return true;
    }

    /** flush_work(): waits until the instance queued when it was called has run; false if there was none. */
    public boolean flushWork(WorkStruct work) {
        int target = work.queued.readOnce();
        if (work.completed.loadAcquire() >= target) {
            return false;
        }
        work.flushWait.waitEvent(() -> work.completed.loadAcquire() >= target);
        return true;
    }

    /** destroy_workqueue(): the worker finishes what is queued, then returns. */
    public void destroyWorkqueue() {
        stopping.xchg(1);
        more.wakeUpAll();
    }
}
