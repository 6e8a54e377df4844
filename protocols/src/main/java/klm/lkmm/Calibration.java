package klm.lkmm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import klm.lkmm.Candidates.Verdict;

/**
 * The generated corpus under the explorer's models against the axiomatic ones: every test (or
 * every step-th: {@code Calibration [step [PAGE]]}, PAGE the markdown file to write) under
 * LKMM, SC and x86-TSO axiomatically and under the explorer's sc, tso and ra. Prints, per category of test and per explorer model, how many agree
 * with LKMM, how many are stronger and how many weaker; every test where an explorer model is
 * weaker than LKMM; every test where the explorer's sc or tso differs from its axiomatic
 * reference; each model's time and slowest test. Exit status 1 if any explorer model is weaker than
 * LKMM or sc/tso differ from their references, or an exploration did not complete.
 * Needs {@code -Dklm.blocking=explorer}.
 */
public final class Calibration {
    private Calibration() {}

    /** One test's answers: the axiomatic ones by model name, the explorer's by model name. */
    public record Row(Generator.Test test, Map<String, Verdict> axiomatic, Map<String, OnExplorer.Answer> explored) {}

    /**
     * Why LKMM allows what a model that runs interleavings (each write appended to its
     * coherence order, each read of a write already run: the RA model) cannot: "load buffering" or
     * "coherence" when every execution LKMM allows for the outcome needs that (see
     * {@link Execution#notAnInterleaving}), else "other".
     */
    public static String whyNoInterleaving(Program p) {
        java.util.Set<String> causes = new java.util.TreeSet<>();
        Candidates.run(p, new Lkmm(), x -> {
            String c = x.notAnInterleaving();
            causes.add(c == null ? "other" : c);
        });
        return causes.contains("other") ? "other" : causes.contains("coherence") ? "coherence" : "load buffering";
    }

    /** Runs {@code tests} everywhere. */
    public static List<Row> run(List<Generator.Test> tests) {
        List<Row> rows = new ArrayList<>();
        for (Generator.Test t : tests) {
            Map<String, Verdict> ax = new LinkedHashMap<>();
            for (Model m : List.of(new Lkmm(), new Sc(), new Tso())) {
                ax.put(m.name(), Candidates.run(t.program(), m).verdict());
            }
            Map<String, OnExplorer.Answer> ex = new LinkedHashMap<>();
            for (String m : OnExplorer.models()) {
                ex.put(m, OnExplorer.run(t.program(), m));
            }
            rows.add(new Row(t, ax, ex));
        }
        return rows;
    }

    /** The problems: an explorer model weaker than LKMM, sc or tso not equal to its reference, an incomplete exploration. */
    public static List<String> problems(List<Row> rows) {
        List<String> out = new ArrayList<>();
        for (Row r : rows) {
            Verdict lkmm = r.axiomatic().get("lkmm");
            r.explored().forEach((m, a) -> {
                if (!a.complete()) {
                    out.add(r.test().name() + " under " + m + ": the exploration did not complete");
                }
                if (Corpus.compare(a.verdict(), lkmm) == 2) {
                    out.add(r.test().name() + " under " + m + ": Sometimes where LKMM says Never");
                }
                Verdict ref = r.axiomatic().get(m);
                if (ref != null && Corpus.compare(a.verdict(), ref) != 0) {
                    out.add(r.test().name() + " under " + m + ": " + word(a.verdict()) + " where the axiomatic " + m + " says " + word(ref));
                }
            });
        }
        return out;
    }

    /** The tests on which explorer model {@code model} is weaker than LKMM. */
    public static List<String> weaker(List<Row> rows, String model) {
        List<String> out = new ArrayList<>();
        for (Row r : rows) {
            if (Corpus.compare(r.explored().get(model).verdict(), r.axiomatic().get("lkmm")) == 2) {
                out.add(r.test().name());
            }
        }
        return out;
    }

    private static String word(Verdict v) {
        return v == Verdict.NEVER ? "Never" : "Sometimes";
    }

    /** Per category and explorer model: agree, stronger, weaker than LKMM. */
    public static String table(List<Row> rows) {
        Map<String, Map<String, int[]>> t = new LinkedHashMap<>();
        Map<String, int[]> total = new LinkedHashMap<>();
        for (Row r : rows) {
            Verdict lkmm = r.axiomatic().get("lkmm");
            r.explored().forEach((m, a) -> {
                int c = Corpus.compare(a.verdict(), lkmm);
                t.computeIfAbsent(r.test().category(), k -> new LinkedHashMap<>()).computeIfAbsent(m, k -> new int[3])[c]++;
                total.computeIfAbsent(m, k -> new int[3])[c]++;
            });
        }
        StringBuilder b = new StringBuilder("| category | model | agrees with LKMM | stronger | weaker |\n|---|---|---|---|---|\n");
        t.forEach((cat, ms) -> ms.forEach((m, c) -> b.append(String.format(Locale.ROOT, "| %s | %s | %d | %d | %d |%n", cat, m, c[0], c[1], c[2]))));
        total.forEach((m, c) -> b.append(String.format(Locale.ROOT, "| **all** | %s | %d | %d | %d |%n", m, c[0], c[1], c[2])));
        return b.toString();
    }

