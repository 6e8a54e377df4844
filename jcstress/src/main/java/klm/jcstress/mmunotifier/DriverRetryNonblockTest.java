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

/** mmu-notifier/driver-retry-nonblock (FIXED): the documented loop against a non-blockable invalidation. */
@JCStressTest
@Outcome(id = "OK", expect = ACCEPTABLE, desc = "the device maps nothing or what the CPU maps")
@Outcome(id = "STALE_DEVICE_PTE", expect = FORBIDDEN, desc = "the device still maps the migrated page")
@Outcome(expect = FORBIDDEN, desc = "anything else (a deadlock, an error or an unexpected outcome)")
@State
public class DriverRetryNonblockTest {
    private static final Variant V = Catalog.get("mmu-notifier", "driver-retry-nonblock");
    private final ScenarioRun run = V.newRun();

    /** CPU0: the device fault (collision-retry loop). */
    @Actor
    public void cpu0() {
        run.runCpu(0);
    }

    /** CPU1: the OOM reaper's non-blockable invalidation of page 0. */
    @Actor
    public void cpu1() {
        run.runCpu(1);
    }

    @Arbiter
    public void arbiter(L_Result r) {
        r.r1 = run.outcome().name();
    }
}
