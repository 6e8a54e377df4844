package klm.lockdep;

import static klm.kernel.Kernel.current;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import klm.kernel.LockdepMap;
import klm.kernel.Mutex;
import klm.kernel.PercpuRwSemaphore;
import klm.kernel.RwSemaphore;
import klm.kernel.Smp;
import klm.kernel.SpinLock;

/** One test per rule of the validator, each on paths that run once, one after the other: no race needed. */
class LockdepTest {
    private Lockdep lockdep;
    private final Smp smp = new Smp(2);

    @BeforeEach
    void attach() {
        lockdep = Lockdep.attach();
    }

    @AfterEach
    void detach() {
        lockdep.detach();
    }

    private void on(int cpu, Runnable path) {
        smp.cpu(cpu).runOn(path);
    }

    @Test
    void cycleOfTwoAcrossRunsIsReportedWithTheScenario() {
        Mutex a = new Mutex("lock_a");
        Mutex b = new Mutex("lock_b");
        on(0, () -> { a.mutexLock(); b.mutexLock(); b.mutexUnlock(); a.mutexUnlock(); });
        assertNull(lockdep.first(), "one order alone is fine");
        on(1, () -> { b.mutexLock(); a.mutexLock(); a.mutexUnlock(); b.mutexUnlock(); });
        LockdepReport r = lockdep.first();
        assertEquals(LockdepReport.Kind.CIRCULAR_DEPENDENCY, r.kind());
        assertTrue(r.text().contains("possible circular locking dependency detected"), r.text());
        assertTrue(r.text().contains("Possible unsafe locking scenario"), r.text());
        assertTrue(r.text().contains("CPU0") && r.text().contains("CPU1"), r.text());
        assertTrue(r.text().contains("*** DEADLOCK ***"), r.text());
    }

    @Test
    void cycleOfThree() {
        Mutex a = new Mutex("a");
        Mutex b = new Mutex("b");
        Mutex c = new Mutex("c");
        on(0, () -> { a.mutexLock(); b.mutexLock(); b.mutexUnlock(); a.mutexUnlock(); });
        on(1, () -> { b.mutexLock(); c.mutexLock(); c.mutexUnlock(); b.mutexUnlock(); });
        assertNull(lockdep.first());
        on(0, () -> { c.mutexLock(); a.mutexLock(); a.mutexUnlock(); c.mutexUnlock(); });
        LockdepReport r = lockdep.first();
        assertEquals(LockdepReport.Kind.CIRCULAR_DEPENDENCY, r.kind());
        assertTrue(r.text().contains("Chain exists of"), r.text());
    }

    @Test
    void aTrylockAddsNoDependency() {
        Mutex a = new Mutex("i_mmap_rwsem");
        RwSemaphore b = new RwSemaphore("vma_lock");
        on(0, () -> { b.downRead(); a.mutexLock(); a.mutexUnlock(); b.upRead(); });   // vma_lock -> i_mmap
        on(1, () -> {
            a.mutexLock();
            if (b.downWriteTrylock()) { // i_mmap held, try vma_lock: cannot wait, so no dependency
                b.upWrite();
            }
            a.mutexUnlock();
        });
        assertNull(lockdep.first(), () -> lockdep.first().text());
        on(1, () -> { a.mutexLock(); b.downWrite(); b.upWrite(); a.mutexUnlock(); }); // the blocking form
        assertEquals(LockdepReport.Kind.CIRCULAR_DEPENDENCY, lockdep.first().kind());
    }

    @Test
    void aHeldRecursiveReadIsNotTheSourceOfADependency() {
        // 2017 rule, direction 1: check_prevs_add() skips a held lock with read == 2.
        LockdepMap cpuMap = new LockdepMap("cpu_hotplug.dep_map");
        Mutex zonelists = new Mutex("zonelists_mutex");
        on(0, () -> { cpuMap.lockMapAcquireRead(); zonelists.mutexLock(); zonelists.mutexUnlock(); cpuMap.lockMapRelease(); });
        on(1, () -> { zonelists.mutexLock(); cpuMap.lockMapAcquire(); cpuMap.lockMapRelease(); zonelists.mutexUnlock(); });
        assertNull(lockdep.first(), "cpu -> zonelists was never stored: the reverse order closes no cycle");

        Mutex a = new Mutex("a");
        Mutex b = new Mutex("b");
        on(0, () -> { a.mutexLock(); cpuMap.lockMapAcquireRead(); b.mutexLock(); b.mutexUnlock(); cpuMap.lockMapRelease(); a.mutexUnlock(); });
        on(1, () -> { b.mutexLock(); a.mutexLock(); a.mutexUnlock(); b.mutexUnlock(); });
        assertEquals(LockdepReport.Kind.CIRCULAR_DEPENDENCY, lockdep.first().kind(),
                "the walk goes on below a held recursive read: a -> b is stored");
    }

