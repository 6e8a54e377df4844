package klm.jcstress.vmalock;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.L_Result;

import klm.catalog.Catalog;
import klm.scenario.ScenarioRun;
import klm.verdict.Variant;

/** vma-lock/vma-lock (FIXED): the fault holds the vma lock (read). */
@JCStressTest
@Outcome(id = "OK", expect = ACCEPTABLE, desc = "the fault finished before or after the unshare")
@Outcome(id = "STALE_PTEP_WRITE", expect = FORBIDDEN, desc = "a write through a stale ptep")
@Outcome(id = "DEADLOCK", expect = FORBIDDEN, desc = "a deadlock")
@Outcome(expect = FORBIDDEN, desc = "anything else (an error or an unexpected outcome)")
@State
public class VmaLockTest {
    private static final Variant V = Catalog.get("vma-lock", "vma-lock");
    private final ScenarioRun run = V.newRun();

    /** CPU0: hugetlb_fault() in mm0. */
    @Actor
    public void cpu0() {
        run.runCpu(0);
    }

    /** CPU1: unmap/mprotect of mm0's range (huge_pmd_unshare). */
    @Actor
    public void cpu1() {
        run.runCpu(1);
    }

    @Arbiter
    public void arbiter(L_Result r) {
        r.r1 = run.outcome().name();
    }
}