    /** The calibration page: the tables, the weaker tests, the stronger ones by cause. */
    public static String page(List<Row> rows, String header) {
        StringBuilder b = new StringBuilder("# The explorer's memory models against the axiomatic LKMM\n\n").append(header).append("\n\n");
        b.append("Every test of the generated corpus (`klm.lkmm.Generator`: ").append(rows.size())
                .append(" tests, critical cycles of two to four CPUs with every variant of annotations per CPU) answered by the"
                        + " axiomatic LKMM (`klm.lkmm.Lkmm`, linux-kernel.cat/bell and lock.cat over candidate executions), the axiomatic SC"
                        + " and x86-TSO (`Sc`, `Tso`), and explored by the explorer under sc, tso and ra (`klm.lkmm.OnExplorer`)."
                        + " *Stronger*: Never where LKMM says Sometimes; *weaker*: Sometimes where LKMM says Never.\n\n");
        List<String> exact = new ArrayList<>();
        for (String m : List.of("sc", "tso")) {
            long differ = rows.stream().filter(r -> Corpus.compare(r.explored().get(m).verdict(), r.axiomatic().get(m)) != 0).count();
            exact.add("explored " + m + " differs from the axiomatic " + m.toUpperCase(Locale.ROOT) + " on " + differ + " tests");
        }
        b.append("**").append(String.join("; ", exact)).append(".** Where sc and tso are stronger than LKMM below, they give"
                + " exactly what sequential consistency and x86-TSO give.\n\n");
        b.append(table(rows)).append('\n');
        List<String> weaker = weaker(rows, "ra");
        b.append("## RA weaker than LKMM: ").append(weaker.size()).append(" tests\n\n");
        List<String> dep = weaker.stream().filter(n -> n.matches(".*-(addr|data|ctrl)-.*")).toList();
        List<String> cumul = weaker.stream().filter(n -> !dep.contains(n)).toList();
        b.append("- **A-cumulativity** (").append(cumul.size()).append("): a CPU reads a write with a relaxed load, then releases"
                + " (smp_store_release, or spin_unlock); LKMM's release orders the writes its CPU has read before it"
                + " (`A-cumul(po-rel) = (rfe ; [Marked])? ; po-rel`), the views model's release carries the CPU's view but not the"
                + " views of the writes it read relaxed: ").append(String.join(", ", cumul)).append(".\n");
        b.append("- **Dependencies** (").append(dep.size()).append("): the RA model has no address or control dependency: ")
                .append(String.join(", ", dep)).append(".\n\n");
        Map<String, Map<String, Integer>> causes = new LinkedHashMap<>();
        List<String> other = new ArrayList<>();
        for (Row r : rows) {
            if (Corpus.compare(r.explored().get("ra").verdict(), r.axiomatic().get("lkmm")) == 1) {
                String why = whyNoInterleaving(r.test().program());
                causes.computeIfAbsent(r.test().category(), k -> new LinkedHashMap<>()).merge(why, 1, Integer::sum);
                if (why.equals("other")) {
                    other.add(r.test().name());
                }
            }
        }
        b.append("## RA stronger than LKMM, by cause\n\n");
        b.append("*load buffering*: every execution LKMM allows for the outcome has a cycle of po and rf (a load reads a write"
                + " that runs after it: needs promises). *coherence*: every one needs a write placed in coherence order before a"
                + " write that ran earlier (the RA model appends each write). *other*: LKMM allows it by an execution some"
                + " interleaving explains, so it is one of the RA model's rules that are stronger than LKMM: a CPU's write never"
                + " becomes visible before its own earlier reads, smp_mb() and xchg() are SC fences with one global fence view,"
                + " a relaxed store carries what the CPU's acquires brought in.\n\n");
        b.append("| category | load buffering | coherence | other |\n|---|---|---|---|\n");
        causes.forEach((cat, c) -> b.append(String.format(Locale.ROOT, "| %s | %d | %d | %d |%n", cat,
                c.getOrDefault("load buffering", 0), c.getOrDefault("coherence", 0), c.getOrDefault("other", 0))));
        b.append("\nThe ").append(other.size()).append(" *other* tests: ").append(String.join(", ", other)).append(".\n");
        return b.toString();
    }

    public static void main(String[] args) throws java.io.IOException {
        int step = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        List<Generator.Test> tests = Generator.sample(step);
        long t0 = System.nanoTime();
        List<Row> rows = run(tests);
        double secs = (System.nanoTime() - t0) / 1e9;
        StringBuilder cost = new StringBuilder();
        cost.append(String.format(Locale.ROOT, "%d tests in %.1f s (axiomatic and explored)%n", rows.size(), secs));
        for (String m : OnExplorer.models()) {
            double ms = 0, slow = 0;
            String slowName = "";
            long execs = 0;
            for (Row r : rows) {
                OnExplorer.Answer a = r.explored().get(m);
                ms += a.millis();
                execs += a.executions();
                if (a.millis() > slow) {
                    slow = a.millis();
                    slowName = r.test().name();
                }
            }
            cost.append(String.format(Locale.ROOT, "explorer %s: %.1f s, %d executions, slowest %s %.0f ms%n", m, ms / 1e3, execs, slowName, slow));
        }
        System.out.print(cost);
        System.out.print(table(rows));
        if (args.length > 1) {
            java.nio.file.Files.writeString(java.nio.file.Path.of(args[1]), page(rows, "Written by `klm.lkmm.Calibration`. " + cost.toString().replace("\n", "; ").trim()));
            System.out.println("page written to " + args[1]);
        }
        List<String> problems = problems(rows);
        problems.forEach(p -> System.out.println("PROBLEM " + p));
        System.exit(problems.isEmpty() ? 0 : 1);
    }
}
