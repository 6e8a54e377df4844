package klm.jcstress.harness;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import klm.catalog.Selection;
import klm.perf.PerfLog;
import klm.perf.PerfReport;
import klm.scenario.Outcome;
import klm.verdict.Checker;
import klm.verdict.Kind;
import klm.verdict.Variant;
import klm.verdict.Verdict;

/**
 * The performance run's JCStress part, then the report (-Pperf runs it in place of the JCStress
 * stage). For each BUGGY variant one JCStress invocation with N forks: each fork is a fresh JVM
 * running the test for one iteration, so each fork is one attempt. JCStress reports counts per fork,
 * not when the first bad outcome happened, so the time to the first detection of a fork is derived:
 * the fork's start-up share of the invocation's wall time, plus the iteration time scaled by the
 * position the first bad sample is expected at (samples / (bad + 1)). FIXED variants: one fork, for
 * the samples per second.
 */
public final class PerfStage {
    private PerfStage() {}

    static final int ITERATION_MS = 200;

    public static void main(String[] args) throws Exception {
        JcstressStage.exitWith(PerfStage::run);
    }

    static int run() throws Exception {
        Selection sel = Selection.fromSystemProperties();
        Path jar = JcstressStage.jar();
        Path results = JcstressStage.results(sel);
        Path perfDir = PerfLog.dir();
        JcstressStage stage = new JcstressStage(sel, jar, perfDir.resolve("observations"), perfDir.resolve("jcstress-work"),
                "perf", 0, 0);
        PerfLog log = new PerfLog(perfDir, "jcstress");
        int n = PerfLog.attempts();
        for (Variant v : sel.variants()) {
            if (v.expected(Checker.JCSTRESS).verdict() == Verdict.NOT_RUN || v.jcstressTest() == null) {
                continue;
            }
            int forks = v.kind() == Kind.BUGGY ? Math.max(1, (n + 1) / 2) : 1; // JCStress writes two records per fork here
            int iteration = ITERATION_MS * v.jcstressEffort();
            List<String> options = List.of("-f", Integer.toString(forks), "-iters", "1", "-time", Integer.toString(iteration),
                    "-sc", "false", "-jvmArgs", "-Xmx256m -XX:+UseParallelGC -Dklm.wait.timeout.ms=" + JcstressStage.DEADLOCK_WAIT_MS);
            System.out.printf("[klm] perf jcstress %s: %d fork(s) of %d ms...%n", v.id(), forks, iteration);
            JcstressStage.RunResult r = stage.runJcstress(v.jcstressTest(),
                    "^" + java.util.regex.Pattern.quote(v.jcstressTest()) + "$", TimeUnit.MINUTES.toNanos(10), TimeUnit.MINUTES.toNanos(10),
                    v.id(), options);
            Path file = r.hung() ? null : JcstressResults.resultFile(r.dir());
            List<JcstressResults.TestTotals> each = file == null ? List.of() : JcstressResults.readEach(file).stream()
                    .filter(t -> t.test.equals(v.jcstressTest())).toList();
            if (each.isEmpty()) {
                log.add(v, "jcstress", 1, false, r.millis(), 0, 0, "no result (exit " + r.exit() + ", log " + r.log() + ")");
                continue;
            }
            double overhead = Math.max(0, (r.millis() - (double) each.size() * iteration) / each.size());
            int a = 0;
            for (JcstressResults.TestTotals t : each) {
                a++;
                long samples = t.samples();
                long bad = 0;
                Map<String, Long> badByName = new LinkedHashMap<>();
                for (Map.Entry<String, Long> e : t.counts.entrySet()) {
                    if (Outcome.categoryOf(e.getKey()) != Outcome.Category.OK) {
                        bad += e.getValue();
                        badByName.put(e.getKey(), e.getValue());
                    }
                }
                boolean found = bad > 0;
                if (v.kind() == Kind.FIXED) {
                    log.add(v, "jcstress", a, found, iteration, samples, bad, found ? "FORBIDDEN outcome " + badByName : "");
                } else {
                    long toFirst = found ? Math.max(1, samples / (bad + 1)) : samples;
                    double ms = overhead + (found ? iteration * (double) toFirst / samples : iteration);
                    log.add(v, "jcstress", a, found, ms, toFirst, bad, found ? "rate " + String.format(java.util.Locale.ROOT,
                            "%.3g", (double) bad / samples) + " of " + samples : "0 of " + samples);
                }
            }
        }
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("command", "mvn -B verify -Pperf");
        facts.put("method", method());
        facts.put("date", java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).withNano(0).toString());
        PerfReport.write(perfDir, results, facts);
        return 0;
    }

    public static String method() {
        return String.join("\n", "How each method was run (N = " + PerfLog.attempts() + " attempts per BUGGY variant):", "",
                "- **lincheck-mc**: `Lincheck.runConcurrentTest` exactly as the verdict tests run it (up to the variant's"
                        + " quick bound of invocations); time = the call's wall time, count = the invocation of the first"
                        + " counterexample. Each attempt includes Lincheck's set-up (instrumentation is cached after the first).",
                "- **explorer**: the explorer's exploration exactly as its verdict test runs it (quick mode's budget), in"
                        + " one JVM; time = the call's wall time including the counterexample's table, count = the execution"
                        + " (from 1) that first went wrong, or for a FIXED variant the executions of the complete exploration."
                        + " Deterministic: every attempt of a variant should stop at the same execution.",
                "- **lincheck-stress**: Lincheck's stress mode (`StressOptions`, each CPU's task one operation on its own"
                        + " thread, the invariant as a `@Validate` function, the bounded deadlock detector) in batches of 200"
                        + " invocations until a failure or the cap (3 s).",
                "- **jcstress**: one JCStress invocation of the variant's test with N/2 forks of one " + ITERATION_MS
                        + " ms iteration (times the variant's effort factor); JCStress 0.16 writes two result records per"
                        + " fork with these options, and each record is an attempt. JCStress does not"
                        + " timestamp outcomes, so a fork's time to the first bad outcome is derived: its share of the JVM"
                        + " start-up, plus the iteration time x (samples / (bad + 1)) / samples. JCStress runs whole"
                        + " strides (10,240 samples here), so an iteration may last longer than its nominal time: the"
                        + " FIXED variants' samples per second, computed over the nominal iteration, are an upper bound.",
                "- **baseline**: the same scenario on plain threads, a fresh machine per round, the same invariant check,"
                        + " in a loop until it fails or the cap (3 s); count = rounds.",
                "- **lockdep**: the variant's paths once each, single-threaded, with the validator; only lock-order"
                        + " bugs are its to find (others are listed once, as silent).",
                "",
                "The ratio is the method's median time over the baseline's median time (below 1: faster than the baseline).");
    }
}
