package klm.jcstress.harness;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import klm.catalog.Selection;
import klm.process.ProcessTree;
import klm.report.Summary;
import klm.report.SummaryMain;
import klm.scenario.Outcome;
import klm.verdict.Checker;
import klm.verdict.Expectation;
import klm.verdict.Kind;
import klm.verdict.Observation;
import klm.verdict.RunMode;
import klm.verdict.SelectionException;
import klm.verdict.Variant;
import klm.verdict.Verdict;

/**
 * JCStress's column of the results table, and the end of the main job. For each selected variant
 * that has a JCStress test it runs JCStress in a child JVM of its own (so a hang is attributed to
 * one test and can be killed with its whole process tree), reads the outcome counts, decides the
 * observed verdict, and writes the observation. Then it writes results/ (summary and pages) and
 * exits non-zero if any observed verdict, of any checker, differs from the expected one.
 *
 * <p>Configuration (system properties): protocol, variant, mode, klm.observations, klm.results,
 * klm.runId, klm.jcstress.budget (seconds for the whole stage; 0 = by mode), klm.jcstress.jar,
 * klm.jcstress.testTimeout (seconds per test; 0 = by mode), klm.summary (false = do not write results).
 */
public final class JcstressStage {
    static final String DEADLOCK_WAIT_MS = "10000";

    private final Selection selection;
    private final Path jar;
    private final Path observations;
    private final Path work;
    private final String runId;
    /** The stage's wall-clock budget: as configured, or (0) from the mode and the tests to run. */
    private final long budgetSeconds;
    private long budgetNanos;
    private final long testTimeoutNanos;
    private final long start = System.nanoTime();
    private final PrintStream out = System.out;

    JcstressStage(Selection selection, Path jar, Path observations, Path work, String runId, long budgetSeconds,
                  long testTimeoutSeconds) {
        this.selection = selection;
        this.jar = jar;
        this.observations = observations;
        this.work = work;
        this.runId = runId;
        boolean quick = selection.mode() == RunMode.QUICK;
        this.budgetSeconds = budgetSeconds;
        this.budgetNanos = TimeUnit.SECONDS.toNanos(defaultBudgetSeconds(selection.mode(), 0));
        this.testTimeoutNanos = TimeUnit.SECONDS.toNanos(testTimeoutSeconds > 0 ? testTimeoutSeconds : quick ? 240 : 1800);
    }

    /**
     * Quick mode's budget per unit of effort (a test of effort factor f counts f units): about five
     * times what one costs on an idle 2-core machine (JCStress's quick preset, forks included, took
     * 10 to 12 s per test there), so that a loaded machine does not run out of budget where an idle
     * one has time to spare. The budget only bounds a stage that has stopped making sense; a hung
     * test is caught sooner by its own time-out and the stall rule.
     */
    static final long QUICK_SECONDS_PER_EFFORT = 60;

    /** The default budget of a stage that runs tests of {@code totalEffort} effort units in {@code mode}. */
    static long defaultBudgetSeconds(RunMode mode, int totalEffort) {
        return mode == RunMode.QUICK ? Math.max(1200, QUICK_SECONDS_PER_EFFORT * totalEffort) : 14400;
    }

    /** Quick mode's iteration time (JCStress's quick preset), stretched by a variant's effort factor. */
    static final int QUICK_ITERATION_MS = 200;

    /** JCStress options for a mode: quick = fewer configurations, as measured (docs/DESIGN.md, "The JCStress stage"). */
    List<String> jcstressOptions(int effort) {
        String deadlockWait = "-Dklm.wait.timeout.ms=" + DEADLOCK_WAIT_MS;
        if (selection.mode() == RunMode.QUICK) {
            return List.of("-m", "quick", "-sc", "false", "-time", Integer.toString(QUICK_ITERATION_MS * effort),
                    "-jvmArgs", "-Xmx256m -XX:+UseParallelGC -Dklm.outcome.details=2 " + deadlockWait);
        }
        return List.of("-m", "default", "-jvmArgsPrepend", deadlockWait + " -Dklm.outcome.details=2");
    }

    /** The classes JCStress knows (read through its own TestList, built by its annotation processor). */
    static Set<String> testList() {
        return new LinkedHashSet<>(org.openjdk.jcstress.infra.runners.TestList.tests());
    }

