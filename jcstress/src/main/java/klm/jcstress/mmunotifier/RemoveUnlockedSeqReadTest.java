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

/** mmu-notifier/remove-unlocked-seq-read (BUGGY): remove() waits on an unlocked read of invalidate_seq. */
@JCStressTest
@Outcome(id = "OK", expect = ACCEPTABLE, desc = "no freed subscription was touched")
@Outcome(id = "USE_AFTER_FREE", expect = ACCEPTABLE_INTERESTING, desc = "mn_itree_inv_end() walked the deferred list into the freed subscription")
@Outcome(expect = FORBIDDEN, desc = "anything else (a deadlock, an error or an unexpected outcome)")
@State
public class RemoveUnlockedSeqReadTest {
    private static final Variant V = Catalog.get("mmu-notifier", "remove-unlocked-seq-read");
    private final ScenarioRun run = V.newRun();

    /** CPU0: munmap of page 0 (invalidate_range_start, _end). */
    @Actor
    public void cpu0() {
        run.runCpu(0);
    }

    /** CPU1: mmu_interval_notifier_remove(), then kfree(). */
    @Actor
    public void cpu1() {
        run.runCpu(1);
    }

    @Arbiter
    public void arbiter(L_Result r) {
        r.r1 = run.outcome().name();
    }
}
