package klm.jcstress.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;

import org.junit.jupiter.api.Test;

import klm.verdict.Checker;
import klm.verdict.Kind;
import klm.verdict.Observation;
import klm.verdict.Verdict;

/** How outcome counts become a verdict. */
class JcstressVerdictTest {
    /** A stretched retry's stall time grows with its iterations: the last retry is never cut at a quick fork's. */
    @Test
    void aLongerRetryMayGoLongerWithoutAForkResult() {
        long quick = java.util.concurrent.TimeUnit.SECONDS.toNanos(240);
        assertEquals(quick, JcstressStage.retryStallNanos(quick, 1));
        assertEquals(quick, JcstressStage.retryStallNanos(quick, JcstressStage.RETRY_STRETCH[0]));
        int last = JcstressStage.RETRY_STRETCH[JcstressStage.RETRY_STRETCH.length - 1];
        assertEquals(quick * (last / 4), JcstressStage.retryStallNanos(quick, last));
        assertTrue(JcstressStage.retryStallNanos(quick, last) <= quick * last, "the stall bound stays within the retry's own time-out");
    }

    private static Observation decide(Kind kind, Object... nameCount) {
        JcstressResults.TestTotals t = new JcstressResults.TestTotals("T");
        for (int i = 0; i < nameCount.length; i += 2) {
            t.counts.put((String) nameCount[i], ((Number) nameCount[i + 1]).longValue());
        }
        t.configurations = 4;
        Observation o = new Observation("p", "v", Checker.JCSTRESS);
        JcstressStage.decide(o, kind, t);
        return o;
    }

    @Test
    void countsBecomeVerdictsRatesAndATable() {
        Observation o = decide(Kind.BUGGY, "OK", 900, "LOST_UPDATE", 100);
        assertEquals(Verdict.VIOLATION, o.verdict);
        assertEquals(Set.of("LOST_UPDATE"), o.outcomes);
        assertEquals("1000", o.figures.get("samples"));
        assertEquals("100", o.figures.get("badSamples"));
        assertEquals("0.1", o.figures.get("badRate"));
        assertTrue(o.trace.contains("| LOST_UPDATE | 100 | 10.00% | interesting (the bug) |"), o.trace);

        assertEquals(Verdict.CLEAN, decide(Kind.FIXED, "OK", 5).verdict);
        assertEquals(Verdict.DEADLOCK, decide(Kind.BUGGY, "OK", 5, "SELF_DEADLOCK", 1).verdict);
        assertEquals(Verdict.VIOLATION, decide(Kind.BUGGY, "DEADLOCK", 5, "PAGE_LOST", 1).verdict);
        assertEquals(Verdict.ERROR, decide(Kind.BUGGY, "OK", 5, "ERROR", 1).verdict);
        assertTrue(decide(Kind.FIXED, "OK", 5, "DEADLOCK", 1).trace.contains("forbidden"));
    }
}
