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

/** mmu-notifier/remove-locked-seq-read (FIXED): remove() reads invalidate_seq under the lock. */
@JCStressTest
@Outcome(id = "OK", expect = ACCEPTABLE, desc = "no freed subscription was touched")
@Outcome(id = "USE_AFTER_FREE", expect = FORBIDDEN, desc = "a freed subscription was touched")
@Outcome(expect = FORBIDDEN, desc = "anything else (a deadlock, an error or an unexpected outcome)")
@State
public class RemoveLockedSeqReadTest {
    private static final Variant V = Catalog.get("mmu-notifier", "remove-locked-seq-read");
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
