package klm.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Bounded mode: deadlocks end as named errors on every CPU involved, quickly, instead of hanging. */
class DeadlockDetectorTest {

    private static void meet(Word w, int n) {
        w.incReturn();
        while (w.readOnce() < n) {
            Thread.onSpinWait();
        }
    }

    @Test
    void abbaOnMutexesIsReportedOnBothCpusWithBothLocks() throws Exception {
        Smp smp = new Smp(2);
        Mutex a = new Mutex("lock_a");
        Mutex b = new Mutex("lock_b");
        Word both = new Word();
        Throwable[] e = Cpus.run(smp,
                () -> { a.mutexLock(); meet(both, 2); b.mutexLock(); },
                () -> { b.mutexLock(); meet(both, 2); a.mutexLock(); });
        for (Throwable t : e) {
            DeadlockError d = assertInstanceOf(DeadlockError.class, t);
            assertEquals("DEADLOCK", d.outcome());
            assertTrue(d.report().contains("CPU0 holds lock_a"), d.report());
            assertTrue(d.report().contains("CPU1 holds lock_b"), d.report());
            assertTrue(d.report().contains("waits for lock_b"), d.report());
            // found by the cycle detector, not the backstop: told by the report's words, not by how
            // long it took, which load can stretch
            assertFalse(d.report().contains("klm.wait.timeout.ms"), d.report());
        }
    }

    /**
     * A CPU that finished its task waits in its idle loop for the others; the backstop that would call
     * that a HANG counts from the machine's last progress, so another CPU that keeps moving for longer
     * than klm.wait.timeout.ms (as on a loaded machine) is waited for, not reported.
     */
    @Test
    void anIdleCpuWaitsForACpuThatKeepsMovingPastTheTimeout() throws Exception {
        Smp smp = new Smp(2);
        Mutex m = new Mutex("moving");
        Word done = new Word();
        long moveFor = Waits.TIMEOUT_NANOS + 500_000_000L;
        Throwable[] e = Cpus.run(smp,
                () -> Cpu.current().idleUntil(() -> done.readOnce() == 1),
                () -> {
                    long end = System.nanoTime() + moveFor;
                    while (System.nanoTime() < end) {
                        m.mutexLock();
                        m.mutexUnlock();
                    }
                    done.writeOnce(1);
                });
        assertEquals(null, e[0], "the idle CPU reported the moving one");
        assertEquals(null, e[1]);
    }

    @Test
    void abbaOnSpinLocksAcrossCpus() throws Exception {
        Smp smp = new Smp(2);
        SpinLock a = new SpinLock("hugetlb_lock");
        SpinLock b = new SpinLock("slock-AF_INET");
        Word both = new Word();
        Throwable[] e = Cpus.run(smp,
                () -> { a.spinLock(); meet(both, 2); b.spinLock(); },
                () -> { b.spinLockBh(); meet(both, 2); a.spinLock(); });
        for (Throwable t : e) {
            assertEquals("DEADLOCK", assertInstanceOf(DeadlockError.class, t).outcome());
        }
        assertTrue(((DeadlockError) e[1]).report().contains("slock-AF_INET [task, BH off]"), ((DeadlockError) e[1]).report());
    }

    @Test
    void recursiveReadWithAWriterInBetweenDeadlocks() throws Exception {
        Smp smp = new Smp(2);
        RwSemaphore sem = new RwSemaphore("cpu_hotplug_lock");
        Word stage = new Word();
        Throwable[] e = Cpus.run(smp,
                () -> {
                    sem.downRead();
                    stage.writeOnce(1);
                    Cpus.awaitWaiting(smp.cpu(1)); // the writer queues
                    sem.downRead(); // blocked by the waiting writer, which waits for us
                },
                () -> {
                    while (stage.readOnce() == 0) {
                        Thread.onSpinWait();
                    }
                    sem.downWrite();
                });
        DeadlockError d = assertInstanceOf(DeadlockError.class, e[0]);
        assertTrue(d.report().contains("cpu_hotplug_lock (read)"), d.report());
        assertInstanceOf(DeadlockError.class, e[1]);
    }

    @Test
    void aCpuWaitingBehindACycleEndsWithTheDeadlockNeverAHang() throws Exception {
        for (int round = 0; round < 20; round++) {
            Smp smp = new Smp(3);
            Mutex a = new Mutex("lock_a");
            Mutex b = new Mutex("lock_b");
            Word both = new Word();
            Throwable[] e = Cpus.run(smp,
                    () -> { a.mutexLock(); meet(both, 3); b.mutexLock(); },
                    () -> { meet(both, 3); a.mutexLock(); },          // waits behind CPU0
                    () -> { b.mutexLock(); meet(both, 3); a.mutexLock(); });
            assertEquals("DEADLOCK", assertInstanceOf(DeadlockError.class, e[0]).outcome());
            assertEquals("DEADLOCK", assertInstanceOf(DeadlockError.class, e[2]).outcome());
            // Waiting when the cycle was confirmed: it shares the report. Arriving later: the machine is halted.
            if (e[1] instanceof DeadlockError d) {
                assertEquals("DEADLOCK", d.outcome(), d.getMessage());
                assertTrue(d.report().contains("circular wait between 2 CPUs"), d.report());
            } else {
                assertInstanceOf(MachineHalted.class, e[1], "round " + round + ": " + e[1]);
            }
        }
    }

    @Test
    void selfRecursionOnAMutexIsACycleOfOne() throws Exception {
        Smp smp = new Smp(1);
        Mutex m = new Mutex("slab_mutex");
        Throwable[] e = Cpus.run(smp, () -> { m.mutexLock(); m.mutexLock(); });
        DeadlockError d = assertInstanceOf(DeadlockError.class, e[0]);
        assertTrue(d.report().contains("which it holds itself"), d.report());
    }

    @Test
    void everyCpuWaitingForAnEventThatNobodyWillSignalIsAHang() throws Exception {
        Smp smp = new Smp(2);
        WaitQueueHead wq = new WaitQueueHead("mmu_notifier_count");
        Word never = new Word();
        Throwable[] e = Cpus.run(smp,
                () -> wq.waitEvent(() -> never.readOnce() != 0),
                () -> wq.waitEvent(() -> never.readOnce() != 0));
        for (Throwable t : e) {
            DeadlockError d = assertInstanceOf(DeadlockError.class, t);
            assertEquals("HANG", d.outcome());
            assertTrue(d.report().contains("waits for mmu_notifier_count"), d.report());
            // found when all CPUs blocked, not by the backstop (the report says which)
            assertTrue(d.report().contains("no CPU can make progress"), d.report());
            assertFalse(d.report().contains("klm.wait.timeout.ms"), d.report());
        }
    }
}
