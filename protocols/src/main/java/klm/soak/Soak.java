package klm.soak;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import klm.catalog.Selection;
import klm.process.ProcessTree;
import klm.report.Machine;
import klm.report.SourceCommit;
import klm.verdict.Checker;
import klm.verdict.Expectation;
import klm.verdict.Observation;
import klm.verdict.RunMode;
import klm.verdict.SelectionException;
import klm.verdict.Variant;
import klm.verdict.Verdict;

/**
 * The soak run: the test command ({@code mvn -B verify -Pci}) on a selection, N times,
 * each in a Maven build of its own (so every checker starts in fresh JVMs, as in CI), and per
 * variant and checker how many runs agreed with the expectation. Every disagreement's full report
 * (the observation's detail and trace) is kept under {@code target/soak/KEY/disagreements/}, each
 * run's console, observations and summary under {@code target/soak/KEY/run-I/}; the counts go to
 * {@code results/soak/KEY.properties}, from which {@code results/soak.md} is rendered with every
 * other selection soaked before. Exit code 0 only when every run agreed everywhere.
 *
 * <p>Options (system properties): {@code protocol}, {@code variant}, {@code mode} as for the main
 * job; {@code klm.soak.runs} (default 3); {@code klm.soak.runTimeout} seconds per run (default 3600
 * quick, 21600 thorough); {@code klm.soak.mvn} the Maven to run; {@code klm.soak.offline};
 * {@code klm.soak.load} busy threads to run beside each build (default 0: an idle machine), whose
 * runs are recorded apart from idle ones, with the load average each run met.
 */
public final class Soak {
    private Soak() {}

    /** How often a running build's progress is printed. */
    static final long HEARTBEAT_SECONDS = 60;

    record Options(Selection selection, int runs, long runTimeoutSeconds, Path project, Path dir, Path results,
                   List<String> mvn, int load) {
        /** "control-quick", "all-quick-load2", "hugetlb-free-plain-lock-thorough": the record's file name. */
        String key() {
            String what = selection.protocol().isEmpty() && selection.variant().isEmpty() ? "all"
                    : (selection.protocol() + (selection.variant().isEmpty() ? "" : "-" + selection.variant().replace('/', '-')))
                    .replaceAll("^-", "");
            return what + "-" + selection.mode().key() + (load > 0 ? "-load" + load : "");
        }

        /** The child build's command line, for run {@code i}. */
        List<String> command(int i, Path runDir) {
            List<String> c = new ArrayList<>(mvn);
            c.addAll(List.of("-B", "verify", "-Pci",
                    "-Dprotocol=" + selection.protocol(), "-Dvariant=" + selection.variant(), "-Dmode=" + selection.mode().key(),
                    "-Dklm.observations=" + runDir.resolve("observations"), "-Dklm.results=" + runDir.resolve("results"),
                    "-Dklm.runId=soak-" + key() + "-" + i));
            return c;
        }

        /** The command as the report shows it (no machine paths). */
        String shownCommand() {
            return "mvn -B verify -Pci" + (selection.protocol().isEmpty() ? "" : " -Dprotocol=" + selection.protocol())
                    + (selection.variant().isEmpty() ? "" : " -Dvariant=" + selection.variant())
                    + " -Dmode=" + selection.mode().key();
        }
    }

    static Options options(Properties p) {
        Selection sel = Selection.of(p);
        int runs = positive(p, "klm.soak.runs", 3);
        long timeout = positive(p, "klm.soak.runTimeout", sel.mode() == RunMode.QUICK ? 3600 : 21600);
        Path project = Path.of(p.getProperty("klm.soak.project", "")).toAbsolutePath();
        String mvn = p.getProperty("klm.soak.mvn", "mvn").trim();
        if (mvn.isEmpty() || mvn.contains("${")) {
            throw new SelectionException("-Dklm.soak.mvn='" + mvn + "' is not a Maven executable");
        }
        List<String> cmd = new ArrayList<>(List.of(mvn));
        if (Boolean.parseBoolean(p.getProperty("klm.soak.offline", "false").trim())) {
            cmd.add("-o");
        }
        Path dir = Path.of(p.getProperty("klm.soak.dir", project.resolve("target/soak").toString())).toAbsolutePath();
        Path results = Path.of(p.getProperty("klm.results", project.resolve("results").toString())).toAbsolutePath();
        String loadText = p.getProperty("klm.soak.load", "").trim();
        int load = loadText.isEmpty() || loadText.contains("${") || loadText.equals("0") ? 0 : positive(p, "klm.soak.load", 0);
        return new Options(sel, runs, timeout, project, dir, results, cmd, load);
    }

