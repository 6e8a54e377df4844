package klm.jcstress.hotplug;

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
 * hotplug/homebrew (BUGGY): homebrew mem_hotplug_lock with the percpu cpu_hotplug_lock: the three-CPU deadlock.
 */
@JCStressTest
@Outcome(id = "OK", expect = ACCEPTABLE, desc = "all three paths finished")
@Outcome(id = "DEADLOCK", expect = ACCEPTABLE_INTERESTING, desc = "the hotplug paths deadlocked (found by the runtime's detector)")
@Outcome(id = "BOTH_INSIDE", expect = FORBIDDEN, desc = "a reader inside with the writer")
@Outcome(expect = FORBIDDEN, desc = "anything else (an error or an unexpected outcome)")
@State
public class HomebrewTest {
    private static final Variant V = Catalog.get("hotplug", "homebrew");
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
