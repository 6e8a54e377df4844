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

/** vma-lock/truncate-skips-on-contention (BUGGY): truncation skips a contended vma for good. */
@JCStressTest
@Outcome(id = "OK", expect = ACCEPTABLE, desc = "page 1 was unmapped")
@Outcome(id = "PAGE_STILL_MAPPED", expect = ACCEPTABLE_INTERESTING, desc = "a page past the new end stayed mapped")
@Outcome(expect = FORBIDDEN, desc = "anything else (an error or an unexpected outcome)")
@State
public class TruncateSkipsOnContentionTest {
    private static final Variant V = Catalog.get("vma-lock", "truncate-skips-on-contention");
    private final ScenarioRun run = V.newRun();

    /** CPU0: hugetlb_fault() in mm0. */
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