    private static int positive(Properties p, String name, int dflt) {
        String v = p.getProperty(name, "").trim();
        if (v.isEmpty()) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(v);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new SelectionException("-D" + name + "=" + v + " is not a positive whole number");
    }

    /** One checker's row of one variant, with how many runs agreed. */
    static final class Tally {
        final Variant variant;
        final Checker checker;
        final Expectation expected;
        int agreed;
        int runs;

        Tally(Variant variant, Checker checker, Expectation expected) {
            this.variant = variant;
            this.checker = checker;
            this.expected = expected;
        }
    }

    /** One run that did not agree somewhere. */
    record Disagreement(int run, String row, String expected, String observed, String why, Path report) {}

    /** One child build, and the load it met. */
    record Run(int index, long millis, int exit, String why, int agreed, int rows, String load) {}

    public static void main(String[] args) throws Exception {
        int code;
        try {
            code = run(options(System.getProperties()));
        } catch (SelectionException e) {
            System.err.println("[klm] ERROR: " + e.getMessage());
            code = 2;
        }
        System.exit(code);
    }

    static int run(Options o) throws Exception {
        Path base = o.dir().resolve(o.key());
        System.out.printf("[klm] soak: %d run(s) of the test command on %s (%d variant(s)); each run's console, observations"
                + " and summary under %s%n", o.runs(), o.selection().describe(), o.selection().variants().size(), base);
        String commit = SourceCommit.describe(o.project());
        String started = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        List<Tally> tallies = new ArrayList<>();
        for (Variant v : o.selection().variants()) {
            for (Checker c : Checker.values()) {
                Expectation e = v.expected(c);
                if (e.verdict() != Verdict.NOT_RUN) {
                    tallies.add(new Tally(v, c, e));
                }
            }
        }
        List<Run> runs = new ArrayList<>();
        List<Disagreement> disagreements = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int i = 1; i <= o.runs(); i++) {
            Path runDir = base.resolve("run-" + i);
            deleteTree(runDir);
            Files.createDirectories(runDir);
            long r0 = System.nanoTime();
            String[] why = {""};
            int exit;
            String load;
            try (CpuLoad l = new CpuLoad(o.load())) {
                exit = build(o, i, runDir, why, l);
                load = l.describe();
            }
            long ms = (System.nanoTime() - r0) / 1_000_000;
            int agreed = 0;
            List<Disagreement> here = new ArrayList<>();
            for (Tally t : tallies) {
                Observation obs = Observation.read(runDir.resolve("observations"), t.variant, t.checker, "soak-" + o.key() + "-" + i);
                t.runs++;
                if (t.expected.matches(obs.verdict, obs.outcomes)) {
                    t.agreed++;
                    agreed++;
                } else {
                    here.add(keep(base, i, t, obs));
                }
            }
            if (exit != 0 && here.isEmpty()) {
                // a red build without a wrong row: a stage broke (or a cross-check failed); the console says which
                here.add(new Disagreement(i, "(the build)", "exit code 0", "exit code " + exit, why[0].isEmpty()
                        ? lastKlmLine(runDir.resolve("console.log")) : why[0], runDir.resolve("console.log")));
            }
            disagreements.addAll(here);
            runs.add(new Run(i, ms, exit, why[0], agreed, tallies.size(), load));
            System.out.printf("[klm] soak run %d/%d: %s, exit %d, %d/%d rows as expected%s%n", i, o.runs(), duration(ms), exit,
                    agreed, tallies.size(), here.isEmpty() ? "" : ", " + here.size() + " DISAGREEMENT(S)");
            for (Disagreement d : here) {
                System.out.println("[klm]   " + d.row() + ": expected " + d.expected() + ", observed " + d.observed()
                        + (d.why().isEmpty() ? "" : ": " + d.why()) + " (full report: " + d.report() + ")");
            }
        }
        long totalMs = (System.nanoTime() - t0) / 1_000_000;
        Properties record = record(o, commit, started, totalMs, runs, tallies, disagreements);
        SoakReport.write(o.results(), o.key(), record);
        long clean = runs.stream().filter(r -> r.exit() == 0 && r.agreed() == r.rows()).count();
        System.out.printf("[klm] soak %s: %d of %d run(s) agreed everywhere, %d disagreement(s), %s; wrote %s%n", o.key(), clean,
                runs.size(), disagreements.size(), duration(totalMs), o.results().resolve("soak.md"));
        return disagreements.isEmpty() ? 0 : 1;
    }

    /** Runs one child build, its console to run-I/console.log; returns its exit code (-1 when killed). */
    private static int build(Options o, int i, Path runDir, String[] why, CpuLoad load) throws IOException, InterruptedException {
        Path console = runDir.resolve("console.log");
        ProcessBuilder pb = new ProcessBuilder(o.command(i, runDir)).directory(o.project().toFile())
                .redirectErrorStream(true).redirectOutput(console.toFile());
        Process p = pb.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(o.runTimeoutSeconds());
        long started = System.nanoTime();
        load.sample();
        while (!p.waitFor(HEARTBEAT_SECONDS, TimeUnit.SECONDS)) {
            load.sample();
            if (System.nanoTime() > deadline) {
                ProcessTree.kill(p);
                why[0] = "killed: the build did not finish within " + o.runTimeoutSeconds() + " s (klm.soak.runTimeout)";
                return -1;
            }
            System.out.printf("[klm] soak run %d/%d: running, %s: %s%n", i, o.runs(),
                    duration((System.nanoTime() - started) / 1_000_000), abbreviate(lastKlmLine(console), 110));
        }
        return p.exitValue();
    }

    /** Writes one disagreement's full report; returns what the console and the page say of it. */
    private static Disagreement keep(Path base, int run, Tally t, Observation obs) throws IOException {
        Path dir = base.resolve("disagreements");
        Files.createDirectories(dir);
        Path f = dir.resolve("run-" + run + "-" + t.checker.key() + "-" + t.variant.protocol() + "-" + t.variant.name() + ".txt");
        String observed = obs.verdict + (obs.outcomes.isEmpty() ? "" : " (" + obs.outcomesText() + ")");
        StringBuilder sb = new StringBuilder();
        sb.append("soak run ").append(run).append(": ").append(t.variant.id()).append(", ").append(t.checker.title()).append('\n');
        sb.append("expected: ").append(t.expected.label()).append('\n');
        sb.append("observed: ").append(observed).append('\n');
        sb.append("figures:  ").append(obs.figures).append('\n');
        sb.append("detail:\n").append(obs.detail).append("\n\ntrace:\n").append(obs.trace).append('\n');
        Files.writeString(f, sb.toString(), StandardCharsets.UTF_8);
        String why = obs.detail == null ? "" : obs.detail.lines().findFirst().orElse("");
        return new Disagreement(run, t.variant.id() + ", " + t.checker.title(), t.expected.label(), observed, why, f);
    }

    private static Properties record(Options o, String commit, String started, long totalMs, List<Run> runs,
                                     List<Tally> tallies, List<Disagreement> disagreements) {
        Properties p = new Properties();
        p.setProperty("key", o.key());
        p.setProperty("selection", o.selection().describe());
        p.setProperty("command", o.shownCommand());
        p.setProperty("commit", commit);
        p.setProperty("started", started);
        p.setProperty("machine", Machine.oneLine());
        p.setProperty("load", o.load() == 0 ? "none added" : o.load() + " busy thread(s) beside each build");
        p.setProperty("runs", Integer.toString(runs.size()));
        p.setProperty("totalMs", Long.toString(totalMs));
        for (Run r : runs) {
            p.setProperty("run." + r.index(), r.millis() + "," + r.exit() + "," + r.agreed() + "," + r.rows());
            p.setProperty("run." + r.index() + ".load", r.load());
        }
        int n = 0;
        for (Tally t : tallies) {
            p.setProperty("row." + n++, t.variant.id() + "|" + t.checker.key() + "|" + t.expected.label() + "|" + t.agreed + "|" + t.runs);
        }
        n = 0;
        for (Disagreement d : disagreements) {
            p.setProperty("disagreement." + n++, d.run() + "|" + d.row() + "|" + d.expected() + "|" + d.observed() + "|"
                    + d.why().replace('|', '/') + "|" + o.project().relativize(d.report()));
        }
        return p;
    }

    static String lastKlmLine(Path console) {
        try {
            List<String> lines = Files.readAllLines(console, StandardCharsets.UTF_8);
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (lines.get(i).startsWith("[klm]")) {
                    return lines.get(i).substring(5).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not there yet, or not text
        }
        return "(no progress line yet)";
    }

    static String abbreviate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }

    static String duration(long ms) {
        long s = Math.round(ms / 1000.0);
        return s < 60 ? s + " s" : String.format(Locale.ROOT, "%d min %d s", s / 60, s % 60);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            for (Path f : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        }
    }

    /** Moves a file written next to its target into place (the page is never half-written). */
    static void writeAtomically(Path target, String text) throws IOException {
        Files.createDirectories(target.getParent());
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** For tests: the options of a property map. */
    static Options options(Map<String, String> m) {
        Properties p = new Properties();
        p.putAll(new LinkedHashMap<>(m));
        return options(p);
    }
}
