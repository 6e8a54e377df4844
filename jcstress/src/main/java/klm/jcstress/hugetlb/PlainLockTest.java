package klm.jcstress.hugetlb;

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

/** hugetlb-free/plain-lock (BUGGY): spin_lock(&hugetlb_lock) from any context. */
@JCStressTest
@Outcome(id = "OK", expect = ACCEPTABLE, desc = "the pool invariant holds after every free")
@Outcome(id = "SELF_DEADLOCK", expect = ACCEPTABLE_INTERESTING, desc = "a softirq spun on hugetlb_lock held by the task it interrupted")
@Outcome(id = "DEADLOCK", expect = ACCEPTABLE_INTERESTING, desc = "the socket-lock / hugetlb_lock cycle across the two CPUs")
@Outcome(id = "HANG", expect = ACCEPTABLE_INTERESTING, desc = "the same deadlock, ended by the detector's every-CPU-blocked rule or its backstop")
@Outcome(expect = FORBIDDEN, desc = "anything else (a page lost or freed twice, a counter off, an error)")
@State
public class PlainLockTest {
    private static final Variant V = Catalog.get("hugetlb-free", "plain-lock");
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
