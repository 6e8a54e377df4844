package klm.jcstress.selftest;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.I_Result;

/**
 * Not a protocol: a test whose actor never returns, used only by the harness's own integration test
 * to show that a hung JCStress test is killed with its whole process tree, reported, and fails the
 * stage. No variant in the catalog points at it, so the main job never runs it.
 */
@JCStressTest
@Outcome(expect = ACCEPTABLE, desc = "never reached")
@State
public class HangingTest {
    volatile int never;

    @Actor
    public void spinsForever() {
        while (never == 0) {
            Thread.onSpinWait();
        }
    }

    @Actor
    public void returns() {
    }

    @Arbiter
    public void arbiter(I_Result r) {
        r.r1 = never;
    }
}
