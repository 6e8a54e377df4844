package klm.lincheck;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import klm.lockdep.LockdepDriver;
import klm.verdict.Checker;
import klm.verdict.Expectation;
import klm.verdict.Observation;
import klm.verdict.Selection;
import klm.verdict.Variant;
import klm.verdict.Verdict;

/**
 * lockdep's column of the results table: every selected variant's paths, once each, single-threaded,
 * with the validator attached. It lives beside the Lincheck verdict test because this module's
 * failures do not stop the JCStress stage from writing the summary (the build runs fail-at-end and
 * the jcstress module does not depend on this one).
 */
class LockdepVerdictTest {

    static List<Variant> selected() {
        return Selection.fromSystemProperties().variants();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("selected")
    void lockdepVerdict(Variant v) throws Exception {
        Expectation expected = v.expected(Checker.LOCKDEP);
        Observation o;
        if (expected.verdict() == Verdict.NOT_RUN) {
            o = Observation.of(v, Checker.LOCKDEP);
            o.verdict = Verdict.NOT_RUN;
            o.detail = expected.why();
        } else {
            o = LockdepDriver.observe(v);
        }
        o.runId = System.getProperty("klm.runId", "");
        String dir = System.getProperty("klm.observations");
        if (dir != null && !dir.isBlank()) {
            o.write(Path.of(dir));
        }
        boolean match = expected.matches(o.verdict, o.outcomes);
        System.out.printf("[klm] lockdep  %-40s expected %s, observed %s%s: %s %s%n", v.id(), expected.label(), o.verdict,
                o.outcomes.isEmpty() ? "" : " (" + o.outcomesText() + ")", o.detail, match ? "OK" : "MISMATCH");
        assertTrue(match, () -> v.id() + ": lockdep was expected to give " + expected.label() + " but gave " + o.verdict
                + (o.outcomes.isEmpty() ? "" : " (" + o.outcomesText() + ")") + ": " + o.detail + "\n" + o.trace);
    }
}
