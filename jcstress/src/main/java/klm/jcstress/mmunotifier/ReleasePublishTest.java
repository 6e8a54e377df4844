package klm.jcstress.mmunotifier;

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

/** mmu-notifier/release-publish (FIXED): hlist_add_head_rcu(), a store-release. */
@JCStressTest
@Outcome(id = "OK", expect = ACCEPTABLE, desc = "the reader saw no notifier, or an initialised one")
@Outcome(id = "UNINITIALISED_OPS", expect = FORBIDDEN, desc = "the reader saw the notifier before its ops")
@Outcome(expect = FORBIDDEN, desc = "anything else (a deadlock, an error or an unexpected outcome)")
@State
public class ReleasePublishTest {
    private static final Variant V = Catalog.get("mmu-notifier", "release-publish");
    private final ScenarioRun run = V.newRun();

    /** CPU0: mmu_notifier_register() of a freshly initialised notifier. */
    @Actor
    public void cpu0() {
        run.runCpu(0);
    }

    /** CPU1: an invalidation walking the notifier list. */
    @Actor
    public void cpu1() {
        run.runCpu(1);
    }

    @Arbiter
    public void arbiter(L_Result r) {
        r.r1 = run.outcome().name();
    }
}
