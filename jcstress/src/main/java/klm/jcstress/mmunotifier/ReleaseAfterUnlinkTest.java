package klm.jcstress.mmunotifier;

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

/** mmu-notifier/release-after-unlink (BUGGY): unlink, then ->release. */
@JCStressTest
@Outcome(id = "OK", expect = ACCEPTABLE, desc = "the page was freed only once KVM no longer mapped it")
@Outcome(id = "FREED_PAGE_MAPPED", expect = ACCEPTABLE_INTERESTING, desc = "a page freed while KVM's shadow pte still mapped it")
@Outcome(expect = FORBIDDEN, desc = "anything else (a deadlock, an error or an unexpected outcome)")
@State
public class ReleaseAfterUnlinkTest {
    private static final Variant V = Catalog.get("mmu-notifier", "release-after-unlink");
    private final ScenarioRun run = V.newRun();

    /** CPU0: exit_mmap(): mmu_notifier_release(). */
    @Actor
    public void cpu0() {
        run.runCpu(0);
    }

    /** CPU1: try_to_unmap() of page 0, then free it. */
    @Actor
    public void cpu1() {
        run.runCpu(1);
    }

    @Arbiter
    public void arbiter(L_Result r) {
        r.r1 = run.outcome().name();
    }
}
