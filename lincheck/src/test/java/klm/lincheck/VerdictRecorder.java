package klm.lincheck;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;

import klm.verdict.Checker;
import klm.verdict.Expectation;
import klm.verdict.Observation;
import klm.verdict.Variant;
import klm.verdict.Verdict;

/**
 * The end of every verdict test: write the observation for the summary (first, so that a mismatch
 * is both a red test and a ✗ in results/summary.md), print one line, assert the expectation.
 */
final class VerdictRecorder {
    private VerdictRecorder() {}

    /** The observation for a checker that does not run on this variant. */
    static Observation notRun(Variant v, Checker c, Expectation e) {
        Observation o = Observation.of(v, c);
        o.verdict = Verdict.NOT_RUN;
        o.detail = e.why();
        return o;
    }

    /**
     * The whole verdict test of one checker on one variant: NOT_RUN where the catalog says so, else
     * the checker's observation; then recorded and asserted.
     */
    static void check(Variant v, Checker c, java.util.function.Supplier<Observation> observe) throws IOException {
        Expectation expected = v.expected(c);
        Observation o = expected.verdict() == Verdict.NOT_RUN ? notRun(v, c, expected) : observe.get();
        recordAndAssert(v, c, expected, o);
    }

    static void recordAndAssert(Variant v, Checker c, Expectation expected, Observation o) throws IOException {
        o.runId = System.getProperty("klm.runId", "");
        String dir = System.getProperty("klm.observations");
        if (dir != null && !dir.isBlank()) {
            o.write(Path.of(dir));
        }
        boolean match = expected.matches(o.verdict, o.outcomes);
        String seen = o.verdict + (o.outcomes.isEmpty() ? "" : " (" + o.outcomesText() + ")");
        System.out.printf("[klm] %-8s %-40s expected %s, observed %s %s %s%n", c.key(), v.id(), expected.label(), seen,
                o.figures.isEmpty() ? o.detail : o.figures.toString(), match ? "OK" : "MISMATCH");
        assertTrue(match, () -> v.id() + ": " + c.title() + " was expected to give " + expected.label() + " but gave " + seen
                + ": " + o.detail + (o.trace.isBlank() ? "" : "\n" + o.trace));
    }
}
