package klm.lincheck.perf;

import org.junit.jupiter.api.Test;

import klm.explorer.ExplorerDriver;
import klm.perf.PerfLog;
import klm.verdict.Checker;
import klm.verdict.Verdict;

/**
 * The performance run's explorer part (run only by -Pperf, in a fork with klm.blocking=explorer).
 * For each BUGGY variant the explorer can see, N attempts of the exploration the verdict test runs,
 * each recording the wall time to the first counterexample and its execution index (deterministic:
 * every attempt should report the same index, and the report says whether they did); for every
 * other variant, one exploration, recording its executions, its time and whether it was complete.
 * Time = the wall time of the whole call (exploration, counterexample and its table), in one JVM: the
 * first attempt of the run pays the class loading, as Lincheck's first attempt pays its instrumentation.
 */
class ExplorerPerf {
    @Test
    void measure() throws Exception {
        PerfLog.clear(PerfLog.dir()); // the first part of the run: no measurement of an earlier run may remain
        ModelCheckerAttempts.run(Checker.explorers().get(0), "explorer",
                (v, sel) -> ExplorerDriver.observe(v, sel.mode()),
                (log, v, a, o, ms) -> {
                    boolean found = o.verdict.found();
                    long count = Long.parseLong(o.figures.getOrDefault(found ? "firstCounterexample" : "executions", "0"));
                    String note = found ? String.join(",", o.outcomes)
                            : o.verdict == Verdict.CLEAN ? ("true".equals(o.figures.get("complete")) ? "complete" : "NOT complete")
                            : o.verdict + ": " + o.detail;
                    System.out.printf("[klm] perf explorer %s attempt %d: %s, %s %d, %.1f ms%n", v.id(), a, note,
                            found ? "execution" : "executions", count, ms);
                    log.add(v, "explorer", a, found, ms, count, 0, note);
                });
    }
}
