package klm.jcstress.control;

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
 * control/ordered (FIXED): both CPUs take mutex A then B; a deadlock is forbidden. The same
 * scenario code as control/abba, with one lock order.
 */
@JCStressTest
@Outcome(id = "OK", expect = ACCEPTABLE, desc = "both CPUs took A then B")
@Outcome(id = "DEADLOCK", expect = FORBIDDEN, desc = "a deadlock with a single lock order")
@Outcome(expect = FORBIDDEN, desc = "anything else (a hang or an error)")
@State
public class OrderedTest {
    private static final Variant V = Catalog.get("control", "ordered");
    private final ScenarioRun run = V.newRun();

    @Actor
    public void cpu0() {
        run.runCpu(0);
    }

    @Actor
    public void cpu1() {
        run.runCpu(1);
    }

    @Arbiter
    public void arbiter(L_Result r) {
        r.r1 = run.outcome().name();
    }
}
