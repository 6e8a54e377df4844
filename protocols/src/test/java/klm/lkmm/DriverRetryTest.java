package klm.lkmm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import klm.lkmm.Candidates.Verdict;
import org.junit.jupiter.api.Test;

/**
 * LKMM's own answers for the pattern behind mmu-notifier's driver-retry-under-lock: the
 * invalidation (P0) stores the new pte, then increments the notifier's sequence under its spinlock
 * (mn_itree_inv_end()); the fault (P1) finds the sequence changed in wait_event()'s check without
 * sleeping, then reads the pte (hmm_range_fault()). The outcome asked: the check saw the new
 * sequence (r0=2) and the pte read returned the old pte (r1=0).
 */
class DriverRetryTest {
    private static final String OUTCOME = "1:r0=2 & 1:r1=0";

    private static Verdict lkmm(String exists, String p0, String p1) {
        return Candidates.run(KernelPrograms.program("driver-retry", "", exists, p0, p1), new Lkmm()).verdict();
    }

    @Test
    void relaxedCheckAllowsTheStalePte() {
        assertEquals(Verdict.SOMETIMES, lkmm(OUTCOME, "pte = 1; lock s; seq = 2; unlock s", "r0 = seq; r1 = pte"));
        // the pte written under the page-table lock: still allowed with a relaxed check
        assertEquals(Verdict.SOMETIMES, lkmm(OUTCOME, "lock ptl; pte = 1; unlock ptl; lock s; seq = 2; unlock s", "r0 = seq; r1 = pte"));
        // an acquire after the check (mmap_read_lock()) orders nothing before it
        assertEquals(Verdict.SOMETIMES, lkmm(OUTCOME, "lock ptl; pte = 1; unlock ptl; lock s; seq = 2; unlock s", "r0 = seq; r2 = acq mm; r1 = pte"));
    }

    @Test
    void acquireCheckForbidsItWhenThePteStoreIsOrderedBeforeTheIncrement() {
        // under the page-table lock, the unlock of ptl and the lock of s order the pte store before
        // the increment (po-unlock-lock-po), and the acquire check orders the pte read after it
        assertEquals(Verdict.NEVER, lkmm(OUTCOME, "lock ptl; pte = 1; unlock ptl; lock s; seq = 2; unlock s", "r0 = acq seq; r1 = pte"));
        // with the pte store before spin_lock() and nothing else, nothing orders it before the increment
        assertEquals(Verdict.SOMETIMES, lkmm(OUTCOME, "pte = 1; lock s; seq = 2; unlock s", "r0 = acq seq; r1 = pte"));
    }

    @Test
    void theSleepingPathForbidsIt() {
        // wake_up_all() after the unlock implies a full barrier when it wakes the sleeper (wq = 1
        // stands for the wake-up the fault observes); set_current_state() before the re-check is smp_mb()
        assertEquals(Verdict.NEVER, lkmm(OUTCOME + " & 1:r3=1", "pte = 1; lock s; seq = 2; unlock s; mb; wq = 1", "r3 = wq; mb; r0 = seq; r1 = pte"));
    }
}
