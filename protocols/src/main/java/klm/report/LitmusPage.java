package klm.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import klm.litmus.Ast;
import klm.litmus.LitmusReader;

/**
 * results/litmus.md: the litmus corpus (protocols/litmus/, the only place the tests live) and the
 * answers a run gave on it. The stage that computes them (the explorer tests' LitmusCorpusTest and
 * LitmusDporExhaustiveTest) leaves tab-separated observations; this class reads them back, reads
 * each file for its name, its published {@code Result:} and its {@code klm-why} and {@code klm-source}
 * lines, and renders the page. The cost section comes from the last litmus benchmark
 * ({@code klm.perf.LitmusBench}, results/litmus-bench.tsv) when there is one.
 */
public final class LitmusPage {
    private LitmusPage() {}

    /**
     * One file under one model: {@code file} relative to the project root, the answer to its final clause
     * ({@code Never}, {@code Sometimes}, {@code Always}, or {@code inexpressible} for an axiomatic model that
     * cannot state the file), the final states, the executions explored and the exploration's time.
     */
    public record Answer(String file, String model, String observation, int states, long executions, double millis,
                         boolean complete) {
        String[] row() {
            return new String[] {file, model, observation, Integer.toString(states), Long.toString(executions),
                    String.format(Locale.ROOT, "%.3f", millis), Boolean.toString(complete)};
        }

        static Answer of(String[] r) {
            return new Answer(r[0], r[1], r[2], Integer.parseInt(r[3]), Long.parseLong(r[4]), Double.parseDouble(r[5]),
                    Boolean.parseBoolean(r[6]));
        }
    }

    /** From results/ to the project root, for the page's links to the corpus. */
    private static final String TO_ROOT = "../";

    /** The axiomatic LKMM's column (klm.lkmm), the project's own statement of the kernel's model. */
    public static final String AXIOMATIC_LKMM = "lkmm";

    /** Where the corpus test leaves its answers for the summary. */
    public static Path answersFile(Path observations, String runId) {
        return observations.resolve("litmus-" + runId + ".tsv");
    }

    /** Where the DPOR-against-every-interleaving test leaves its comparisons (file, model, same / differs / too large). */
    public static Path walksFile(Path observations, String runId) {
        return observations.resolve("litmus-walk-" + runId + ".tsv");
    }

    /** The last benchmark's figures, beside the pages. */
    public static Path benchFile(Path results) {
        return results.resolve("litmus-bench.tsv");
    }

    public static void writeAnswers(Path file, List<Answer> answers) throws IOException {
        writeRows(file, answers.stream().map(Answer::row).toList());
    }

    public static List<Answer> readAnswers(Path file) throws IOException {
        return readRows(file).stream().map(Answer::of).toList();
    }

