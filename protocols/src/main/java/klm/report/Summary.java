package klm.report;

import java.io.IOException;
import java.io.InputStream;
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
import java.util.Set;
import java.util.TreeMap;
import klm.catalog.Catalog;
import klm.catalog.Selection;
import klm.verdict.Checker;
import klm.verdict.Expectation;
import klm.verdict.Kind;
import klm.verdict.Observation;
import klm.verdict.Provenance;
import klm.verdict.RunMode;
import klm.verdict.Variant;
import klm.verdict.Verdict;

/**
 * Merges the checkers' observations of one build with the catalog's expectations and writes
 * {@code summary.json}, {@code summary.md} and one page per protocol run. Everything is written to
 * a staging directory first and moved into place at the end, so a failed run leaves nothing
 * half-written in {@code results/}.
 */
public final class Summary {
    /** One variant seen by one checker. */
    public record Row(Variant variant, Checker checker, Expectation expected, Observation observed, boolean match) {}

    private final Selection selection;
    private final List<Row> rows = new ArrayList<>();
    private final List<String> crossCheck;
    private final String date = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    /** The commit these results come from (the project directory is the working directory of every stage). */
    private final String commit = SourceCommit.describe(Path.of("").toAbsolutePath());

    /** docs/KERNEL-COMMITS.md, read when the first page needs it. */
    private Map<String, KernelCommits.Commit> kernelCommits;
    /** The build's start (its run id is the Maven build timestamp), for the run's duration. */
    private final String runId;
    /** This run's answers on the litmus corpus (LitmusCorpusTest leaves them among the observations), if it gave any. */
    private final Path litmusAnswers;
    /** This run's comparisons of the DPOR with every interleaving on the corpus (LitmusDporExhaustiveTest), if any. */
    private final Path litmusWalks;

    public Summary(Selection selection, Path observations, String runId) throws IOException {
        this.selection = selection;
        this.runId = runId;
        this.litmusAnswers = LitmusPage.answersFile(observations, runId);
        this.litmusWalks = LitmusPage.walksFile(observations, runId);
        for (Variant v : selection.variants()) {
            for (Checker c : Checker.values()) {
                Expectation e = v.expected(c);
                Observation o;
                if (e.verdict() == Verdict.NOT_RUN) {
                    o = Observation.of(v, c);
                    o.verdict = Verdict.NOT_RUN;
                    o.detail = e.why();
                } else {
                    o = Observation.read(observations, v, c, runId);
                }
                rows.add(new Row(v, c, e, o, e.matches(o.verdict, o.outcomes)));
            }
        }
        this.crossCheck = crossCheck();
    }

    public List<Row> rows() {
        return rows;
    }

    public List<Row> mismatches() {
        return rows.stream().filter(r -> !r.match()).toList();
    }

    /**
     * Lincheck and the explorer run the same model code under sequential consistency: a variant
     * where Lincheck found a counterexample and the explorer completed an exploration without one
     * means one of them is wrong. Each such disagreement fails the build, with both traces.
     */
    public List<String> crossCheckFailures() {
        return crossCheck;
    }

    private List<String> crossCheck() {
        List<String> out = new ArrayList<>();
        for (Variant v : selection.variants()) {
            Observation lin = row(v, Checker.LINCHECK).observed;
            Observation ex = row(v, explorerColumn()).observed;
            if (lin.verdict.found() && ex.verdict == Verdict.CLEAN && "true".equals(ex.figures.get("complete"))) {
                out.add(v.id() + ": Lincheck found " + observedLabel(lin) + " but the explorer's complete exploration ("
                        + ex.figures.get("executions") + " executions) found nothing; one of the two checkers is wrong.\n"
                        + "Lincheck: " + LincheckTrace.headline(lin.trace, 6) + "\n(whole report: target/observations/lincheck/"
                        + v.protocol() + "__" + v.name() + ".trace.txt)\nexplorer: " + ex.detail);
            }
        }
        return out;
    }

    /**
     * One line naming a mismatched row: which row, what was expected, what came, why (the first line
     * of the observation's detail). The last lines of a red build, and the stage's early warning.
     */
    public static String mismatchLine(Row r) {
        String why = r.observed().detail == null ? "" : r.observed().detail.lines().findFirst().orElse("");
        return r.variant().id() + ", " + r.checker().title() + ": expected " + r.expected().label()
                + ", observed " + r.observed().verdict + (r.observed().outcomes.isEmpty() ? "" : " " + r.observed().outcomes)
                + (why.isEmpty() ? "" : ": " + why);
    }

