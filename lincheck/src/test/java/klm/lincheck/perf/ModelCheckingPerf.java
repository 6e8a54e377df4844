package klm.lincheck.perf;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;

import org.junit.jupiter.api.Test;

import klm.lincheck.LincheckDriver;
import klm.perf.PerfLog;
import klm.verdict.Checker;
import klm.verdict.Kind;
import klm.verdict.Observation;
import klm.verdict.Selection;
import klm.verdict.Variant;
import klm.verdict.Verdict;

/**
 * The performance run's model-checking part (not a verdict test: run only by -Pperf). For each BUGGY
 * variant, N attempts of runConcurrentTest exactly as LincheckVerdictTest runs it, each recording the
 * wall time and the invocation of the first counterexample; for each FIXED variant, one run at the
 * quick bound, recording how many invocations it explored and whether that was exhaustive.
 */
class ModelCheckingPerf {
    @Test
    void measure() throws Exception {
        Selection sel = Selection.fromSystemProperties();
        List<Variant> variants = sel.variants();
        assertFalse(variants.isEmpty());
        PerfLog log = new PerfLog(PerfLog.dir(), "lincheck-mc");
        for (Variant v : variants) {
            Verdict expected = v.expected(Checker.LINCHECK).verdict();
            if (expected == Verdict.NOT_RUN) {
                continue;
            }
            int invocations = v.lincheckInvocations(sel.mode());
            boolean findable = v.kind() == Kind.BUGGY && expected != Verdict.NOT_SEEN;
            int attempts = findable ? PerfLog.attempts() : 1;
            for (int a = 1; a <= attempts; a++) {
                Observation o = LincheckDriver.check(v, invocations);
                boolean found = o.verdict.found();
                long count = Long.parseLong(o.figures.getOrDefault(found ? "firstFailureInvocation" : "invocations", "0"));
                String note = found ? String.join(",", o.outcomes)
                        : "true".equals(o.figures.get("complete")) ? "exhaustive" : "bound " + invocations;
                log.add(v, "lincheck-mc", a, found, Double.parseDouble(o.figures.getOrDefault("timeMs", "0")), count, 0, note);
            }
        }
    }
}
