package klm.lincheck.perf;

import org.junit.jupiter.api.Test;

import klm.lincheck.LincheckDriver;
import klm.verdict.Checker;

/**
 * The performance run's model-checking part (not a verdict test: run only by -Pperf). For each BUGGY
 * variant, N attempts of runConcurrentTest exactly as LincheckVerdictTest runs it, each recording the
 * wall time and the invocation of the first counterexample; for each FIXED variant, one run at the
 * quick bound, recording how many invocations it explored and whether that was exhaustive.
 */
class ModelCheckingPerf {
    @Test
    void measure() throws Exception {
        ModelCheckerAttempts.run(Checker.LINCHECK, "lincheck-mc",
                (v, sel) -> LincheckDriver.check(v, v.lincheckInvocations(sel.mode())),
                (log, v, a, o, wallMs) -> {
                    boolean found = o.verdict.found();
                    long count = Long.parseLong(o.figures.getOrDefault(found ? "firstFailureInvocation" : "invocations", "0"));
                    String note = found ? String.join(",", o.outcomes)
                            : "true".equals(o.figures.get("complete")) ? "exhaustive" : "bound " + o.figures.get("requested");
                    log.add(v, "lincheck-mc", a, found, Double.parseDouble(o.figures.getOrDefault("timeMs", "0")), count, 0, note);
                });
    }
}