    @Test
    void acquiringARecursiveReadIsCheckedButNotStored() {
        // 2017 rule, direction 2: check_prev_add() runs check_noncircular() for next->read == 2,
        // then returns before storing the dependency.
        LockdepMap memMap = new LockdepMap("mem_hotplug.lock");
        PercpuRwSemaphore cpus = new PercpuRwSemaphore("cpu_hotplug_lock", 2);
        on(0, () -> { memMap.lockMapAcquire(); cpus.percpuDownRead(); cpus.percpuUpRead(); memMap.lockMapRelease(); });
        on(1, () -> { cpus.percpuDownRead(); memMap.lockMapAcquireRead(); memMap.lockMapRelease(); cpus.percpuUpRead(); });
        LockdepReport r = lockdep.first();
        assertEquals(LockdepReport.Kind.CIRCULAR_DEPENDENCY, r.kind(), "mem -> cpu is stored; cpu -> mem (recursive) closes it");
        assertTrue(r.text().contains("recursive read"), r.text());

        lockdep.reset();
        LockdepMap cpuMap = new LockdepMap("cpu_hotplug.dep_map");
        Mutex x = new Mutex("x");
        on(0, () -> { x.mutexLock(); cpuMap.lockMapAcquireRead(); cpuMap.lockMapRelease(); x.mutexUnlock(); });
        on(1, () -> { cpuMap.lockMapAcquire(); x.mutexLock(); x.mutexUnlock(); cpuMap.lockMapRelease(); });
        assertNull(lockdep.first(), () -> "x -> cpu (recursive) was checked but not stored, so cpu -> x closes nothing: "
                + lockdep.first().text());
    }

    @Test
    void twoHomebrewLocksNeverMeetAndAPercpuRwsemIsSeen() {
        // The hotplug seed: both homebrew (recursive-read annotations) is silent; a percpu rw-semaphore is not.
        LockdepMap memMap = new LockdepMap("mem_hotplug.lock");
        LockdepMap cpuMap = new LockdepMap("cpu_hotplug.dep_map");
        on(0, () -> { memMap.lockMapAcquire(); cpuMap.lockMapAcquireRead(); cpuMap.lockMapRelease(); memMap.lockMapRelease(); });
        on(1, () -> { cpuMap.lockMapAcquireRead(); memMap.lockMapAcquireRead(); memMap.lockMapRelease(); cpuMap.lockMapRelease(); });
        assertNull(lockdep.first(), "the homebrew annotations hide the inversion");

        PercpuRwSemaphore cpus = new PercpuRwSemaphore("cpu_hotplug_lock", 2);
        PercpuRwSemaphore mem = new PercpuRwSemaphore("mem_hotplug_lock", 2);
        on(0, () -> { mem.percpuDownWrite(); cpus.percpuDownRead(); cpus.percpuUpRead(); mem.percpuUpWrite(); });
        on(1, () -> { cpus.percpuDownRead(); mem.percpuDownRead(); mem.percpuUpRead(); cpus.percpuUpRead(); });
        assertEquals(LockdepReport.Kind.CIRCULAR_DEPENDENCY, lockdep.first().kind(), "as a percpu rwsem it is seen");
    }

    @Test
    void theContentionPassValidatesThePathBehindAFailedTrylock() {
        Mutex vmaLock = new Mutex("hugetlb_vma_lock");
        Mutex iMmap = new Mutex("i_mmap_rwsem");
        Runnable fault = () -> { vmaLock.mutexLock(); iMmap.mutexLock(); iMmap.mutexUnlock(); vmaLock.mutexUnlock(); };
        int[] fallbacks = new int[1];
        Runnable truncate = () -> {
            iMmap.mutexLock();
            if (!vmaLock.mutexTrylock()) {
                fallbacks[0]++;
                vmaLock.mutexLock(); // a fallback in the wrong order: blocks on vma_lock with i_mmap_rwsem held
                vmaLock.mutexUnlock();
                if (!vmaLock.mutexTrylock()) { // taken by a blocking call once: no longer contended
                    throw new AssertionError("the trylock still fails after a blocking acquisition");
                }
            }
            vmaLock.mutexUnlock();
            iMmap.mutexUnlock();
        };
        on(0, fault);
        on(1, truncate);
        assertNull(lockdep.first(), "uncontended, the fallback never runs");
        lockdep.contentionPass(true);
        on(1, truncate);
        lockdep.contentionPass(false);
        assertEquals(1, fallbacks[0]);
        assertEquals(LockdepReport.Kind.CIRCULAR_DEPENDENCY, lockdep.first().kind());
    }

    @Test
    void aNonRecursiveReadTakenTwiceIsRecursiveLocking() {
        PercpuRwSemaphore cpus = new PercpuRwSemaphore("cpu_hotplug_lock", 2);
        on(0, () -> { cpus.percpuDownRead(); cpus.percpuDownRead(); cpus.percpuUpRead(); cpus.percpuUpRead(); });
        LockdepReport r = lockdep.first();
        assertEquals(LockdepReport.Kind.RECURSIVE_LOCKING, r.kind());
        assertTrue(r.text().contains("possible recursive locking detected"), r.text());
    }

