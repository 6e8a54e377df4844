package klm.lkmm;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import klm.lkmm.Candidates.Result;
import klm.lkmm.Candidates.Verdict;

/**
 * The generated corpus under the axiomatic models: {@code Corpus [lkmm,sc,tso] [step]} answers
 * every test (or every step-th) under each model, and prints, per category, how SC and TSO
 * compare with LKMM, with the time each model took and its slowest test.
 */
public final class Corpus {
    private Corpus() {}

    public static void main(String[] args) {
        int step = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        List<Generator.Test> tests = Generator.sample(step);
        Model[] models = {new Lkmm(), new Sc(), new Tso()};
        Map<String, Map<String, int[]>> table = new LinkedHashMap<>();
        long[] nanos = new long[models.length];
        long[] slowest = new long[models.length];
        String[] slowName = new String[models.length];
        for (Generator.Test t : tests) {
            Verdict[] v = new Verdict[models.length];
            for (int m = 0; m < models.length; m++) {
                long t0 = System.nanoTime();
                v[m] = Candidates.run(t.program(), models[m]).verdict();
                long dt = System.nanoTime() - t0;
                nanos[m] += dt;
                if (dt > slowest[m]) {
                    slowest[m] = dt;
                    slowName[m] = t.name();
                }
            }
            for (int m = 1; m < models.length; m++) {
                int[] row = table.computeIfAbsent(t.category(), k -> new LinkedHashMap<>()).computeIfAbsent(models[m].name(), k -> new int[3]);
                row[compare(v[m], v[0])]++;
            }
        }
        System.out.printf("%d tests%n", tests.size());
        for (int m = 0; m < models.length; m++) {
            System.out.printf("%s: %.1f s in all, %.2f ms a test, slowest %s %.1f ms%n", models[m].name(), nanos[m] / 1e9,
                    nanos[m] / 1e6 / tests.size(), slowName[m], slowest[m] / 1e6);
        }
        System.out.println("| category | model | agrees with LKMM | stronger | weaker |");
        System.out.println("|---|---|---|---|---|");
        table.forEach((cat, rows) -> rows.forEach((model, r) ->
                System.out.printf("| %s | %s | %d | %d | %d |%n", cat, model, r[0], r[1], r[2])));
    }

    /** 0: the same answer; 1: stronger (Never where the reference says Sometimes); 2: weaker. */
    public static int compare(Verdict model, Verdict reference) {
        boolean m = model != Verdict.NEVER, r = reference != Verdict.NEVER;
        return m == r ? 0 : r ? 1 : 2;
    }
}
