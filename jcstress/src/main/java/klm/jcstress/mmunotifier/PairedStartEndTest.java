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

/** mmu-notifier/paired-start-end (FIXED): _end() for every notifier after a failed _start(). */
@JCStressTest
@Outcome(id = "OK", expect = ACCEPTABLE, desc = "the memslot update went through")
@Outcome(id = "COUNT_LEAK", expect = FORBIDDEN, desc = "KVM's mmu_notifier_count stayed raised")
@Outcome(expect = FORBIDDEN, desc = "anything else (a deadlock, an error or an unexpected outcome)")
@State
public class PairedStartEndTest {
    private static final Variant V = Catalog.get("mmu-notifier", "paired-start-end");
    private final ScenarioRun run = V.newRun();

    /** CPU0: KVM memslot update, waiting for mmu_notifier_count to drop. */
    @Actor
    public void cpu0() {
        run.runCpu(0);
    }

    /** CPU1: the OOM reaper's non-blocking invalidation. */
    @Actor
    public void cpu1() {
        run.runCpu(1);
    }

    @Arbiter
    public void arbiter(L_Result r) {
        r.r1 = run.outcome().name();
    }
}
