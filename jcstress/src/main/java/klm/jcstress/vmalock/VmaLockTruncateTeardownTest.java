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

/** vma-lock/vma-lock-truncate-teardown (FIXED): truncation's fallback while the vma is unmapped. */
@JCStressTest
@Outcome(id = "OK", expect = ACCEPTABLE, desc = "page 1 was unmapped, the vma lock outlived the vma")
@Outcome(id = "USE_AFTER_FREE", expect = FORBIDDEN, desc = "the fallback used a freed vma lock")
@Outcome(id = "PAGE_STILL_MAPPED", expect = FORBIDDEN, desc = "a page past the new end stayed mapped")
@Outcome(id = "DEADLOCK", expect = FORBIDDEN, desc = "a deadlock")
@Outcome(expect = FORBIDDEN, desc = "anything else (an error or an unexpected outcome)")
@State
public class VmaLockTruncateTeardownTest {
    private static final Variant V = Catalog.get("vma-lock", "vma-lock-truncate-teardown");
    private final ScenarioRun run = V.newRun();

    /** CPU0: munmap() of mm0's whole vma. */
    @Actor
    public void cpu0() {
        run.runCpu(0);
    }

    /** CPU1: truncate the file to one page. */
    @Actor
    public void cpu1() {
        run.runCpu(1);
    }

    @Arbiter
    public void arbiter(L_Result r) {
        r.r1 = run.outcome().name();
    }
}
