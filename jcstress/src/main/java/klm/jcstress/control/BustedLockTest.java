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

/** control/busted-lock (BUGGY): locktorture's lock_busted lets both CPUs in; the bad outcome must be seen. */
@JCStressTest
@Outcome(id = "OK", expect = ACCEPTABLE, desc = "both increments counted")
@Outcome(id = "LOST_UPDATE", expect = ACCEPTABLE_INTERESTING, desc = "lock_busted let both CPUs in: one increment lost")
@Outcome(expect = FORBIDDEN, desc = "anything else (a deadlock or an error)")
@State
public class BustedLockTest {
    private static final Variant V = Catalog.get("control", "busted-lock");
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
