package klm.lkmm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import klm.lkmm.Candidates.Verdict;

/**
 * The generated corpus under the explorer's models against the axiomatic ones: every test (or
 * every step-th: {@code Calibration [step]}) under LKMM, SC and x86-TSO axiomatically and under the
 * explorer's sc, tso and ra. Prints, per category of test and per explorer model, how many agree
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

    public static void main(String[] args) {
        int step = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        List<Generator.Test> tests = Generator.sample(step);
        long t0 = System.nanoTime();
        List<Row> rows = run(tests);
        double secs = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "%d tests in %.1f s%n", rows.size(), secs);
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
            System.out.printf(Locale.ROOT, "explorer %s: %.1f s, %d executions, slowest %s %.0f ms%n", m, ms / 1e3, execs, slowName, slow);
        }
        System.out.print(table(rows));
        List<String> problems = problems(rows);
        problems.forEach(p -> System.out.println("PROBLEM " + p));
        System.exit(problems.isEmpty() ? 0 : 1);
    }
}
