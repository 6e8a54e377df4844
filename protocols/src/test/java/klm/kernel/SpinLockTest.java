package klm.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static klm.kernel.Kernel.current;
import static klm.kernel.Kernel.interruptPoint;

import org.junit.jupiter.api.Test;

class SpinLockTest {

    @Test
    void softirqOnTheHoldingCpuIsReportedAsSelfDeadlockNotSpun() throws Exception {
        Smp smp = new Smp(1);
        SpinLock lock = new SpinLock("hugetlb_lock");
        long t0 = System.nanoTime();
        Throwable[] e = Cpus.run(smp, () -> {
            current().raiseSoftirq("free_huge_page", () -> {
                lock.spinLock();
                lock.spinUnlock();
            });
            lock.spinLock(); // softirqs are on: the softirq arrives inside the critical section
            lock.spinUnlock();
        });
        SelfDeadlockError d = assertInstanceOf(SelfDeadlockError.class, e[0]);
        assertEquals("SELF_DEADLOCK", d.outcome());
        assertTrue(d.report().contains("CPU0 (softirq: free_huge_page)"), d.report());
        assertTrue(d.report().contains("hugetlb_lock"), d.report());
        assertTrue(d.report().contains("taken in task"), d.report());
        assertTrue(System.nanoTime() - t0 < 10_000_000_000L, "reported at once, not after a timeout");
    }

    @Test
    void theIrqSafeFormsKeepTheInterruptOutOfTheCriticalSection() throws Exception {
        Smp smp = new Smp(1);
        SpinLock lock = new SpinLock("hugetlb_lock");
        int[] freed = new int[1];
        Throwable[] e = Cpus.run(smp, () -> {
            current().raiseSoftirq("free_huge_page", () -> {
                long f = lock.spinLockIrqsave();
                freed[0]++;
                lock.spinUnlockIrqrestore(f);
            });
            lock.spinLockBh();
            interruptPoint();
            assertEquals(0, freed[0], "no softirq while BH is off");
            lock.spinUnlockBh(); // runs here, after the lock is dropped
            assertEquals(1, freed[0]);
            current().raiseHardirq("irq", () -> freed[0]++);
            lock.spinLockIrq();
            interruptPoint();
            assertEquals(1, freed[0], "no hardirq while irqs are off");
            lock.spinUnlockIrq();
            assertEquals(2, freed[0]);
        });
        assertNull(e[0]);
    }

    @Test
    void excludesOtherCpusAndCountsEveryIncrement() throws Exception {
        Smp smp = new Smp(2);
        SpinLock lock = new SpinLock("l");
        int[] counter = new int[1];
        Runnable body = () -> {
            for (int i = 0; i < 20_000; i++) {
                lock.spinLock();
                counter[0]++;
                lock.spinUnlock();
            }
        };
        Throwable[] e = Cpus.run(smp, body, body);
        assertNull(e[0]);
        assertNull(e[1]);
        assertEquals(40_000, counter[0]);
    }

    @Test
    void unlockingALockOneDoesNotHoldIsABug() throws Exception {
        Smp smp = new Smp(1);
        SpinLock lock = new SpinLock("l");
        Throwable[] e = Cpus.run(smp, lock::spinUnlock);
        assertEquals("BAD_UNLOCK", assertInstanceOf(KernelBug.class, e[0]).outcome());
    }

    @Test
    void trylock() throws Exception {
        Smp smp = new Smp(2);
        SpinLock lock = new SpinLock("l");
        Word held = new Word();
        Word done = new Word();
        boolean[] got = new boolean[1];
        Throwable[] e = Cpus.run(smp,
                () -> {
                    lock.spinLock();
                    held.writeOnce(1);
                    while (done.readOnce() == 0) {
                        Thread.onSpinWait();
                    }
                    lock.spinUnlock();
                },
                () -> {
                    while (held.readOnce() == 0) {
                        Thread.onSpinWait();
                    }
                    got[0] = lock.spinTrylock();
                    done.writeOnce(1);
                });
        assertNull(e[0]);
        assertNull(e[1]);
        assertEquals(false, got[0]);
    }
}
