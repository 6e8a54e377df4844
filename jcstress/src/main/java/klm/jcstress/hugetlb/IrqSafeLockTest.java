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

/** hugetlb-free/irq-safe-lock (FIXED): hugetlb_lock irq-safe everywhere: no deadlock, no lost page. */
@JCStressTest
@Outcome(id = "OK", expect = ACCEPTABLE, desc = "the pool invariant holds after every free")
@Outcome(id = "SELF_DEADLOCK", expect = FORBIDDEN, desc = "a self-deadlock")
@Outcome(id = "DEADLOCK", expect = FORBIDDEN, desc = "a deadlock")
@Outcome(expect = FORBIDDEN, desc = "anything else (a page lost or freed twice, a counter off, an error)")
@State
public class IrqSafeLockTest {
    private static final Variant V = Catalog.get("hugetlb-free", "irq-safe-lock");
    private final ScenarioRun run = V.newRun();

    /** CPU0: echo 3 > nr_hugepages (set_max_huge_pages), taking softirqs raised by CPU1. */
    @Actor
    public void cpu0() {
        run.runCpu(0);
    }

    /** CPU1: raises BLOCK (free a page) and NET_RX (socket lock) softirqs on CPU0, then frees a page holding the socket lock with BH off. */
    @Actor
    public void cpu1() {
        run.runCpu(1);
    }

    @Arbiter
    public void arbiter(L_Result r) {
        r.r1 = run.outcome().name();
    }
}
