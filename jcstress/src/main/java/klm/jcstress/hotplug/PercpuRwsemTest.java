package klm.jcstress.hotplug;

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

/**
 * hotplug/percpu-rwsem (FIXED): barriers A-D: a reader and the writer are never inside together.
 */
@JCStressTest
@Outcome(id = "OK", expect = ACCEPTABLE, desc = "one after the other")
@Outcome(id = "BOTH_INSIDE", expect = FORBIDDEN, desc = "a reader inside with the writer")
@Outcome(expect = FORBIDDEN, desc = "anything else (an error or an unexpected outcome)")
@State
public class PercpuRwsemTest {
    private static final Variant V = Catalog.get("hotplug", "percpu-rwsem");
    private final ScenarioRun run = V.newRun();

    /** CPU0: the reader. */
    @Actor
    public void cpu0() {
        run.runCpu(0);
    }

    /** CPU1: the writer. */
    @Actor
    public void cpu1() {
        run.runCpu(1);
    }

    @Arbiter
    public void arbiter(L_Result r) {
        r.r1 = run.outcome().name();
    }
}
