package klm.lincheck.perf;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;

import klm.catalog.Selection;
import klm.perf.PerfLog;
import klm.verdict.Checker;
import klm.verdict.Kind;
import klm.verdict.Observation;
import klm.verdict.Variant;
import klm.verdict.Verdict;

/**
 * The loop the two model checkers' parts of the performance run share (Lincheck's and the
 * explorer's): for every selected variant the checker runs, N attempts where it is expected to find
 * the bug and one otherwise, each observation turned into a row of the run's log.
 */
final class ModelCheckerAttempts {
    private ModelCheckerAttempts() {}

    /** One attempt: the checker's observation of the variant, as its verdict test would make it. */
    interface Attempt {
        Observation observe(Variant v, Selection sel) throws Exception;
    }

    /** What a row records of an observation: the count, the wall time and the note. */
    interface Row {
        void add(PerfLog log, Variant v, int attempt, Observation o, double wallMs) throws Exception;
    }

    static void run(Checker checker, String method, Attempt attempt, Row row) throws Exception {
        Selection sel = Selection.fromSystemProperties();
        List<Variant> variants = sel.variants();
        assertFalse(variants.isEmpty());
        PerfLog log = new PerfLog(PerfLog.dir(), method);
        for (Variant v : variants) {
            Verdict expected = v.expected(checker).verdict();
            if (expected == Verdict.NOT_RUN) {
                continue;
            }
            int attempts = v.kind() == Kind.BUGGY && expected.found() ? PerfLog.attempts() : 1;
            for (int a = 1; a <= attempts; a++) {
                long t0 = System.nanoTime();
                Observation o = attempt.observe(v, sel);
                row.add(log, v, a, o, (System.nanoTime() - t0) / 1e6);
            }
        }
    }
}
