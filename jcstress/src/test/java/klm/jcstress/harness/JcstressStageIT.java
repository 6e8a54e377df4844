package klm.jcstress.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import klm.catalog.Selection;
import klm.verdict.Expectation;
import klm.verdict.Observation;
import klm.verdict.Variant;
import klm.verdict.Verdict;

/** The JCStress stage's failure paths, against the real jar. */
class JcstressStageIT {
    @TempDir
    Path tmp;

    private JcstressStage stage(long budgetSeconds, long testTimeoutSeconds) {
        System.out.println("[klm] (self-test of the JCStress stage: the ERROR/MISMATCH line that follows is expected)");
        Path jar = Path.of(System.getProperty("klm.jcstress.jar", "target/jcstress.jar")).toAbsolutePath();
        return new JcstressStage(Selection.parse("control", "", "quick"), jar, tmp.resolve("obs"), tmp.resolve("work"),
                "it", budgetSeconds, testTimeoutSeconds);
    }

    private static Variant fake(String name, String testClass) {
        return Variant.buggy("selftest", name, () -> null).jcstress(Expectation.violation("X"), testClass);
    }

    @Test
    void aHungTestIsKilledWithItsWholeProcessTreeAndReported() throws Exception {
        long t0 = System.nanoTime();
        List<Observation> obs = stage(0, 12).runVariants(List.of(fake("hanging", "klm.jcstress.selftest.HangingTest")));
        long seconds = (System.nanoTime() - t0) / 1_000_000_000L;
        Observation o = obs.get(0);
        assertEquals(Verdict.ERROR, o.verdict);
        assertTrue(o.detail.startsWith("HUNG"), o.detail);
        // the test never ends by itself, so any bound shows the 12 s per-test timeout ended it; 15 times
        // that leaves room for JVM start-up and the kill on a loaded machine
        assertTrue(seconds < 180, "a test that never ends was ended by the 12 s per-test timeout, but the stage took "
                + seconds + " s (bound 180 s)");
        assertEquals(0, ProcessHandle.current().descendants().count(),
                "no JCStress JVM (host or fork) may survive the kill");
    }

    @Test
    void aTestThatJcstressDoesNotKnowIsAnErrorNotAnEmptyRun() throws Exception {
        Observation o = stage(0, 20).runVariants(List.of(fake("missing", "klm.jcstress.NoSuchTest"))).get(0);
        assertEquals(Verdict.ERROR, o.verdict);
        assertTrue(o.detail.contains("-t would match nothing"), o.detail);
    }

    @Test
    void aTestTheBudgetCannotReachIsAnError() throws Exception {
        Observation o = stage(1, 20).runVariants(List.of(fake("late", "klm.jcstress.control.AbbaTest"))).get(0);
        assertEquals(Verdict.ERROR, o.verdict);
        assertTrue(o.detail.contains("budget"), o.detail);
    }
}
