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

/** vma-lock/vma-lock-rmap-trylock (FIXED): rmap only tries the vma lock. */
@JCStressTest
@Outcome(id = "OK", expect = ACCEPTABLE, desc = "the unmap took the page out of every vma, or gave up on a busy vma lock")
@Outcome(id = "STILL_MAPPED_AFTER_UNMAP", expect = FORBIDDEN, desc = "try_to_unmap() returned true with the page still mapped")
@Outcome(id = "DEADLOCK", expect = FORBIDDEN, desc = "a deadlock")
@Outcome(expect = FORBIDDEN, desc = "anything else (an error or an unexpected outcome)")
@State
public class VmaLockRmapTrylockTest {
    private static final Variant V = Catalog.get("vma-lock", "vma-lock-rmap-trylock");
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
