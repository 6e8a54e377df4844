package klm.jcstress.hugetlb;

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

/** hugetlb-free/deferred-next-pending-list (FIXED): NEXT_PENDING: the deferred list loses nothing. */
@JCStressTest
@Outcome(id = "OK", expect = ACCEPTABLE, desc = "the pool invariant holds after every free")
@Outcome(id = "PAGE_LOST", expect = FORBIDDEN, desc = "a page lost by the deferred list")
@Outcome(expect = FORBIDDEN, desc = "anything else (a page lost or freed twice, a counter off, an error)")
@State
public class DeferredNextPendingListTest {
    private static final Variant V = Catalog.get("hugetlb-free", "deferred-next-pending-list");
    private final ScenarioRun run = V.newRun();

    /** CPU0: frees two pages from softirqs (deferred), the second interrupted by a timer irq. */
    @Actor
    public void cpu0() {
        run.runCpu(0);
    }

    /** CPU1: the kworker running free_hpage_workfn(). */
    @Actor
    public void cpu1() {
        run.runCpu(1);
    }

    @Arbiter
    public void arbiter(L_Result r) {
        r.r1 = run.outcome().name();
    }
}
