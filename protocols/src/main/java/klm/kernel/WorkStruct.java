package klm.kernel;

/**
 * struct work_struct (INIT_WORK). PENDING is set while the work is queued and not yet started; the
 * worker clears it just before running the function, so queuing the work while it runs queues it
 * again, as in the kernel.
 */
public final class WorkStruct {
    final String name;
    final Runnable func;
    /** WORK_STRUCT_PENDING_BIT. */
    final Word pending = new Word();
    /** Instances queued so far, and instances covered by a finished run (for flush_work). */
    final Word queued = new Word();
    final Word completed = new Word();
    final Word runs = new Word();
    final WaitQueueHead flushWait;

    public WorkStruct(String name, Runnable func) {
        this.name = name;
        this.func = func;
        this.flushWait = new WaitQueueHead(name + ".flush");
    }

    /** work_pending(). */
    public boolean workPending() {
        return pending.readOnce() != 0;
    }

    /** How many times the function has run to completion. */
    public int runs() {
        return runs.readOnce();
    }

    public String name() {
        return name;
    }
}
