package klm.jcstress.hugetlb;

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

/** hugetlb-free/resize-with-mutex (FIXED): resize_lock serialises the writers. */
@JCStressTest
@Outcome(id = "OK", expect = ACCEPTABLE, desc = "the pool invariant holds after every free")
@Outcome(id = "WRONG_NODE", expect = FORBIDDEN, desc = "a node slot handed out twice")
@Outcome(expect = FORBIDDEN, desc = "anything else (a page lost or freed twice, a counter off, an error)")
@State
public class ResizeWithMutexTest {
    private static final Variant V = Catalog.get("hugetlb-free", "resize-with-mutex");
    private final ScenarioRun run = V.newRun();

    /** CPU0: echo 2 > nr_hugepages. */
    @Actor
    public void cpu0() {
        run.runCpu(0);
    }

    /** CPU1: echo 2 > nr_hugepages, at the same time. */
    @Actor
    public void cpu1() {
        run.runCpu(1);
    }

    @Arbiter
    public void arbiter(L_Result r) {
        r.r1 = run.outcome().name();
    }
}
