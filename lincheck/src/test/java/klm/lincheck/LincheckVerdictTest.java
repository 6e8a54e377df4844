package klm.lincheck;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import klm.catalog.Selection;
import klm.verdict.Checker;
import klm.verdict.Observation;
import klm.verdict.Variant;
import klm.verdict.Verdict;

/**
 * Lincheck's column of the results table: every selected variant's scenario under
 * runConcurrentTest. A BUGGY variant must be found, with the expected kind of failure and outcome
 * name; a FIXED variant must come out clean after its stated number of invocations. The
 * observation is written for the summary before the assertion, so a mismatch is both a red test
 * and a ✗ in results/summary.md.
 */
class LincheckVerdictTest {

    static List<Variant> selected() {
        return Selection.fromSystemProperties().variants();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("selected")
    @Timeout(value = 15, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void lincheckVerdict(Variant v) throws Exception {
        Selection sel = Selection.fromSystemProperties();
        VerdictRecorder.check(v, Checker.LINCHECK, () -> {
            int invocations = v.lincheckInvocations(sel.mode());
            String proof = provenByExplorer(v);
            int bound = Integer.getInteger(PROVEN_BOUND, 0);
            boolean reduced = proof != null && bound > 0 && bound < invocations;
            if (reduced) {
                invocations = bound;
            }
            System.out.printf("[klm] lincheck %-40s up to %,d invocations%s...%n", v.id(), invocations,
                    reduced ? " (explorer-proven scenario)" : "");
            Observation o = LincheckDriver.check(v, invocations);
            if (reduced) {
                o.figure("reducedBound", proof);
            }
            return o;
        });
    }

    /**
     * The test command's Lincheck bound for a scenario the explorer has just proven: where
     * this run's explorer column explored every execution of the variant's scenario and found nothing,
     * and Lincheck is not expected to find anything either, Lincheck's sample is a cross-check of the
     * same model under another instrumentation, not the evidence; the ci profile sets this property
     * so that the test command samples such a variant with fewer invocations. Unset (the main job),
     * every variant gets its full bound.
     */
    static final String PROVEN_BOUND = "klm.lincheck.provenBound";

    /** "the explorer proved it: N executions, complete" when this run's explorer did, else null. */
    static String provenByExplorer(Variant v) {
        String dir = System.getProperty("klm.observations");
        Verdict expected = v.expected(Checker.LINCHECK).verdict();
        if (dir == null || dir.isBlank() || (expected != Verdict.CLEAN && expected != Verdict.NOT_SEEN)) {
            return null;
        }
        try {
            Observation ex = Observation.read(Path.of(dir), v, Checker.explorers().get(0), System.getProperty("klm.runId", ""));
            if (ex.verdict == Verdict.CLEAN && "true".equals(ex.figures.get("complete"))) {
                return "the explorer proved this scenario in " + ex.figures.get("executions") + " executions, complete";
            }
        } catch (IOException e) {
            return null;
        }
        return null;
    }
}
