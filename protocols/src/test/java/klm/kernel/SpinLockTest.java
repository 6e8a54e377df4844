package klm.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
        // reported at the acquisition, not by the backstop: told by the report's words, not by how
        // long it took, which load can stretch
        assertFalse(d.report().contains("klm.wait.timeout.ms"), d.report());
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
    void irqsaveDisablesInterruptsAndRestoresWhatItFound() throws Exception {
        // hugetlb-free's free path relies on this: spin_lock_irqsave() from a task, from a hardirq,
        // and nested in an irqs-off section (a scenario gap once: an irqsave that did not disable
        // interrupts, or restored them to on, would otherwise pass).
        Smp smp = new Smp(1);
        SpinLock hugetlb = new SpinLock("hugetlb_lock");
        SpinLock other = new SpinLock("other");
        int[] ran = new int[2];
        Throwable[] e = Cpus.run(smp, () -> {
            current().raiseSoftirq("BLOCK", () -> ran[0]++);
            long f = hugetlb.spinLockIrqsave();
            assertTrue(Kernel.irqsDisabled(), "irqsave disables interrupts");
            interruptPoint();
            assertEquals(0, ran[0], "no softirq inside spin_lock_irqsave()");
            hugetlb.spinUnlockIrqrestore(f);
            assertEquals(1, ran[0], "the softirq runs once the flags are restored");

            other.spinLockIrq();
            long g = hugetlb.spinLockIrqsave(); // nested in an irqs-off section
            hugetlb.spinUnlockIrqrestore(g);
            assertTrue(Kernel.irqsDisabled(), "irqrestore keeps interrupts off when they were off");
            other.spinUnlockIrq();

            current().raiseHardirq("irq", () -> {
                long h = hugetlb.spinLockIrqsave(); // from hardirq context
                ran[1]++;
                hugetlb.spinUnlockIrqrestore(h);
                assertTrue(Kernel.irqsDisabled(), "a hardirq handler stays with interrupts off");
            });
            interruptPoint();
            assertEquals(1, ran[1]);
            assertTrue(!Kernel.irqsDisabled(), "back in the task, interrupts are on again");
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