    @Test
    void irqInversionIsInconsistentUsage() {
        SpinLock hugetlb = new SpinLock("hugetlb_lock");
        on(0, () -> { hugetlb.spinLock(); hugetlb.spinUnlock(); });               // task, softirqs on
        on(0, () -> {
            current().raiseSoftirq("BLOCK", () -> { hugetlb.spinLock(); hugetlb.spinUnlock(); });
            klm.kernel.Kernel.interruptPoint();                                    // the softirq runs here
        });
        LockdepReport r = lockdep.first();
        assertEquals(LockdepReport.Kind.INCONSISTENT_USAGE, r.kind());
        assertEquals("inconsistent {SOFTIRQ-ON-W} -> {IN-SOFTIRQ-W} usage", r.headline());
        assertTrue(r.text().contains("<Interrupt>"), r.text());
    }

    @Test
    void irqSafeFormsAreConsistent() {
        SpinLock hugetlb = new SpinLock("hugetlb_lock");
        on(0, () -> { hugetlb.spinLockIrq(); hugetlb.spinUnlockIrq(); });
        on(0, () -> {
            current().raiseSoftirq("BLOCK", () -> { long f = hugetlb.spinLockIrqsave(); hugetlb.spinUnlockIrqrestore(f); });
            klm.kernel.Kernel.interruptPoint();
        });
        assertNull(lockdep.first(), () -> lockdep.first().text());
    }

    @Test
    void softirqSafeToSoftirqUnsafeOrder() {
        SpinLock hugetlb = new SpinLock("hugetlb_lock");
        SpinLock slock = new SpinLock("slock-AF_INET");
        on(0, () -> { hugetlb.spinLock(); hugetlb.spinUnlock(); });                 // hugetlb_lock: SOFTIRQ-unsafe
        on(0, () -> {
            current().raiseSoftirq("NET_RX", () -> { slock.spinLock(); slock.spinUnlock(); }); // slock: SOFTIRQ-safe
            klm.kernel.Kernel.interruptPoint();
        });
        on(1, () -> { slock.spinLockBh(); hugetlb.spinLock(); hugetlb.spinUnlock(); slock.spinUnlockBh(); });
        LockdepReport r = lockdep.first();
        assertEquals(LockdepReport.Kind.IRQ_SAFE_TO_UNSAFE, r.kind());
        assertEquals("SOFTIRQ-safe -> SOFTIRQ-unsafe lock order detected", r.headline());
        assertTrue(r.text().contains("(slock-AF_INET) -> (hugetlb_lock)"), r.text());
    }

    @Test
    void anIrqSafeLockThatReachesAnUnsafeOneThroughAnotherIsReported() {
        // check_prev_add_irq() searches backwards from prev and forwards from next, not just the new edge.
        SpinLock slock = new SpinLock("slock-AF_INET");
        SpinLock middle = new SpinLock("middle");
        SpinLock hugetlb = new SpinLock("hugetlb_lock");
        on(0, () -> { hugetlb.spinLock(); hugetlb.spinUnlock(); });                 // hugetlb_lock: SOFTIRQ-unsafe
        on(0, () -> {
            current().raiseSoftirq("NET_RX", () -> { slock.spinLock(); slock.spinUnlock(); }); // slock: SOFTIRQ-safe
            klm.kernel.Kernel.interruptPoint();
        });
        on(1, () -> { middle.spinLockBh(); hugetlb.spinLock(); hugetlb.spinUnlock(); middle.spinUnlockBh(); }); // middle -> hugetlb
        assertNull(lockdep.first(), () -> lockdep.first().text());
        on(1, () -> { slock.spinLockBh(); middle.spinLock(); middle.spinUnlock(); slock.spinUnlockBh(); }); // slock -> middle
        LockdepReport r = lockdep.first();
        assertEquals(LockdepReport.Kind.IRQ_SAFE_TO_UNSAFE, r.kind(), r.text());
        assertTrue(r.text().contains("(slock-AF_INET) -> (middle)"), r.text());
        assertTrue(r.text().contains("to a SOFTIRQ-irq-unsafe lock:\n  (hugetlb_lock)"), r.text());
    }

    @Test
    void noReportTwiceAndResetForgets() {
        Mutex a = new Mutex("a");
        Mutex b = new Mutex("b");
        Runnable ab = () -> { a.mutexLock(); b.mutexLock(); b.mutexUnlock(); a.mutexUnlock(); };
        Runnable ba = () -> { b.mutexLock(); a.mutexLock(); a.mutexUnlock(); b.mutexUnlock(); };
        on(0, ab);
        on(1, ba);
        on(1, ba);
        on(0, ab);
        assertEquals(1, lockdep.reports().size(), "the same chain is reported once");
        lockdep.reset();
        assertNull(lockdep.first());
        on(1, ba);
        assertNull(lockdep.first(), "after a reset the old order is forgotten");
    }
}