    /** Runs every selected variant's test; returns the number of stage errors (not verdict mismatches). */
    int runAll() throws Exception {
        int errors = 0;
        for (Observation o : runVariants(selection.variants())) {
            if (o.verdict == Verdict.ERROR) {
                errors++;
            }
        }
        return errors;
    }

    /**
     * Runs the JCStress test of each variant that has one, writing each observation as it comes.
     * The tests with the same effort factor run in one JCStress invocation: JCStress spends about
     * 4.5 s of every invocation probing the machine and the VM before the first test (measured), so
     * one invocation per test cost about three minutes of the test command, and one per protocol
     * about 20 s more than one per effort factor. A hung fork is caught by the stall rule (no new
     * fork result for the per-test time-out) and the invocation is killed with its whole process
     * tree; every test of it without a result then reads HUNG, with the log.
     */
    List<Observation> runVariants(List<Variant> variants) throws Exception {
        Set<String> known = testList();
        List<Variant> todo = new ArrayList<>();
        for (Variant v : variants) {
            if (v.expected(Checker.JCSTRESS).verdict() != Verdict.NOT_RUN) {
                todo.add(v);
            }
        }
        if (budgetSeconds > 0) {
            budgetNanos = TimeUnit.SECONDS.toNanos(budgetSeconds);
        } else {
            budgetNanos = TimeUnit.SECONDS.toNanos(defaultBudgetSeconds(selection.mode(),
                    todo.stream().mapToInt(Variant::jcstressEffort).sum()));
        }
        out.printf("[klm] jcstress: %d test(s) to run (%s), budget %d s, at most %d s each%n", todo.size(),
                selection.describe(), TimeUnit.NANOSECONDS.toSeconds(budgetNanos), TimeUnit.NANOSECONDS.toSeconds(testTimeoutNanos));
        Map<Variant, Observation> done = new java.util.HashMap<>();
        Map<String, List<Variant>> batches = new java.util.LinkedHashMap<>();
        for (Variant v : todo) {
            if (v.jcstressTest() == null || !known.contains(v.jcstressTest())) {
                Observation o = Observation.of(v, Checker.JCSTRESS);
                o.verdict = Verdict.ERROR;
                o.detail = "JCStress test " + v.jcstressTest() + " is not in the jar's test list (-t would match nothing)";
                record(v, o);
                done.put(v, o);
            } else {
                batches.computeIfAbsent("x" + v.jcstressEffort(), k -> new ArrayList<>()).add(v);
            }
        }
        int n = 0;
        for (List<Variant> batch : batches.values()) {
            n++;
            long left = budgetNanos - (System.nanoTime() - start);
            List<Observation> obs;
            if (left < TimeUnit.SECONDS.toNanos(10)) {
                obs = new ArrayList<>();
                for (Variant v : batch) {
                    Observation o = Observation.of(v, Checker.JCSTRESS);
                    o.verdict = Verdict.ERROR;
                    o.detail = "not run: the JCStress time budget (klm.jcstress.budget, " + TimeUnit.NANOSECONDS.toSeconds(budgetNanos)
                            + " s) was used up after " + TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start) + " s";
                    obs.add(o);
                }
            } else {
                out.printf("[klm] jcstress [%d/%d] effort x%d, %d test(s): %s...%n", n, batches.size(),
                        batch.get(0).jcstressEffort(), batch.size(), String.join(", ", batch.stream().map(Variant::id).toList()));
                obs = runBatch(batch, Math.min(left, testTimeoutNanos * batch.size()), Math.min(left, testTimeoutNanos));
            }
            for (int i = 0; i < batch.size(); i++) {
                obs.set(i, retryIfStarved(batch.get(i), obs.get(i)));
                record(batch.get(i), obs.get(i));
                done.put(batch.get(i), obs.get(i));
            }
        }
        List<Observation> ordered = new ArrayList<>();
        for (Variant v : todo) {
            ordered.add(done.get(v));
        }
        return ordered;
    }

    /** How many times longer each retry of a starved test runs, and how many retries there are. */
    static final int[] RETRY_STRETCH = {4, 16};

    /**
     * How long a retry whose iterations are {@code stretch} times longer may go without a new fork
     * result before it counts as hung: the per-test stall time for up to 4 times longer iterations,
     * and proportionally more beyond. A fork of the 16-times retry runs 5 iterations of 3.2 s at
     * least, and a deadlocking scenario's samples each wait out the deadlock detector, so on a loaded
     * machine its first result can take longer than a quick fork's stall time (a false HUNG of
     * hotplug/homebrew's retry beside two other builds). A hung fork is still caught, later.
     */
    static long retryStallNanos(long testTimeoutNanos, int stretch) {
        return testTimeoutNanos * Math.max(1, stretch / 4);
    }

    /**
     * A BUGGY variant JCStress must find but did not, in a run of its batch: the samples of a time-boxed
     * iteration fall with the machine's load (a soak beside two busy threads saw 24 samples where an
     * idle run takes about a million), and a bug seen a few times per ten thousand samples is then not
     * seen at all. Such a test runs again alone, its iterations 4 and then 16 times longer, until it is
     * seen or the retries are spent; the observation says so (figures {@code retries},
     * {@code firstSamples}). A FIXED variant is never retried: its CLEAN stands on the samples it took,
     * which the row shows. A bug still not seen after the retries stays a mismatch.
     */
    private Observation retryIfStarved(Variant v, Observation first) throws Exception {
        Expectation e = v.expected(Checker.JCSTRESS);
        if (!e.verdict().found() || first.verdict != Verdict.CLEAN) {
            return first;
        }
        Observation o = first;
        for (int k = 0; k < RETRY_STRETCH.length; k++) {
            long left = budgetNanos - (System.nanoTime() - start);
            if (left < TimeUnit.SECONDS.toNanos(10)) {
                break;
            }
            out.printf("[klm] jcstress %s: expected %s, nothing seen in %s samples; again alone, iterations %d times longer%n",
                    v.id(), e.label(), o.figures.getOrDefault("samples", "?"), RETRY_STRETCH[k]);
            o = runBatch(List.of(v), Math.min(left, testTimeoutNanos * RETRY_STRETCH[k]),
                    Math.min(left, retryStallNanos(testTimeoutNanos, RETRY_STRETCH[k])), RETRY_STRETCH[k]).get(0);
            o.figure("retries", k + 1);
            o.figure("firstSamples", first.figures.getOrDefault("samples", "?"));
            if (o.verdict != Verdict.CLEAN) {
                break;
            }
        }
        return o;
    }

    private void record(Variant v, Observation o) throws IOException {
        o.runId = runId;
        o.write(observations);
        Expectation e = v.expected(Checker.JCSTRESS);
        out.printf("[klm] jcstress %-40s expected %s, observed %s%s %s %s%n", v.id(), e.label(), o.verdict,
                o.outcomes.isEmpty() ? "" : " (" + o.outcomesText() + ")", o.figures.getOrDefault("samples", ""),
                e.matches(o.verdict, o.outcomes) ? "OK" : "MISMATCH " + o.detail);
    }

    /**
     * One JCStress invocation for a batch of tests (same effort), bounded by {@code timeoutNanos} in
     * all and by {@code stallNanos} without a new fork result.
     */
    List<Observation> runBatch(List<Variant> batch, long timeoutNanos, long stallNanos) throws Exception {
        return runBatch(batch, timeoutNanos, stallNanos, 1);
    }

    /** As above, each iteration {@code stretch} times longer (a retry of a starved test). */
    List<Observation> runBatch(List<Variant> batch, long timeoutNanos, long stallNanos, int stretch) throws Exception {
        String regex = "^(" + String.join("|", batch.stream().map(v -> Pattern.quote(v.jcstressTest())).toList()) + ")$";
        String dir = (batch.size() == 1 ? batch.get(0).jcstressTest() : "effort-x" + batch.get(0).jcstressEffort())
                + (stretch > 1 ? "-retry-x" + stretch : "");
        String label = batch.size() == 1 ? batch.get(0).id() : "effort x" + batch.get(0).jcstressEffort() + " (" + batch.size() + " tests)";
        RunResult r = runJcstress(dir, regex, timeoutNanos, stallNanos, label, jcstressOptions(batch.get(0).jcstressEffort() * stretch));
        Path file = r.hung ? null : JcstressResults.resultFile(r.dir);
        Map<String, JcstressResults.TestTotals> all = file == null ? Map.of() : JcstressResults.read(file);
        Map<String, List<String>> reports = outcomeReports(r.log);
        List<Observation> obs = new ArrayList<>();
        for (Variant v : batch) {
            Observation o = Observation.of(v, Checker.JCSTRESS);
            o.figure("timeMs", r.millis);
            if (batch.size() > 1) {
                o.figure("batchTests", batch.size()); // timeMs is the whole invocation's
            }
            obs.add(o);
            if (r.hung) {
                o.verdict = Verdict.ERROR;
                o.detail = "HUNG: " + r.why + "; killed its process tree (" + r.killed + " processes); log: " + r.log
                        + (batch.size() > 1 ? " (one invocation for " + label + ")" : "");
                continue;
            }
            JcstressResults.TestTotals t = all.get(v.jcstressTest());
            if (t == null || t.samples() == 0) {
                o.verdict = Verdict.ERROR;
                o.detail = "JCStress ran no sample of " + v.jcstressTest() + " (exit " + r.exit + "); log: " + r.log;
                continue;
            }
            decide(o, v.kind(), t);
            List<String> why = reports.getOrDefault(v.jcstressTest(), List.of());
            if (!why.isEmpty()) {
                o.trace += "\nThe first reports of the bad outcomes, as the runtime wrote them (the rule that fired, the CPUs, their locks):\n\n"
                        + String.join("\n", why) + "\n";
                if (v.kind() == Kind.FIXED) {
                    o.detail += "; first report: " + why.get(0);
                }
            }
            if (!t.errors.isEmpty()) {
                o.verdict = Verdict.ERROR;
                o.detail = "JCStress reported: " + String.join("; ", t.errors);
            }
            o.figure("jcstressExit", r.exit);
        }
        return obs;
    }

    /**
     * The runtime's reports of bad outcomes (ScenarioRun, {@code -Dklm.outcome.details}), per JCStress
     * test, from an invocation's console log: JCStress prints a fork's error stream after that
     * test's result block, so each report belongs to the last test named before it.
     */
    static Map<String, List<String>> outcomeReports(Path consoleLog) {
        Map<String, List<String>> out = new java.util.HashMap<>();
        if (consoleLog == null || !Files.isRegularFile(consoleLog)) {
            return out;
        }
        Pattern testLine = Pattern.compile("\\[[A-Z ]+\\]\\s+(klm\\.jcstress\\.[\\w.$]+)");
        String current = null;
        boolean inReport = false;
        try {
            for (String line : Files.readAllLines(consoleLog, StandardCharsets.UTF_8)) {
                java.util.regex.Matcher m = testLine.matcher(line);
                int at = line.indexOf(klm.scenario.ScenarioRun.DETAIL_MARK);
                if (m.find()) {
                    current = m.group(1);
                    inReport = false;
                } else if (at >= 0 && current != null) {
                    List<String> l = out.computeIfAbsent(current, k -> new ArrayList<>());
                    inReport = l.size() < 6;
                    if (inReport) {
                        l.add(line.substring(at + klm.scenario.ScenarioRun.DETAIL_MARK.length()).trim());
                    }
                } else if (inReport && line.startsWith("        ")) {
                    List<String> l = out.get(current); // a report's continuation line
                    l.set(l.size() - 1, l.get(l.size() - 1) + "\n    " + line.trim());
                } else {
                    inReport = false;
                }
            }
        } catch (IOException e) {
            return out;
        }
        return out;
    }

    /** The verdict from outcome counts: any VIOLATION-kind outcome wins, then DEADLOCK-kind, else CLEAN. */
    static void decide(Observation o, Kind kind, JcstressResults.TestTotals t) {
        long samples = t.samples();
        long bad = 0;
        boolean violation = false;
        boolean deadlock = false;
        boolean error = false;
        StringBuilder table = new StringBuilder("| outcome | samples | share | JCStress expectation |\n|---|---|---|---|\n");
        for (Map.Entry<String, Long> e : t.counts.entrySet()) {
            String name = e.getKey();
            Outcome.Category cat = Outcome.categoryOf(name);
            if (cat != Outcome.Category.OK) {
                bad += e.getValue();
                o.outcomes.add(name);
                violation |= cat == Outcome.Category.VIOLATION;
                deadlock |= cat == Outcome.Category.DEADLOCK;
                error |= cat == Outcome.Category.ERROR;
            }
            o.figure("outcome." + name, e.getValue());
            table.append(String.format(Locale.ROOT, "| %s | %,d | %s | %s |%n", name, e.getValue(),
                    pct((double) e.getValue() / samples), cat == Outcome.Category.OK ? "acceptable"
                            : kind == Kind.BUGGY ? "interesting (the bug)" : "forbidden"));
        }
        o.verdict = error ? Verdict.ERROR : violation ? Verdict.VIOLATION : deadlock ? Verdict.DEADLOCK : Verdict.CLEAN;
        o.figure("samples", samples).figure("badSamples", bad).figure("badRate", samples == 0 ? 0.0 : (double) bad / samples)
                .figure("configurations", t.configurations);
        o.trace = table.toString();
        o.detail = bad == 0 ? "no bad outcome in " + samples + " samples" : bad + " bad outcome(s) in " + samples + " samples";
    }

    private static String pct(double d) {
        return d == 0 ? "0%" : String.format(Locale.ROOT, d < 0.0001 ? "%.5f%%" : "%.2f%%", d * 100);
    }

    record RunResult(Path dir, Path log, int exit, boolean hung, String why, int killed, long millis) {}

    /**
     * Runs JCStress's Main for the tests {@code testRegex} matches, in working directory {@code dirName};
     * kills it after {@code timeoutNanos} in all, or after {@code stallNanos} without a new fork result
     * in its log (a hung fork: the rest of the invocation would never come).
     */
    RunResult runJcstress(String dirName, String testRegex, long timeoutNanos, long stallNanos, String label,
                          List<String> options) throws Exception {
        Path dir = work.resolve(dirName);
        deleteTree(dir);
        Files.createDirectories(dir);
        Path log = dir.resolve("console.log");
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx512m");
        cmd.add("-cp");
        cmd.add(jar.toString());
        cmd.add("org.openjdk.jcstress.Main");
        cmd.addAll(options);
        cmd.add("-t");
        cmd.add(testRegex);
        cmd.add("-r");
        cmd.add(dir.resolve("report").toString());
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        long t0 = System.nanoTime();
        Process p = pb.start();
        long deadline = t0 + timeoutNanos;
        long lastResult = t0;
        int results = 0;
        long logSize = -1;
        long nextNote = t0 + TimeUnit.SECONDS.toNanos(20);
        while (!p.waitFor(500, TimeUnit.MILLISECONDS)) {
            long now = System.nanoTime();
            long size = Files.size(log);
            if (size != logSize) { // JCStress wrote something: read its progress line again
                logSize = size;
                int r = forkResults(log);
                if (r != results) {
                    results = r;
                    lastResult = now;
                }
            }
            if (now > deadline || now - lastResult > stallNanos) {
                int killed = ProcessTree.kill(p);
                String why = now > deadline
                        ? "JCStress did not finish within " + TimeUnit.NANOSECONDS.toSeconds(timeoutNanos) + " s"
                        : "JCStress made no progress for " + TimeUnit.NANOSECONDS.toSeconds(stallNanos) + " s (no new fork result; "
                                + results + " before)";
                out.printf("[klm] jcstress %s: %s: killed %d process(es)%n", label, why, killed);
                return new RunResult(dir, log, -1, true, why, killed, (now - t0) / 1_000_000);
            }
            if (now > nextNote) {
                out.printf("[klm] jcstress %s: running, %d s%s%n", label, TimeUnit.NANOSECONDS.toSeconds(now - t0), progress(log));
                nextNote = now + TimeUnit.SECONDS.toNanos(20);
            }
        }
        return new RunResult(dir, log, p.exitValue(), false, "", 0, (System.nanoTime() - t0) / 1_000_000);
    }

    private static final Pattern RESULTS_LINE =
            Pattern.compile("\\(Results: \\d+ planned; (\\d+) passed, (\\d+) failed, (\\d+) soft errs, (\\d+) hard errs\\)");

    /**
     * Fork results JCStress has counted so far, from its last progress line ("(Results: 10 planned;
     * 4 passed, 0 failed, 0 soft errs, 0 hard errs)"): its progress. (A clean fork prints no result
     * line of its own without -v, so the progress line is the one signal every fork gives.)
     */
    static int forkResults(Path log) {
        java.util.regex.Matcher m = RESULTS_LINE.matcher(lastLine(log, RESULTS_LINE));
        return m.find() ? Integer.parseInt(m.group(1)) + Integer.parseInt(m.group(2)) + Integer.parseInt(m.group(3))
                + Integer.parseInt(m.group(4)) : 0;
    }

    private static final Pattern ETA_LINE = Pattern.compile("ETA");

    /** The last progress line JCStress printed ("(ETA: ...)"), for the console. */
    private static String progress(Path log) {
        String last = lastLine(log, ETA_LINE);
        return last.isEmpty() ? "" : ": " + last.replace('\r', ' ').trim();
    }

    /** The last line of the log in which {@code p} is found, or "" (also when the log cannot be read). */
    private static String lastLine(Path log, Pattern p) {
        String last = "";
        try (BufferedReader r = Files.newBufferedReader(log, StandardCharsets.UTF_8)) {
            for (String l = r.readLine(); l != null; l = r.readLine()) {
                if (p.matcher(l).find()) {
                    last = l;
                }
            }
        } catch (IOException e) {
            return last;
        }
        return last;
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (var s = Files.walk(p)) {
            for (Path x : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(x);
            }
        }
    }

    private static String prop(String name, String dflt) {
        String v = System.getProperty(name);
        return v == null || v.isBlank() ? dflt : v.trim();
    }

    static long seconds(String name) {
        String v = prop(name, "0");
        try {
            long s = Long.parseLong(v);
            if (s < 0) {
                throw new NumberFormatException();
            }
            return s;
        } catch (NumberFormatException e) {
            throw new SelectionException("-D" + name + "=" + v + " is not a number of seconds (0 = the mode's default)");
        }
    }

    public static void main(String[] args) throws Exception {
        exitWith(JcstressStage::run);
    }

    /** A stage's body: its exit code. */
    interface Body {
        int run() throws Exception;
    }

    /** Runs a stage and exits with its code; a bad option is a clear message and exit code 2. */
    static void exitWith(Body body) throws Exception {
        int code;
        try {
            code = body.run();
        } catch (SelectionException e) {
            System.err.println("[klm] ERROR: " + e.getMessage());
            code = 2;
        }
        System.exit(code);
    }

    /** The JCStress jar named by -Dklm.jcstress.jar; a missing one is a clear error. */
    static Path jar() {
        Path jar = Path.of(prop("klm.jcstress.jar", "target/jcstress.jar")).toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new SelectionException("-Dklm.jcstress.jar=" + jar + " does not exist (build it with mvn package)");
        }
        return jar;
    }

    /**
     * The results directory named by -Dklm.results, for this selection: a selective run writes
     * target/results instead of the committed results/ (Selection.resultsDir), and says so.
     */
    static Path results(Selection sel) {
        Path requested = Path.of(prop("klm.results", "results")).toAbsolutePath().normalize();
        Path r = sel.resultsDir(requested);
        if (!r.equals(requested)) {
            System.out.println("[klm] a selective run (" + sel.describe() + ") writes " + r + "; only the whole catalog in"
                    + " quick mode writes " + requested);
        }
        return r;
    }

    /** How many lines of an earlier mismatch's trace the early warning shows. */
    static final int EARLY_TRACE_LINES = 30;

    /**
     * Names, before the longest stage starts, every row that an earlier column of this build got
     * wrong (the summary at the end says it again): a red build's cause is then near the start of
     * the JCStress output as well as at its end, where a truncated log may not reach.
     */
    static void reportEarlierMismatches(Selection sel, Path observations, String runId) throws IOException {
        List<Summary.Row> rows = Summary.recordedMismatches(sel, observations, runId,
                Checker.allBut(Checker.JCSTRESS));
        if (rows.isEmpty()) {
            return;
        }
        System.out.println("[klm] this build is already red: " + rows.size() + " row(s) of the earlier columns differ from the"
                + " expectation (the summary at the end repeats them):");
        for (Summary.Row r : rows) {
            System.out.println("[klm]   " + Summary.mismatchLine(r));
            r.observed().trace.lines().limit(EARLY_TRACE_LINES).forEach(l -> System.out.println("[klm]     " + l));
        }
    }

    static int run() throws Exception {
        Selection sel = Selection.fromSystemProperties();
        Path jar = jar();
        Path observations = Path.of(prop("klm.observations", "target/observations")).toAbsolutePath();
        Path results = results(sel);
        String runId = prop("klm.runId", "");
        JcstressStage stage = new JcstressStage(sel, jar, observations, observations.resolve("jcstress-work"), runId,
                seconds("klm.jcstress.budget"), seconds("klm.jcstress.testTimeout"));
        reportEarlierMismatches(sel, observations, runId);
        int stageErrors = stage.runAll();
        if (!Boolean.parseBoolean(prop("klm.summary", "true"))) {
            return stageErrors == 0 ? 0 : 1;
        }
        int summary = SummaryMain.run(new String[] {results.toString(), observations.toString(), runId,
                sel.protocol(), sel.variant(), sel.mode().key()});
        return summary != 0 || stageErrors != 0 ? 1 : 0;
    }
}