    /**
     * The rows of {@code checkers} that this build has already recorded and that differ from the
     * expectation; rows not recorded yet are left out. The JCStress stage prints these before it
     * starts, so that a red column earlier in the build is named near the start of the longest
     * stage's output as well as at the end.
     */
    public static List<Row> recordedMismatches(Selection selection, Path observations, String runId, Set<Checker> checkers)
            throws IOException {
        List<Row> out = new ArrayList<>();
        for (Variant v : selection.variants()) {
            for (Checker c : checkers) {
                Expectation e = v.expected(c);
                if (e.verdict() == Verdict.NOT_RUN) {
                    continue;
                }
                Observation o = Observation.read(observations, v, c, runId);
                if (o.verdict != Verdict.MISSING && !e.matches(o.verdict, o.outcomes)) {
                    out.add(new Row(v, c, e, o, false));
                }
            }
        }
        return out;
    }

    /** True when every verdict is as expected and the cross-check holds. */
    public boolean ok() {
        return mismatches().isEmpty() && crossCheckFailures().isEmpty();
    }

    // ------------------------------------------------------------------ output

    public void writeTo(Path resultsDir, Path staging) throws IOException {
        Files.createDirectories(staging);
        Map<String, String> files = new LinkedHashMap<>();
        String json = json();
        List<Object> performance = klm.perf.PerfReport.summaryRows(resultsDir); // the last performance run's rows
        files.put("summary.json", performance == null ? json : klm.perf.PerfReport.withPerformance(json, performance));
        files.put("summary.md", markdown());
        for (String protocol : protocolsRun()) {
            files.put(protocol + ".md", page(protocol));
        }
        if (Files.exists(litmusAnswers)) { // the calibration of the explorer's memory models, from this run
            files.put("litmus.md", litmusPage());
        }
        for (Map.Entry<String, String> f : files.entrySet()) {
            Files.writeString(staging.resolve(f.getKey()), f.getValue(), StandardCharsets.UTF_8);
        }
        Files.createDirectories(resultsDir);
        for (String name : files.keySet()) {
            Files.move(staging.resolve(name), resultsDir.resolve(name), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        }
    }

    /** results/litmus.md from the corpus files, this run's answers on them and the last litmus benchmark. */
    private String litmusPage() throws IOException {
        Path root = projectDir();
        String header = "Generated by the build's explorer tests (LitmusCorpusTest, LitmusDporExhaustiveTest) from commit "
                + commit + ".  \nMachine: " + Machine.oneLine() + ".";
        return LitmusPage.page(root, LitmusPage.readAnswers(litmusAnswers),
                Files.exists(litmusWalks) ? LitmusPage.readRows(litmusWalks) : List.of(),
                LitmusPage.benchFile(root.resolve("results")), header);
    }

    private List<String> protocolsRun() {
        List<String> out = new ArrayList<>();
        for (Variant v : selection.variants()) {
            if (!out.contains(v.protocol())) {
                out.add(v.protocol());
            }
        }
        return out;
    }

    String json() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("date", date);
        root.put("commit", commit);
        root.put("mode", selection.mode().key());
        root.put("selection", selection.describe());
        root.put("machine", Machine.describe());
        root.put("allMatch", mismatches().isEmpty());
        root.put("crossCheckFailures", crossCheckFailures());
        List<Object> list = new ArrayList<>();
        for (Row r : rows) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("protocol", r.variant.protocol());
            m.put("variant", r.variant.name());
            m.put("kind", r.variant.kind().name());
            m.put("checker", r.checker.key());
            m.put("expected", r.expected.verdict().name());
            m.put("expectedOutcomes", new ArrayList<>(r.expected.outcomes()));
            m.put("observed", r.observed.verdict.name());
            m.put("observedOutcomes", new ArrayList<>(r.observed.outcomes));
            m.put("match", r.match);
            if (!r.expected.why().isEmpty()) {
                m.put("why", r.expected.why());
            }
            if (!r.observed.detail.isEmpty()) {
                m.put("detail", r.observed.detail);
            }
            Map<String, Object> figs = new LinkedHashMap<>();
            r.observed.figures.forEach((k, v) -> figs.put(k, Json.typed(v)));
            m.put("figures", figs);
            list.add(m);
        }
        root.put("rows", list);
        return Json.write(root);
    }

    private Row row(Variant v, Checker c) {
        for (Row r : rows) {
            if (r.variant == v && r.checker == c) {
                return r;
            }
        }
        throw new IllegalStateException();
    }

    String markdown() {
        StringBuilder sb = new StringBuilder();
        sb.append("# Buggy and fixed variants, checker by checker\n\n");
        sb.append("Generated by the main job (`").append(command()).append("`) on ").append(date).append(" (").append(selection.describe())
                .append(") from commit ").append(commit).append(duration()).append(".  \nMachine: ").append(Machine.oneLine())
                .append(".\n\n");
        sb.append(mismatches().isEmpty() ? "**Every observed verdict equals the expected one.**\n\n"
                : "**" + mismatches().size() + " observed verdict(s) differ from the expected ones (marked ✗); the build failed.**\n\n");
        for (String f : crossCheckFailures()) {
            sb.append("**Cross-check failed**: ").append(f.lines().findFirst().orElse("")).append("\n\n```\n").append(f)
                    .append("\n```\n\n");
        }
        // One note per distinct reason, naming every row that cites it.
        Map<String, List<String>> notes = new LinkedHashMap<>();
        for (String protocol : protocolsRun()) {
            sb.append("## [").append(protocol).append("](").append(protocol).append(".md)\n\n");
            sb.append("| pair | variant | kind |");
            for (Checker c : Checker.values()) {
                sb.append(' ').append(c.title()).append(" |");
            }
            sb.append("\n|---|---|---|").append("---|".repeat(Checker.values().size())).append('\n');
            List<List<Variant>> pairs = pairs(protocol);
            for (int p = 0; p < pairs.size(); p++) {
                for (Variant v : pairs.get(p)) {
                    sb.append("| ").append(p + 1).append(" | [").append(v.name()).append("](").append(v.protocol())
                            .append(".md#").append(anchor(v.name())).append(") | ").append(kindCell(v)).append(" |");
                    for (Checker c : Checker.values()) {
                        sb.append(' ').append(matrixCell(row(v, c), notes)).append(" |");
                    }
                    sb.append('\n');
                }
            }
            sb.append('\n');
        }
        sb.append("Figures (the first counterexample, or how much was explored; the pages say more):\n\n");
        sb.append("| variant |");
        for (Checker c : Checker.values()) {
            sb.append(' ').append(c.title()).append(" |");
        }
        sb.append("\n|---|").append("---|".repeat(Checker.values().size())).append('\n');
        for (Variant v : selection.variants()) {
            sb.append("| ").append(v.id()).append(" |");
            for (Checker c : Checker.values()) {
                sb.append(' ').append(figureText(row(v, c))).append(" |");
            }
            sb.append('\n');
        }
        sb.append(explorerCostPerModel());
        if (!notes.isEmpty()) {
            sb.append("\nNotes:\n\n");
            int i = 1;
            for (Map.Entry<String, List<String>> n : notes.entrySet()) {
                sb.append(i++).append(". ").append(String.join(", ", n.getValue())).append(": ").append(n.getKey()).append('\n');
            }
        }
        sb.append("\nHow to read this: each protocol's table lists its variants pair by pair (a fix after the buggy variants it "
                + "fixes; the pair's number in the first column); ✓ marks a verdict equal to the expected one, ✗ one that differs "
                + "(with the expected verdict beside it); \"not seen [n]\" is a bug the checker cannot see, for the reason of note n, and "
                + "\"not run [n]\" a row the checker does not run, for the reason of note n. The explorer runs once per memory model, a "
                + "column each (results/litmus.md calibrates them against the kernel's litmus tests): " + explorerLegends() + " "
                + "A BUGGY variant is expected to be found (with the kind of failure and the outcome name) "
                + "by the checkers that can see its bug, and NOT_SEEN by the ones that cannot, with the reason; a FIXED variant is "
                + "expected CLEAN after the stated exploration. lockdep runs each path once, single-threaded, and reports a predicted deadlock by the kind of its splat (CIRCULAR_DEPENDENCY, RECURSIVE_LOCKING, INCONSISTENT_USAGE, IRQ_SAFE_TO_UNSAFE). Lincheck figures: invocation and time of the first counterexample, "
                + "or invocations explored (and whether that was every interleaving). explorer figures: the execution (counted from 1) "
                + "that first went wrong and the time, or the executions of an exploration and whether it was complete (every "
                + "execution up to equivalence: a proof for the scenario, not a sample). JCStress figures: bad samples of all samples, "
                + "and the wall time of the test. Protocol pages have the traces and outcome tables.\n");
        return sb.toString();
    }

    /** The explorer's cost under each memory model in this run: explorations, executions, time, the largest one. */
    private String explorerCostPerModel() {
        StringBuilder sb = new StringBuilder("\nThe explorer's cost per memory model in this run (explorations it ran; time is the"
                + " exploration's own, on this machine; cut: executions abandoned as equivalent to one already run (sleep sets)"
                + " or at the step bound):\n\n| model | explorations | complete (nothing found) | executions | cut by sleep sets |"
                + " cut at the step bound | time | executions a second | the longest |\n|---|---|---|---|---|---|---|---|---|\n");
        for (Checker c : Checker.explorers()) {
            int runs = 0;
            int complete = 0;
            long executions = 0;
            long sleepCut = 0;
            long boundCut = 0;
            long ms = 0;
            long longest = -1;
            String longestId = "";
            for (Variant v : selection.variants()) {
                Map<String, String> f = row(v, c).observed.figures;
                if (!f.containsKey("executions") || !f.containsKey("timeMs")) {
                    continue;
                }
                runs++;
                if ("true".equals(f.get("complete"))) {
                    complete++;
                }
                executions += Long.parseLong(f.get("executions"));
                sleepCut += Long.parseLong(f.getOrDefault("sleepBlocked", "0"));
                boundCut += Long.parseLong(f.getOrDefault("stepBoundHits", "0"));
                long tm = Long.parseLong(f.get("timeMs"));
                ms += tm;
                if (tm > longest) {
                    longest = tm;
                    longestId = v.id();
                }
            }
            sb.append("| ").append(c.title()).append(" | ").append(runs).append(" | ").append(complete).append(" | ")
                    .append(String.format(Locale.ROOT, "%,d", executions)).append(" | ")
                    .append(String.format(Locale.ROOT, "%,d", sleepCut)).append(" | ")
                    .append(String.format(Locale.ROOT, "%,d", boundCut)).append(" | ")
                    .append(String.format(Locale.ROOT, "%.1f s", ms / 1000.0)).append(" | ")
                    .append(ms == 0 ? "" : String.format(Locale.ROOT, "%,d", Math.round((executions + sleepCut + boundCut) * 1000.0 / ms)))
                    .append(" | ")
                    .append(runs == 0 ? "" : longestId + String.format(Locale.ROOT, ", %.1f s", longest / 1000.0)).append(" |\n");
        }
        return sb.toString();
    }

    /** Each explorer column and what its memory model lets happen, from the model's own legend. */
    private static String explorerLegends() {
        List<String> out = new ArrayList<>();
        for (Checker c : Checker.explorers()) {
            out.add("*" + c.title() + "*: " + klm.explorer.memory.MemoryModels.of(c).legend().replaceAll("\\.$", ""));
        }
        return String.join("; ", out) + ".";
    }

    /** The explorer's column under its strongest memory model (the plain "explorer" column). */
    private static Checker explorerColumn() {
        return Checker.explorers().get(0);
    }

    static String anchor(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9 -]", "").replace(' ', '-');
    }

    private static String observedLabel(Observation o) {
        return label(o.verdict, o.outcomes);
    }

    /** A verdict with its outcome names, without repeating a name the verdict already says ("DEADLOCK"). */
    static String label(Verdict verdict, java.util.Collection<String> outcomes) {
        java.util.TreeSet<String> names = new java.util.TreeSet<>(outcomes);
        names.remove(verdict.name());
        return names.isEmpty() ? verdict.name() : verdict.name() + " (" + String.join(", ", names) + ")";
    }

    static String figureText(Row r) {
        Map<String, String> f = r.observed.figures;
        if (r.observed.verdict == Verdict.NOT_RUN) {
            return "not run";
        }
        if (r.checker.isExplorer()) {
            return explorerFigure(r.observed);
        }
        if (r.checker == Checker.LINCHECK) {
            return lincheckFigure(r.observed);
        }
        if (r.checker == Checker.JCSTRESS) {
            return f.containsKey("samples")
                    ? String.format(Locale.ROOT, "%s of %s samples (%s), %s s%s", thousands(f.get("badSamples")),
                    thousands(f.get("samples")), percent(f.get("badRate")), seconds(f.get("timeMs")),
                    f.containsKey("batchTests") ? " for " + f.get("batchTests") + " tests" : "")
                    : r.observed.detail.isEmpty() ? "" : truncate(r.observed.detail, 80);
        }
        return r.observed.verdict == Verdict.DEADLOCK ? truncate(r.observed.detail, 80)
                : r.observed.verdict == Verdict.CLEAN ? "silent" : "";
    }

    private static String explorerFigure(Observation o) {
        Map<String, String> f = o.figures;
        if (f.containsKey("firstCounterexample")) {
            return "execution " + thousands(f.get("firstCounterexample")) + ", " + seconds(f.get("timeMs")) + " s";
        }
        if (f.containsKey("executions") && o.verdict == Verdict.CLEAN) {
            return thousands(f.get("executions")) + " executions, " + ("true".equals(f.get("complete")) ? "complete" : "NOT complete")
                    + ", " + seconds(f.get("timeMs")) + " s";
        }
        return o.detail.isEmpty() ? "" : truncate(o.detail, 80);
    }

    private static String lincheckFigure(Observation o) {
        Map<String, String> f = o.figures;
        if (f.containsKey("firstFailureInvocation")) {
            return "invocation " + thousands(f.get("firstFailureInvocation")) + ", " + seconds(f.get("timeMs")) + " s";
        }
        if (f.containsKey("invocations")) {
            return thousands(f.get("invocations")) + " invocations" + ("true".equals(f.get("complete")) ? " (all interleavings)" : "")
                    + (f.containsKey("reducedBound") ? " (the test command's bound for a scenario the explorer proved)" : "")
                    + ", " + seconds(f.get("timeMs")) + " s";
        }
        return o.detail.isEmpty() ? "" : truncate(o.detail, 80);
    }

    private static String truncate(String s, int n) {
        String one = s.replace('\n', ' ').replace('|', '/');
        return one.length() <= n ? one : one.substring(0, n) + "...";
    }

    static String thousands(String s) {
        try {
            return String.format(Locale.ROOT, "%,d", Long.parseLong(s));
        } catch (NumberFormatException | NullPointerException e) {
            return String.valueOf(s);
        }
    }

    static String seconds(String ms) {
        try {
            return String.format(Locale.ROOT, "%.1f", Long.parseLong(ms) / 1000.0);
        } catch (NumberFormatException | NullPointerException e) {
            return "?";
        }
    }

    static String percent(String rate) {
        try {
            double d = Double.parseDouble(rate) * 100;
            return d == 0 ? "0%" : d < 0.01 ? String.format(Locale.ROOT, "%.4f%%", d) : String.format(Locale.ROOT, "%.2f%%", d);
        } catch (NumberFormatException | NullPointerException e) {
            return "?";
        }
    }

    // ------------------------------------------------------------------ protocol pages

    private String page(String protocol) throws IOException {
        StringBuilder sb = new StringBuilder();
        String intro = resource("/klm/pages/" + protocol + ".md");
        if (intro != null) {
            sb.append(intro.strip()).append("\n\n");
        } else {
            sb.append("# ").append(protocol).append("\n\n");
        }
        sb.append("_Everything below this line is generated by the main job (`mvn verify -Dprotocol=").append(protocol)
                .append("`) on ").append(date).append(" from commit ").append(commit).append(", ").append(selection.mode().key())
                .append(" mode; machine: ")
                .append(Machine.oneLine()).append("._\n\n");
        for (Variant v : selection.variants()) {
            if (!v.protocol().equals(protocol)) {
                continue;
            }
            sb.append("## ").append(v.name()).append("\n\n");
            sb.append("**").append(v.kind()).append("**");
            if (v.provenance() != null) {
                sb.append(" (").append(v.provenance().label()).append(": ").append(v.provenance().meaning());
                if (!v.fixedBy().isEmpty()) {
                    sb.append("; fixed by ").append(String.join(", ", v.fixedBy().stream()
                            .map(f -> "[`" + f + "`](#" + anchor(f) + ")").toList()));
                }
                sb.append(')');
            }
            sb.append(": ").append(v.summary()).append(".  \n");
            if (!v.kernelRef().isEmpty()) {
                sb.append("Kernel: ").append(v.kernelRef()).append(".  \n");
            }
            String rerun = "mvn verify -Dprotocol=" + v.protocol() + " -Dvariant=" + v.name();
            sb.append("Reproduce: `").append(rerun).append("` (writes `target/results`)");
            Object replay = row(v, explorerColumn()).observed.figures.get("schedule");
            if (replay != null && row(v, explorerColumn()).observed.verdict.found()) {
                sb.append("; the explorer's counterexample alone: `").append(rerun).append(" -Dklm.replay=").append(replay)
                        .append('`');
            }
            sb.append(".\n\n");
            sb.append(pairSection(v));
            sb.append("| checker | expected | observed | figure |\n|---|---|---|---|\n");
            for (Checker c : Checker.values()) {
                Row r = row(v, c);
                String exp = r.expected.label() + (r.expected.why().isEmpty() ? "" : ": " + r.expected.why());
                sb.append("| ").append(c.title()).append(" | ").append(exp).append(" | ").append(r.match ? "✓ " : "✗ ")
                        .append(observedLabel(r.observed)).append(" | ").append(figureText(r)).append(" |\n");
            }
            sb.append('\n');
            Observation lin = row(v, Checker.LINCHECK).observed;
            if (lin.verdict.found() && !lin.trace.isBlank()) {
                String head = LincheckTrace.headline(lin.trace, 6);
                sb.append("Lincheck's report, its headline (its interleaving, in Lincheck's Java-level names, is in ")
                        .append("`target/observations/lincheck/").append(v.protocol()).append("__").append(v.name())
                        .append(".trace.txt` after a run; the explorer's counterexample below is drawn in the kernel's names):\n\n```\n")
                        .append(wrapProse(head.isBlank() ? lin.detail : head + (head.contains(lin.detail) ? "" : "\n" + lin.detail)))
                        .append("\n```\n\n");
            } else if (!lin.detail.isEmpty() && lin.verdict != Verdict.NOT_RUN) {
                sb.append("Lincheck: ").append(lin.detail).append("\n\n");
            }
            Observation ex = row(v, explorerColumn()).observed;
            if (ex.verdict.found() && !ex.trace.isBlank()) {
                sb.append("The explorer's counterexample (execution ").append(ex.figures.getOrDefault("firstCounterexample", "?"))
                        .append("; one row per step, a kernel call's steps folded into one row):\n\n```\n")
                        .append(wrapProse(ex.trace.strip())).append("\n```\n\n");
                story(sb, v);
            } else if (!ex.detail.isEmpty() && ex.verdict != Verdict.NOT_RUN) {
                sb.append("explorer: ").append(ex.detail).append("\n\n");
            }
            boolean shown = ex.verdict.found();
            for (Checker c : Checker.explorers()) {
                Observation w = row(v, c).observed;
                if (c.fallback() == null || shown || !w.verdict.found() || w.trace.isBlank()) {
                    continue; // a weaker model's counterexample where no stronger model has one
                }
                klm.explorer.memory.MemoryModel m = klm.explorer.memory.MemoryModels.of(c);
                sb.append("The explorer's counterexample under ").append(m.title()).append(" (execution ")
                        .append(w.figures.getOrDefault("firstCounterexample", "?")).append("; ").append(m.traceLegend())
                        .append("; replay it with `").append(rerun).append(" -Dklm.memory=").append(m.id()).append(" -Dklm.replay=")
                        .append(w.figures.getOrDefault("schedule", "?")).append("`):\n\n```\n").append(wrapProse(w.trace.strip()))
                        .append("\n```\n\n");
                story(sb, v);
                shown = true;
            }
            Observation ld = row(v, Checker.LOCKDEP).observed;
            if (ld.verdict == Verdict.DEADLOCK && !ld.trace.isBlank()) {
                sb.append("lockdep's report, from the paths run once each, single-threaded:\n\n```\n").append(wrapProse(ld.trace.strip()))
                        .append("\n```\n\n");
            }
            Observation jc = row(v, Checker.JCSTRESS).observed;
            if (!jc.trace.isBlank()) {
                sb.append("JCStress outcomes (all configurations summed):\n\n").append(collapseRepeats(jc.trace.strip()))
                        .append("\n\n");
            } else if (!jc.detail.isEmpty() && jc.verdict != Verdict.NOT_RUN) {
                sb.append("JCStress: ").append(jc.detail).append("\n\n");
            }
        }
        return sb.toString();
    }

    /** "What went wrong" under the one counterexample a page shows (the first model that found it, strongest first). */
    private static void story(StringBuilder sb, Variant v) {
        if (!v.story().isEmpty()) {
            sb.append("What went wrong:\n\n");
            for (int i = 0; i < v.story().size(); i++) {
                sb.append(i + 1).append(". ").append(v.story().get(i)).append('\n');
            }
            sb.append('\n');
        }
    }

    /** The command that makes this run's results. */
    private String command() {
        StringBuilder sb = new StringBuilder("mvn verify");
        if (!selection.protocol().isEmpty()) {
            sb.append(" -Dprotocol=").append(selection.protocol());
        }
        if (!selection.variant().isEmpty()) {
            sb.append(" -Dvariant=").append(selection.variant());
        }
        if (selection.mode() != RunMode.QUICK) {
            sb.append(" -Dmode=").append(selection.mode().key());
        }
        return sb.toString();
    }

    /** ", in 12 min 40 s" from the build's start (the run id) to now; empty when the run id is not a timestamp. */
    private String duration() {
        try {
            java.time.LocalDateTime start = java.time.LocalDateTime.parse(runId,
                    DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS"));
            long s = java.time.Duration.between(start.toInstant(ZoneOffset.UTC), java.time.Instant.now()).getSeconds();
            return s < 0 ? "" : ", in " + (s / 60) + " min " + (s % 60) + " s (the build's start to this summary)";
        } catch (RuntimeException e) {
            return "";
        }
    }

    /**
     * Under a BUGGY variant: its fix's kernel commit (full hash, link, title, release, and the diffstat
     * and functions of the patch as posted) and the Java that differs, generated from the model.
     */
    private String pairSection(Variant v) throws IOException {
        if (v.kind() != Kind.BUGGY || v.fixedBy().isEmpty()) {
            return "";
        }
        Variant fix = Catalog.get(v.protocol(), v.fixedBy().get(0));
        Path project = projectDir();
        StringBuilder sb = new StringBuilder();
        if (kernelCommits == null) {
            kernelCommits = KernelCommits.load(project); // once per summary, not once per pair
        }
        KernelCommits.Commit c = fix.fixCommit().isEmpty() ? null : kernelCommits.get(fix.fixCommit());
        if (c != null) {
            sb.append("The kernel's fix, followed by `").append(fix.name()).append("`: [").append(c.shortHash()).append("](")
                    .append(c.link()).append(") \"").append(c.title()).append("\" (").append(c.release()).append(")");
            if (!c.diffstat().isEmpty()) {
                sb.append(": ").append(c.diffstat()).append("; functions: ").append(c.functions()).append(" (").append(c.source())
                        .append(')');
            }
            sb.append(".\n\n");
        }
        if (c == null) {
            sb.append("No kernel commit for this pair: `").append(v.name()).append("` is ").append(label(v.provenance()))
                    .append(", and `").append(fix.name()).append("` is ").append(label(fix.provenance()))
                    .append(" (its Kernel line names the code it follows).\n\n");
        }
        String diff = JavaDiff.between(project, v, fix);
        if (!diff.isEmpty()) {
            sb.append("The Java that differs from `").append(fix.name()).append("` (generated from the model: at each `has(Bug.X)` switch on a bug"
                    + " that one of the two has, `-` marks this variant's branch and `+` the fix's):\n\n").append(diff);
        }
        return sb.toString();
    }

    /**
     * The project's root: the first of the working directory and its parents that holds the model
     * sources and docs/ (the main job writes the summary from a module's directory, the tests from
     * protocols/). Where none does, the pages cannot be written as they should: an error, not pages
     * without their diffs (which is what a run from a module directory once wrote).
     */
    static Path projectDir() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (java.nio.file.Files.isDirectory(p.resolve("protocols/src/main/java"))
                    && java.nio.file.Files.exists(p.resolve("docs/KERNEL-COMMITS.md"))) {
                return p;
            }
        }
        throw new IllegalStateException("the project root (a directory with protocols/src/main/java and"
                + " docs/KERNEL-COMMITS.md) is not " + Path.of("").toAbsolutePath() + " or above it: the pages' Java diffs"
                + " and kernel commits come from there");
    }

    private static String label(Provenance p) {
        return p == null ? "not from the kernel" : p.label() + " (" + p.meaning() + ")";
    }

    /**
     * A protocol's variants as pairs, in catalog order: each FIXED variant after the BUGGY variants
     * whose first fix it is; a variant that fits no pair (a control without a fix) alone.
     */
    List<List<Variant>> pairs(String protocol) {
        List<Variant> all = selection.variants().stream().filter(v -> v.protocol().equals(protocol)).toList();
        List<List<Variant>> out = new ArrayList<>();
        List<Variant> placed = new ArrayList<>();
        for (Variant f : all) {
            if (f.kind() != Kind.FIXED) {
                continue;
            }
            List<Variant> group = new ArrayList<>();
            for (Variant b : all) {
                if (b.kind() == Kind.BUGGY && !b.fixedBy().isEmpty() && b.fixedBy().get(0).equals(f.name())) {
                    group.add(b);
                }
            }
            group.add(f);
            placed.addAll(group);
            out.add(group);
        }
        for (Variant v : all) {
            if (!placed.contains(v)) {
                out.add(List.of(v)); // a BUGGY variant whose fix is not in this selection
            }
        }
        return out;
    }

    /** One checker's cell of the matrix: a mark, what was seen, and what was expected when that differs. */
    private static String matrixCell(Row r, Map<String, List<String>> notes) {
        String note = "";
        if (!r.expected.why().isEmpty()) {
            notes.computeIfAbsent(r.expected.why(), k -> new ArrayList<>()).add(r.variant.id() + " (" + r.checker.title() + ")");
            note = " [" + (new ArrayList<>(notes.keySet()).indexOf(r.expected.why()) + 1) + "]";
        }
        if (r.expected.verdict() == Verdict.NOT_RUN) {
            return "not run" + note;
        }
        if (r.match) {
            return r.expected.verdict() == Verdict.NOT_SEEN && r.observed.verdict == Verdict.CLEAN
                    ? "✓ not seen" + note : "✓ " + observedLabel(r.observed) + note;
        }
        return "✗ " + observedLabel(r.observed) + " (expected " + label(r.expected.verdict(), r.expected.outcomes()) + ")" + note;
    }

    /** The summary's kind cell: BUGGY or FIXED, where the code comes from, and a BUGGY variant's fix. */
    private static String kindCell(Variant v) {
        StringBuilder sb = new StringBuilder(v.kind().name());
        if (v.provenance() != null) {
            sb.append(", ").append(v.provenance().label());
        }
        if (!v.fixedBy().isEmpty()) {
            sb.append("; fixed by ").append(String.join(", ", v.fixedBy().stream().map(f -> "`" + f + "`").toList()));
        }
        return sb.toString();
    }

    /**
     * A code block's prose lines (an outcome's sentence, an exception message) wrapped at
     * {@link LincheckTrace#MAX_WIDTH} characters on word boundaries, continued with an indent;
     * table rows (with a column bar) are left as they are.
     */
    static String wrapProse(String block) {
        int max = LincheckTrace.MAX_WIDTH;
        StringBuilder out = new StringBuilder();
        for (String line : block.lines().toList()) {
            if (line.length() <= max || line.contains("|")) {
                out.append(line).append('\n');
                continue;
            }
            String rest = line;
            String indent = "";
            while (rest.length() > max - indent.length()) {
                int room = max - indent.length();
                int cut = rest.lastIndexOf(' ', room);
                if (cut <= room / 2) {
                    cut = room;
                }
                out.append(indent).append(rest, 0, cut).append('\n');
                rest = rest.substring(cut).stripLeading();
                indent = "    ";
            }
            out.append(indent).append(rest).append('\n');
        }
        return out.toString().stripTrailing();
    }

    /** Identical consecutive lines as one, with the count ("... (x6)"). */
    static String collapseRepeats(String text) {
        StringBuilder out = new StringBuilder();
        List<String> lines = text.lines().toList();
        for (int i = 0; i < lines.size(); ) {
            int j = i;
            while (j < lines.size() && lines.get(j).equals(lines.get(i))) {
                j++;
            }
            out.append(lines.get(i));
            if (j - i > 1 && !lines.get(i).isBlank()) {
                out.append(" (x").append(j - i).append(')');
            }
            out.append('\n');
            if (lines.get(i).isBlank()) {
                for (int k = i + 1; k < j; k++) {
                    out.append('\n');
                }
            }
            i = j;
        }
        return out.toString().stripTrailing();
    }

    private static String resource(String path) throws IOException {
        try (InputStream in = Summary.class.getResourceAsStream(path)) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** A console view of the comparison, printed at the end of the main job. */
    public String consoleTable() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-14s %-26s %-6s", "protocol", "variant", "kind"));
        for (Checker c : Checker.values()) {
            sb.append(String.format(Locale.ROOT, " | %-30s", c.title() + " expected -> observed"));
        }
        sb.append('\n');
        Map<String, Integer> counts = new TreeMap<>();
        for (Variant v : selection.variants()) {
            sb.append(String.format(Locale.ROOT, "%-14s %-26s %-6s", v.protocol(), v.name(), v.kind()));
            for (Checker c : Checker.values()) {
                Row r = row(v, c);
                sb.append(String.format(Locale.ROOT, " | %s %-28s", r.match ? "ok" : "XX",
                        r.expected.verdict() + " -> " + r.observed.verdict));
                counts.merge(r.match ? "match" : "mismatch", 1, Integer::sum);
            }
            sb.append('\n');
        }
        for (Row r : mismatches()) {
            sb.append("MISMATCH ").append(r.variant.id()).append(" [").append(r.checker.title()).append("]: expected ")
                    .append(r.expected.label()).append(", observed ").append(observedLabel(r.observed))
                    .append(r.observed.detail.isEmpty() ? "" : ": " + truncate(r.observed.detail, 300)).append('\n');
        }
        return sb.toString();
    }
}
