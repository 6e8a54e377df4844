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
 * hotplug/homebrew-both (BUGGY): both locks homebrew: the inversion is there, but no deadlock can form (a waiting homebrew writer does
 * not block new readers); a deadlock or an overlap would contradict that analysis and is forbidden.
 */
@JCStressTest
@Outcome(id = "OK", expect = ACCEPTABLE, desc = "all three paths finished")
@Outcome(id = "DEADLOCK", expect = FORBIDDEN, desc = "a deadlock")
@Outcome(id = "BOTH_INSIDE", expect = FORBIDDEN, desc = "a reader inside with the writer")
@Outcome(expect = FORBIDDEN, desc = "anything else (an error or an unexpected outcome)")
@State
public class HomebrewBothTest {
    private static final Variant V = Catalog.get("hotplug", "homebrew-both");
    private final ScenarioRun run = V.newRun();

    /** CPU0: offline_pages(); also brings up CPU2 (cpu_up) on a helper thread: JCStress needs a core per actor. */
    @Actor
    public void cpu0AndCpu2() {
        run.runCpuWithHelpers(0, 2);
    }

    /** CPU1: kmem_cache_create(). */
    @Actor
    public void cpu1() {
        run.runCpu(1);
    }

    @Arbiter
    public void arbiter(L_Result r) {
        r.r1 = run.outcome().name();
    }
}
