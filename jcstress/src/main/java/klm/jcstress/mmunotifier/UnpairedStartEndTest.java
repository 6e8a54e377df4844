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

/** mmu-notifier/unpaired-start-end (BUGGY): a failed _start() skips every _end(). */
@JCStressTest
@Outcome(id = "OK", expect = ACCEPTABLE, desc = "the memslot update went through")
@Outcome(id = "COUNT_LEAK", expect = ACCEPTABLE_INTERESTING, desc = "KVM's mmu_notifier_count stayed raised: the memslot update would wait forever")
@Outcome(expect = FORBIDDEN, desc = "anything else (a deadlock, an error or an unexpected outcome)")
@State
public class UnpairedStartEndTest {
    private static final Variant V = Catalog.get("mmu-notifier", "unpaired-start-end");
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
