package klm.kernel;

/** struct completion: complete() lets one waiter through, complete_all() lets every waiter through. */
public final class Completion {
    private static final int ALL = Integer.MAX_VALUE / 2;
    private final Word done = new Word();
    private final WaitQueueHead wq;

    public Completion(String name) {
        this.wq = new WaitQueueHead(name);
    }

    /** complete(). */
    public void complete() {
        for (;;) {
            int d = done.readOnce();
            if (d >= ALL || done.cmpxchg(d, d + 1) == d) {
                break;
            }
        }
        wq.wakeUpAll();
    }

    /** complete_all(). */
    public void completeAll() {
        done.xchg(ALL);
        wq.wakeUpAll();
    }

    /** try_wait_for_completion(). */
    public boolean tryWaitForCompletion() {
        for (;;) {
            int d = done.readOnce();
            if (d == 0) {
                return false;
            }
            if (d >= ALL || done.cmpxchg(d, d - 1) == d) {
                return true;
            }
        }
    }

    /** wait_for_completion(). */
    public void waitForCompletion() {
        wq.waitEvent(this::tryWaitForCompletion);
    }

    /** completion_done(). */
    public boolean completionDone() {
        return done.readOnce() > 0;
    }
}