    public static void writeRows(Path file, List<String[]> rows) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        StringBuilder sb = new StringBuilder();
        for (String[] r : rows) {
            sb.append(String.join("\t", r)).append('\n');
        }
        Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
    }

    /** The rows of a tab-separated file; lines starting with '#' are facts, not rows. */
    public static List<String[]> readRows(Path file) throws IOException {
        List<String[]> out = new ArrayList<>();
        for (String l : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!l.isBlank() && !l.startsWith("#")) {
                out.add(l.split("\t", -1));
            }
        }
        return out;
    }

    /** The facts of a tab-separated file: lines {@code # key<TAB>value}. */
    public static Map<String, String> readFacts(Path file) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        for (String l : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (l.startsWith("# ") && l.contains("\t")) {
                out.put(l.substring(2, l.indexOf('\t')), l.substring(l.indexOf('\t') + 1));
            }
        }
        return out;
    }

    /** What a file of the corpus says about itself. */
    record File(String path, String name, String result, String why, String source, int cpus) {}

    private static final Pattern WHY = Pattern.compile("\\(\\* klm-why: (.*?)\\s*\\*\\)", Pattern.DOTALL);
    private static final Pattern SOURCE = Pattern.compile("\\(\\* klm-source: (\\S+)\\s*\\*\\)");

    static File file(Path root, String path) throws IOException {
        String text = Files.readString(root.resolve(path), StandardCharsets.UTF_8);
        Ast.Test t = LitmusReader.parse(text, path);
        Matcher why = WHY.matcher(text);
        Matcher source = SOURCE.matcher(text);
        return new File(path, t.name(), t.result().orElse(""), why.find() ? why.group(1).replaceAll("\\s+", " ") : "",
                source.find() ? source.group(1) : "", t.threads().size());
    }

    /** Herd7's Always is a Sometimes for the question the corpus asks (can the clause hold?). */
    static String answer(String observation) {
        return observation.equals("Always") ? "Sometimes" : observation;
    }

    /** The page, from the answers and walks of one run and (if any) the last benchmark; {@code root} is the project root. */
    public static String page(Path root, List<Answer> answers, List<String[]> walks, Path bench, String header) throws IOException {
        Map<String, Map<String, Answer>> byFile = new LinkedHashMap<>();
        List<String> models = new ArrayList<>();
        for (Answer a : answers) {
            byFile.computeIfAbsent(a.file(), k -> new LinkedHashMap<>()).put(a.model(), a);
            if (!models.contains(a.model())) {
                models.add(a.model());
            }
        }
        List<String> explorer = models.stream().filter(m -> !m.equals(AXIOMATIC_LKMM)).toList();
        boolean axiomatic = models.contains(AXIOMATIC_LKMM);
        Map<String, Map<String, String>> walk = new LinkedHashMap<>();
        for (String[] w : walks) {
            walk.computeIfAbsent(w[0], k -> new LinkedHashMap<>()).put(w[1], w[2]);
        }
        StringBuilder sb = new StringBuilder();
        sb.append("# The explorer's memory models against the kernel's litmus tests\n\n").append(header).append("\n\n");
        sb.append("Every file of the litmus corpus ([protocols/litmus/](" + TO_ROOT + "protocols/litmus/): `kernel/` holds one file for each"
                + " test of the Linux kernel's `tools/memory-model/litmus-tests/`, written afresh in herd7's C dialect with its"
                + " published result; `klm/` the project's own), run by `./litmus` under each of the explorer's memory models: "
                + String.join(", ", explorer.stream().map(m -> "**" + m + "**").toList())
                + " (docs/DESIGN.md). A cell is the model's answer to the file's final clause: *Sometimes* if some execution"
                + " satisfies it, *Never* if none of the complete exploration does. **Result** is the file's `Result:` line,"
                + " the kernel's published answer (herd7 with the Linux-kernel memory model)"
                + (axiomatic ? "; **lkmm** is the answer of this project's axiomatic statement of that model (`klm.lkmm`,"
                        + " `./litmus --model lkmm`)" : "")
                + ".\n\n");
        sb.append("The rules the build enforces over every file (`LitmusCorpusTest`): no model answers *Sometimes* where the"
                + " published result is *Never*; each model gives the answer the file records in its `(* klm: ... *)` line;"
                + " where a model is stronger than the published result the file says why (`(* klm-why: ... *)`, the last"
                + " column). `LitmusFilesTest` checks the axiomatic LKMM gives every published result, and"
                + " `LitmusDporExhaustiveTest` that the DPOR reaches exactly the final states of the walk over every"
                + " interleaving.\n\n");
        sb.append("| test | CPUs | Result |");
        if (axiomatic) {
            sb.append(" lkmm |");
        }
        explorer.forEach(m -> sb.append(' ').append(m).append(" |"));
        if (!walk.isEmpty()) {
            sb.append(" DPOR = every interleaving |");
        }
        sb.append(" where a model is stronger than the published result, why |\n|---|---|---|");
        sb.append(axiomatic ? "---|" : "");
        explorer.forEach(m -> sb.append("---|"));
        sb.append(walk.isEmpty() ? "" : "---|").append("---|\n");
        Map<String, int[]> counts = new LinkedHashMap<>(); // model -> same, stronger, weaker, no published result
        models.forEach(m -> counts.put(m, new int[4]));
        int weakerTests = 0;
        int strongerTests = 0;
        List<File> files = new ArrayList<>();
        for (Map.Entry<String, Map<String, Answer>> e : byFile.entrySet()) {
            File f = file(root, e.getKey());
            files.add(f);
            sb.append("| [").append(f.name()).append("](").append(TO_ROOT).append(f.path()).append(')');
            if (!f.source().isEmpty()) {
                sb.append(" ([kernel](").append(f.source()).append("))");
            }
            sb.append(" | ").append(f.cpus()).append(" | ").append(f.result().isEmpty() ? "—" : f.result()).append(" | ");
            boolean anyStronger = false;
            boolean anyWeaker = false;
            for (String m : axiomatic ? concat(AXIOMATIC_LKMM, explorer) : explorer) {
                Answer a = e.getValue().get(m);
                if (a == null) {
                    sb.append("— | ");
                    continue;
                }
                String got = answer(a.observation());
                String cell = a.observation() + (a.complete() ? "" : " (incomplete)");
                int[] c = counts.get(m);
                if (f.result().isEmpty() || got.equals("inexpressible")) {
                    c[3]++;
                } else if (got.equals(f.result())) {
                    c[0]++;
                } else if (f.result().equals("Never")) {
                    cell = "✗ " + cell + " (weaker)";
                    c[2]++;
                    anyWeaker = true;
                } else {
                    cell = m.equals(AXIOMATIC_LKMM) ? "✗ " + cell + " (differs)" : cell + " (stronger)";
                    c[1]++;
                    anyStronger |= !m.equals(AXIOMATIC_LKMM);
                }
                sb.append(cell).append(" | ");
            }
            if (!walk.isEmpty()) {
                sb.append(walkCell(walk.get(e.getKey()), explorer)).append(" | ");
            }
            sb.append(anyStronger ? f.why() : "").append(" |\n");
            strongerTests += anyStronger ? 1 : 0;
            weakerTests += anyWeaker ? 1 : 0;
        }
        long published = files.stream().filter(f -> !f.result().isEmpty()).count();
        sb.append('\n').append(String.format(Locale.ROOT, "**%d of %d files with a published result: no model weaker.**"
                + " %d files have a model stronger than the published result, each explained in its row.%n%n",
                published - weakerTests, published, strongerTests));
        sb.append("| model | as published | stronger | weaker | no published result, or not expressible |\n|---|---|---|---|---|\n");
        counts.forEach((m, c) -> sb.append("| ").append(m).append(" | ").append(c[0]).append(" | ").append(c[1]).append(" | ")
                .append(c[2] == 0 ? "0" : "✗ " + c[2]).append(" | ").append(c[3]).append(" |\n"));
        sb.append('\n');
        sb.append(costs(byFile, files, explorer));
        sb.append('\n').append(LIMITS);
        sb.append('\n').append(bench(bench));
        return sb.toString();
    }

    private static List<String> concat(String first, List<String> rest) {
        List<String> out = new ArrayList<>();
        out.add(first);
        out.addAll(rest);
        return out;
    }

    private static String walkCell(Map<String, String> w, List<String> explorer) {
        if (w == null) {
            return "not walked";
        }
        List<String> differs = explorer.stream().filter(m -> "differs".equals(w.get(m))).toList();
        List<String> large = explorer.stream().filter(m -> "too large".equals(w.get(m))).toList();
        List<String> missing = explorer.stream().filter(m -> !w.containsKey(m)).toList();
        if (!differs.isEmpty()) {
            return "✗ differs under " + String.join(", ", differs);
        }
        String where = (large.isEmpty() ? "" : "; " + String.join(", ", large) + ": the walk is too large for a build")
                + (missing.isEmpty() ? "" : "; " + String.join(", ", missing) + ": not walked in this run");
        return where.isEmpty() ? "yes" : "yes where walked" + where;
    }

    /** States, executions and time of each exploration of this run. */
    private static String costs(Map<String, Map<String, Answer>> byFile, List<File> files, List<String> explorer) {
        StringBuilder sb = new StringBuilder("## What each exploration took in this run\n\nFinal states / executions explored /"
                + " the exploration's time (the DPOR's; a witness's replay aside), in the build's explorer tests.\n\n| test |");
        explorer.forEach(m -> sb.append(' ').append(m).append(" |"));
        sb.append("\n|---|");
        explorer.forEach(m -> sb.append("---|"));
        sb.append('\n');
        int i = 0;
        for (Map.Entry<String, Map<String, Answer>> e : byFile.entrySet()) {
            sb.append("| ").append(files.get(i++).name()).append(" |");
            for (String m : explorer) {
                Answer a = e.getValue().get(m);
                sb.append(a == null ? " — |" : String.format(Locale.ROOT, " %d / %,d / %s |", a.states(), a.executions(), ms(a.millis())));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    static String ms(double ms) {
        return ms >= 1000 ? String.format(Locale.ROOT, "%.2f s", ms / 1000) : ms >= 10 ? String.format(Locale.ROOT, "%.0f ms", ms)
                : String.format(Locale.ROOT, "%.1f ms", ms);
    }

    /** The heading of the cost section, which the benchmark rewrites in place. */
    public static final String BENCH_HEADING = "## Cost against herd7";

    /** herd7's figures, as the project's issue quotes them; never measured here. */
    static final String HERD7 = "The peer is herd7 with the kernel's model; its figures are"
            + " quoted, not measured here: about 10 ms a test on two- to four-CPU release/acquire tests (1,852 of them in"
            + " about 22 s), and more than 60 s on 16 of 923 tests of a public collection (four- and five-CPU tests,"
            + " seqlock- and lock-heavy ones), where enumerating candidate executions explodes.";

    /** herd7's figure for a small test, as quoted: the line the page measures each model against. */
    static final double HERD7_SMALL_MS = 10;

    /** The cost section: from the benchmark's file, or a line saying there is none. */
    public static String bench(Path file) throws IOException {
        StringBuilder sb = new StringBuilder(BENCH_HEADING).append("\n\n").append(HERD7).append("\n\n");
        if (file == null || !Files.exists(file)) {
            return sb.append("No litmus benchmark has been run yet (`./litmus --bench`, docs/REFERENCE.md).\n").toString();
        }
        Map<String, String> facts = readFacts(file);
        List<String[]> rows = readRows(file); // file, name, cpus, model, median ms, states
        sb.append("Measured by `./litmus --bench` (`klm.perf.LitmusBench`) on ").append(facts.getOrDefault("date", "?"))
                .append(" from commit ").append(facts.getOrDefault("commit", "?")).append("; machine: ")
                .append(facts.getOrDefault("machine", "?")).append(". ").append(facts.getOrDefault("method", "")).append("\n\n");
        Map<String, List<String[]>> byModel = new LinkedHashMap<>();
        int maxCpus = 0;
        for (String[] r : rows) {
            byModel.computeIfAbsent(r[3], k -> new ArrayList<>()).add(r);
            maxCpus = Math.max(maxCpus, Integer.parseInt(r[2]));
        }
        sb.append("| model | tests | whole corpus | median a test | within 10 ms | slowest test (CPUs) | its time |\n"
                + "|---|---|---|---|---|---|---|\n");
        List<String> within = new ArrayList<>();
        List<String> over = new ArrayList<>();
        for (Map.Entry<String, List<String[]>> e : byModel.entrySet()) {
            List<String[]> l = e.getValue();
            double total = 0;
            String[] slowest = null;
            List<Double> each = new ArrayList<>();
            List<String> slow = new ArrayList<>();
            for (String[] r : l) {
                double ms = Double.parseDouble(r[4]);
                total += ms;
                each.add(ms);
                if (ms > HERD7_SMALL_MS) {
                    slow.add(r[1] + " (" + r[2] + " CPUs, " + ms(ms) + ")");
                }
                if (slowest == null || ms > Double.parseDouble(slowest[4])) {
                    slowest = r;
                }
            }
            each.sort(null);
            int in = l.size() - slow.size();
            sb.append("| ").append(e.getKey()).append(" | ").append(l.size()).append(" | ").append(ms(total)).append(" | ")
                    .append(ms(each.get(each.size() / 2))).append(" | ").append(in).append(" of ").append(l.size())
                    .append(" | ").append(slowest[1]).append(" (").append(slowest[2]).append(") | ")
                    .append(ms(Double.parseDouble(slowest[4]))).append(" |\n");
            within.add(String.format(Locale.ROOT, "%s %d of %d (the whole corpus in %s, against %s at 10 ms a test)",
                    e.getKey(), in, l.size(), ms(total), ms(HERD7_SMALL_MS * l.size())));
            if (!slow.isEmpty()) {
                over.add(e.getKey() + ": " + String.join(", ", slow));
            }
        }
        sb.append("\n**Where it is within herd7's cost.** Tests answered within herd7's 10 ms a test: ")
                .append(String.join("; ", within)).append(".\n\n");
        sb.append("**Where it is not.** ").append(over.isEmpty() ? "No test of this corpus took longer than 10 ms under any model"
                : "Over 10 ms: " + String.join("; ", over)).append(".\n\n");
        sb.append("**What this corpus cannot say.** Its largest test has ").append(maxCpus).append(" CPUs").append(maxCpus < 5
                ? "; herd7's slow cases are four- and five-CPU tests of a public collection that is not in the corpus, so"
                + " how the explorer does on those (seconds, or more) is not measured here." : ".").append('\n');
        return sb.toString();
    }

    /** Replaces the cost section of an existing page (or appends one): what the benchmark does to results/litmus.md. */
    public static String withBench(String page, String section) {
        int i = page.indexOf(BENCH_HEADING);
        return (i < 0 ? page + "\n" : page.substring(0, i)) + section;
    }

    private static final String LIMITS = """
            What the models cannot show, and why some answers are stronger than the published ones:

            - **sc** never reorders anything, so every *Sometimes* of LKMM is *Never* there.
            - **tso** lets a load pass an earlier store to another location (SB, R, SB with a read of the CPU's own
              store) and nothing else; a store reaches every other CPU at the same moment (multi-copy atomic), so
              IRIW, WRC, ISA2 and Z6.0 stay *Never*. A lock acquisition is a locked instruction, a full barrier.
            - **ra** lets stores pass stores and loads pass loads (MP, WRC, ISA2, IRIW, Z6.0 are *Sometimes*) but it
              has no promises: a load never reads a write that runs after it, so the LB tests are *Never*. A write
              may go before writes its CPU has not seen in coherence order, so S is *Sometimes* as in LKMM. It has
              no dependencies: a `READ_ONCE()` of a pointer (`rcu_dereference()`) is an acquire load, stronger than
              LKMM's address dependency. `smp_wmb()` and `smp_rmb()` act on everything the CPU has seen, stronger
              than LKMM's store-only and load-only fences. `rcu_read_lock()`/`rcu_read_unlock()` are not modelled
              (no test here uses a grace period).
            """;
}
