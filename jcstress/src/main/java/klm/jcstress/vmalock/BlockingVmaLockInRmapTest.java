package klm.jcstress.vmalock;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
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

/** vma-lock/blocking-vma-lock-in-rmap (BUGGY): rmap takes the vma lock blocking under i_mmap_rwsem. */
@JCStressTest
@Outcome(id = "OK", expect = ACCEPTABLE, desc = "no overlap")
@Outcome(id = "DEADLOCK", expect = ACCEPTABLE_INTERESTING, desc = "fault holds vma_lock and wants i_mmap_rwsem; rmap holds i_mmap_rwsem and wants vma_lock")
@Outcome(expect = FORBIDDEN, desc = "anything else (an error or an unexpected outcome)")
@State
public class BlockingVmaLockInRmapTest {
    private static final Variant V = Catalog.get("vma-lock", "blocking-vma-lock-in-rmap");
    private final ScenarioRun run = V.newRun();

    /** CPU0: hugetlb_fault() in mm0. */
    @Actor
    public void cpu0() {
        run.runCpu(0);
    }

    /** CPU1: try_to_unmap() with i_mmap_rwsem held. */
    @Actor
    public void cpu1() {
        run.runCpu(1);
    }

    @Arbiter
    public void arbiter(L_Result r) {
        r.r1 = run.outcome().name();
    }
}
