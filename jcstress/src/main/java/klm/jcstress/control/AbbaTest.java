package klm.jcstress.control;

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

/**
 * control/abba (BUGGY): CPU0 takes mutex A then B, CPU1 B then A. A deadlock is found by the
 * runtime's detector (bounded mode) and reported as the DEADLOCK outcome instead of a hang.
 */
@JCStressTest
@Outcome(id = "OK", expect = ACCEPTABLE, desc = "one CPU got both mutexes before the other started")
@Outcome(id = "DEADLOCK", expect = ACCEPTABLE_INTERESTING, desc = "each CPU holds one mutex and waits for the other")
@Outcome(expect = FORBIDDEN, desc = "anything else (a hang or an error)")
@State
public class AbbaTest {
    private static final Variant V = Catalog.get("control", "abba");
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
