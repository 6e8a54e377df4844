package klm.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WorkqueueTest {

    @Test
    void queuingAPendingWorkIsANoOpAndQueuingARunningWorkRunsItAgain() throws Exception {
        Smp smp = new Smp(2);
        Workqueue wq = new Workqueue("events");
        Word running = new Word();
        Word release = new Word();
        WorkStruct[] work = new WorkStruct[1];
        work[0] = new WorkStruct("free_hpage_work", () -> {
            running.incReturn();
            while (running.readOnce() == 1 && release.readOnce() == 0) {
                Thread.onSpinWait(); // the first run waits until the test has re-queued it
            }
        });
        boolean[] results = new boolean[4];
        Word queuedTwice = new Word();
        Throwable[] e = Cpus.run(smp,
                () -> {
                    while (queuedTwice.readOnce() == 0) {
                        Thread.onSpinWait(); // the worker starts only once the work is pending
                    }
                    wq.workerThread();
                },
                () -> {
                    results[0] = wq.queueWork(work[0]);     // queued
                    results[1] = wq.queueWork(work[0]);     // still pending: no-op
                    queuedTwice.writeOnce(1);
                    while (running.readOnce() == 0) {
                        Thread.onSpinWait();
                    }
                    results[2] = work[0].workPending();      // PENDING was cleared before the run
                    results[3] = wq.queueWork(work[0]);     // running: queued again
                    release.writeOnce(1);
                    wq.flushWork(work[0]);
                    wq.destroyWorkqueue();
                });
        assertNull(e[0]);
        assertNull(e[1]);
        assertTrue(results[0], "first queue_work queues");
        assertFalse(results[1], "queue_work on a pending work is a no-op");
        assertFalse(results[2], "PENDING is clear while the work runs");
        assertTrue(results[3], "queue_work on a running work queues it again");
        assertEquals(2, work[0].runs(), "ran once per queue_work that returned true");
    }

    @Test
    void flushWorkWaitsForTheQueuedInstance() throws Exception {
        Smp smp = new Smp(2);
        Workqueue wq = new Workqueue("events");
        Word done = new Word();
        WorkStruct work = new WorkStruct("w", () -> {
            Cpus.awaitWaiting(smp.cpu(1)); // flush_work() is waiting for this instance
            done.writeOnce(1);
        });
        boolean[] waited = new boolean[2];
        Throwable[] e = Cpus.run(smp, wq::workerThread, () -> {
            waited[1] = wq.flushWork(work); // nothing queued: returns at once
            wq.queueWork(work);
            waited[0] = wq.flushWork(work);
            assertEquals(1, done.readOnce(), "flush_work returned before the work ran");
            wq.destroyWorkqueue();
        });
        assertNull(e[0]);
        assertNull(e[1]);
        assertTrue(waited[0]);
        assertFalse(waited[1]);
    }
}
