package klm.perf;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

import klm.explorer.memory.MemoryModel;
import klm.litmus.Ast;
import klm.litmus.LitmusReader;
import klm.litmus.LitmusRunner;
import klm.lkmm.FromLitmus;
import klm.lkmm.Model;
import klm.report.LitmusPage;
import klm.report.Machine;
import klm.report.SourceCommit;

/**
 * The litmus benchmark: every file of the corpus under every explorer model and every axiomatic
 * model of klm.lkmm, timed in one JVM (a warm-up round, then {@code klm.litmus.rounds} timed rounds;
 * a cell is the median of its rounds). Writes results/litmus-bench.tsv, and the cost section of
 * results/litmus.md (the page's other sections come from the main job). A benchmark, not a test:
 * nothing here passes or fails on a time.
 *
 * <p>Run from the project root: {@code ./litmus --bench}, or
 * {@code java -Dklm.blocking=explorer -cp protocols/target/classes klm.perf.LitmusBench [CORPUS [RESULTS]]}.
 */
public final class LitmusBench {
    private LitmusBench() {}

    /** The axiomatic models timed beside the explorer's, by the names {@code ./litmus --model} takes. */
    private static final List<String> AXIOMATIC = List.of("lkmm", "axiomatic-sc", "axiomatic-tso");

    public static void main(String[] args) throws Exception {
        if (!"explorer".equals(System.getProperty("klm.blocking"))) {
            System.err.println("LitmusBench runs the explorer: start it with -Dklm.blocking=explorer (./litmus --bench does)");
            System.exit(2);
        }
        Path corpus = Path.of(args.length > 0 ? args[0] : "protocols/litmus");
        Path results = Path.of(args.length > 1 ? args[1] : "results");
        int rounds = Integer.getInteger("klm.litmus.rounds", 11);
        if (!Files.isDirectory(corpus) || rounds < 1) {
            System.err.println("usage: LitmusBench [CORPUS-DIR [RESULTS-DIR]] (default protocols/litmus, results; run from the"
                    + " project root), -Dklm.litmus.rounds=N (N >= 1, default 11); no folder " + corpus.toAbsolutePath());
            System.exit(2);
        }
        System.exit(run(corpus, results, rounds));
    }

    static int run(Path corpus, Path results, int rounds) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.walk(corpus)) {
            files = s.filter(f -> f.toString().endsWith(".litmus")).sorted().toList();
        }
        List<String> models = new ArrayList<>();
        LitmusRunner.models().forEach(m -> models.add(m.id()));
        models.addAll(AXIOMATIC);
        List<String[]> rows = new ArrayList<>();
        String loadBefore = Machine.loadAverage();
        long t0 = System.nanoTime();
        for (String model : models) {
            for (Path f : files) {
                Ast.Test t = LitmusReader.read(f);
                Supplier<Integer> once = runner(t, model);
                if (once == null) {
                    continue; // an axiomatic model that cannot state the file: no figure
                }
                once.get(); // warm-up
                double[] ms = new double[rounds];
                int states = 0;
                for (int r = 0; r < rounds; r++) {
                    long s = System.nanoTime();
                    states = once.get();
                    ms[r] = (System.nanoTime() - s) / 1e6;
                }
                Arrays.sort(ms);
                double median = ms[rounds / 2];
                rows.add(new String[] {f.toString().replace('\\', '/'), t.name(), Integer.toString(t.threads().size()), model,
                        String.format(Locale.ROOT, "%.3f", median), Integer.toString(states)});
                System.out.printf(Locale.ROOT, "[klm] litmus bench %-14s %-55s %d CPUs %10.3f ms%n", model, t.name(),
                        t.threads().size(), median);
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("date", ZonedDateTime.now(ZoneOffset.UTC).withNano(0).toString());
        facts.put("commit", SourceCommit.describe(Path.of("").toAbsolutePath()));
        facts.put("machine", Machine.oneLine());
        facts.put("method", String.format(Locale.ROOT, "Each file under each model in one JVM: one warm-up run, then %d timed"
                + " runs, the median kept; a run is the whole answer (for the explorer: the exploration of every execution,"
                + " and the replay of a witness where there is one; for an axiomatic model: the candidate executions and the"
                + " clause), the file's reading aside. The whole benchmark took %.1f s; the machine's load average"
                + " (1 min) was %s at its start and %s at its end: other work on the machine lengthens the figures.",
                rounds, seconds, loadBefore, Machine.loadAverage()));
        StringBuilder sb = new StringBuilder();
        facts.forEach((k, v) -> sb.append("# ").append(k).append('\t').append(v).append('\n'));
        sb.append("# file\tname\tcpus\tmodel\tmedian ms\tstates\n");
        rows.forEach(r -> sb.append(String.join("\t", r)).append('\n'));
        Files.createDirectories(results);
        Path tsv = LitmusPage.benchFile(results);
        Files.writeString(tsv, sb.toString(), StandardCharsets.UTF_8);
        Path page = results.resolve("litmus.md");
        String section = LitmusPage.bench(tsv);
        String text = Files.exists(page) ? LitmusPage.withBench(Files.readString(page, StandardCharsets.UTF_8), section)
                : "# The explorer's memory models against the kernel's litmus tests\n\n" + section;
        Files.writeString(page, text, StandardCharsets.UTF_8);
        System.out.println("[klm] wrote " + tsv + " and the cost section of " + page);
        return 0;
    }

    /** One answer of {@code t} under {@code model}, giving its number of final states; null if the model cannot state it. */
    private static Supplier<Integer> runner(Ast.Test t, String model) {
        if (AXIOMATIC.contains(model)) {
            Model m = Model.named(model.replace("axiomatic-", ""));
            try {
                FromLitmus.run(t, m);
            } catch (FromLitmus.Inexpressible e) {
                System.out.println("[klm] litmus bench " + model + " " + t.name() + ": not expressible (" + e.getMessage() + ")");
                return null;
            }
            return () -> FromLitmus.run(t, m).states();
        }
        MemoryModel m = LitmusRunner.model(model);
        return () -> LitmusRunner.run(t, m).states().size();
    }
}
