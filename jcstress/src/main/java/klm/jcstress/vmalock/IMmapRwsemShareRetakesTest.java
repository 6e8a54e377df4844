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

/** vma-lock/i-mmap-rwsem-share-retakes (BUGGY): the fault reads i_mmap_rwsem twice, an unmap writer queues in between. */
@JCStressTest
@Outcome(id = "OK", expect = ACCEPTABLE, desc = "no overlap")
@Outcome(id = "DEADLOCK", expect = ACCEPTABLE_INTERESTING, desc = "fault holds i_mmap_rwsem (read) and waits for a second read behind the unmap's queued down_write")
@Outcome(expect = FORBIDDEN, desc = "anything else (an error or an unexpected outcome)")
@State
public class IMmapRwsemShareRetakesTest {
    private static final Variant V = Catalog.get("vma-lock", "i-mmap-rwsem-share-retakes");
    private final ScenarioRun run = V.newRun();

    /** CPU0: hugetlb_fault() in mm0. */
    @Actor
    public void cpu0() {
        run.runCpu(0);
    }

    /** CPU1: munmap of mm1: i_mmap_rwsem for write. */
    @Actor
    public void cpu1() {
        run.runCpu(1);
    }

    @Arbiter
    public void arbiter(L_Result r) {
        r.r1 = run.outcome().name();
    }
}
