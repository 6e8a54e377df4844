package klm.perf;

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
import java.util.stream.Collectors;

import klm.perf.PerfLog.Attempt;
import klm.report.Json;
import klm.report.Machine;

/**
 * Turns the performance run's raw attempts into {@code results/performance.md} (a table per
 * protocol: detections out of N, median and min/max time to the first detection, ratio to the
 * plain-thread baseline; the FIXED variants' exploration cost), {@code results/performance.svg}
 * (time to detection per variant and method, log scale), {@code results/performance.tsv} (the raw
 * data) and a {@code performance} section in {@code results/summary.json}. Every number comes from
 * the attempts; nothing is typed in.
 */
public final class PerfReport {
    private PerfReport() {}

    /** Statistics of one method on one variant. */
    public record Stat(String protocol, String variant, String kind, String method, int attempts, int detected,
                       double medianMs, double minMs, double maxMs, long medianCount, long minCount, long maxCount,
                       String note) {
        boolean any() {
            return detected > 0;
        }
    }

    public static List<Stat> stats(List<Attempt> all) {
        Map<String, List<Attempt>> groups = new LinkedHashMap<>();
        for (Attempt a : all) {
            groups.computeIfAbsent(a.protocol() + "/" + a.variant() + "/" + a.method(), k -> new ArrayList<>()).add(a);
        }
        List<Stat> out = new ArrayList<>();
        for (List<Attempt> g : groups.values()) {
            Attempt f = g.get(0);
            boolean fixed = f.kind().equals("FIXED");
            List<Attempt> hits = fixed ? g : g.stream().filter(Attempt::detected).toList();
            List<Double> t = hits.stream().map(Attempt::timeMs).sorted().toList();
            List<Long> c = hits.stream().map(Attempt::count).sorted().toList();
            out.add(new Stat(f.protocol(), f.variant(), f.kind(), f.method(), g.size(),
                    (int) g.stream().filter(Attempt::detected).count(), t.isEmpty() ? Double.NaN : median(t),
                    t.isEmpty() ? Double.NaN : t.get(0), t.isEmpty() ? Double.NaN : t.get(t.size() - 1),
                    c.isEmpty() ? 0 : c.get(c.size() / 2), c.isEmpty() ? 0 : c.get(0), c.isEmpty() ? 0 : c.get(c.size() - 1),
                    g.get(g.size() - 1).note()));
        }
        List<String> order = klm.catalog.Catalog.all().stream().map(klm.verdict.Variant::id).toList();
        out.sort(java.util.Comparator.comparingInt((Stat x) -> order.indexOf(x.protocol() + "/" + x.variant()))
                .thenComparingInt(x -> PerfLog.METHODS.indexOf(x.method())));
        return out;
    }

    static double median(List<Double> sorted) {
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** The rows summary.json carries (also read back by the main job's Summary from performance.tsv). */
    public static List<Object> summaryRows(List<Stat> stats) {
        List<Object> rows = new ArrayList<>();
        for (Stat s : stats) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("protocol", s.protocol());
            m.put("variant", s.variant());
            m.put("kind", s.kind());
            m.put("method", s.method());
            m.put("attempts", s.attempts());
            m.put("detected", s.detected());
            if (!Double.isNaN(s.medianMs())) {
                m.put("medianMs", round(s.medianMs()));
                m.put("minMs", round(s.minMs()));
                m.put("maxMs", round(s.maxMs()));
            }
            m.put("medianCount", s.medianCount());
            Double ratio = ratio(stats, s);
            if (ratio != null) {
                m.put("ratioToBaseline", round(ratio));
            }
            rows.add(m);
        }
        return rows;
    }

    /** The performance rows of a results directory's performance.tsv, or null when there is none. */
    public static List<Object> summaryRows(Path resultsDir) throws IOException {
        Path tsv = resultsDir.resolve("performance.tsv");
        if (!Files.isRegularFile(tsv)) {
            return null;
        }
        return summaryRows(stats(PerfLog.read(tsv)));
    }

    private static double round(double d) {
        return Math.round(d * 1000) / 1000.0;
    }

    /** The statistics of {@code method} on the variant {@code id} ("protocol/variant"), or null. */
    private static Stat find(List<Stat> stats, String id, String method) {
        for (Stat x : stats) {
            if ((x.protocol() + "/" + x.variant()).equals(id) && x.method().equals(method)) {
                return x;
            }
        }
        return null;
    }

    /** Median time of {@code s} over the baseline's median, both detected; null otherwise. */
    static Double ratio(List<Stat> stats, Stat s) {
        Stat b = find(stats, s.protocol() + "/" + s.variant(), "baseline");
        if (b == null || s.kind().equals("FIXED") || !s.any() || !b.any()) {
            return null;
        }
        return s.medianMs() / b.medianMs();
    }

    // ------------------------------------------------------------------ markdown

    static String markdown(List<Stat> stats, Map<String, String> facts) {
        StringBuilder sb = new StringBuilder();
        sb.append("# Detection speed and cost, side by side\n\n");
        sb.append("_Generated by the performance run (`").append(facts.get("command")).append("`) on ")
                .append(facts.get("date")).append(" from commit ").append(facts.getOrDefault("commit", "unknown")).append("; machine: ").append(Machine.oneLine())
                .append(". Every number below comes from that run's attempts (raw data: `performance.tsv`)")
                .append(facts.containsKey("fray.date") ? ", Fray's from its own part, run on " + facts.get("fray.date")
                        + (facts.containsKey("fray.commit") ? " from commit " + facts.get("fray.commit") : "") : "")
                .append("._\n\n");
        sb.append(facts.get("method")).append("\n\n");
        sb.append("![time to first detection per variant and method, log scale](performance.svg)\n\n");
        sb.append("## At a glance: median time to the first detection (detections / attempts)\n\n");
        sb.append("| variant |");
        for (String m : PerfLog.METHODS) {
            sb.append(' ').append(m).append(" |");
        }
        sb.append("\n|---|").append("---|".repeat(PerfLog.METHODS.size())).append('\n');
        List<String> buggy = stats.stream().filter(s -> s.kind().equals("BUGGY")).map(s -> s.protocol() + "/" + s.variant())
                .distinct().toList();
        for (String id : buggy) {
            sb.append("| ").append(id).append(" |");
            for (String m : PerfLog.METHODS) {
                Stat s = find(stats, id, m);
                sb.append(' ').append(s == null ? "" : cell(s)).append(" |");
            }
            sb.append('\n');
        }
        sb.append("\nA median is over the attempts that detected the bug; `—` means none did within the cap;"
                + " lockdep's `silent` means the bug is not a lock order, which lockdep does not judge.\n\n");
        sb.append(explorerVersusLincheck(stats));
        sb.append(vmlens(stats));
        sb.append(fray(stats, facts));
        sb.append(notAhead(stats));
        List<String> protocols = stats.stream().map(Stat::protocol).distinct().toList();
        for (String p : protocols) {
            sb.append("## ").append(p).append("\n\n### BUGGY variants: time to the first detection\n\n");
            sb.append("| variant | method | detected | median | min | max | median count to detection | × baseline | note |\n");
            sb.append("|---|---|---|---|---|---|---|---|---|\n");
            for (Stat s : stats) {
                if (!s.protocol().equals(p) || !s.kind().equals("BUGGY")) {
                    continue;
                }
                Double r = ratio(stats, s);
                sb.append("| ").append(s.variant()).append(" | ").append(s.method()).append(" | ")
                        .append(s.detected()).append("/").append(s.attempts()).append(" | ")
                        .append(s.any() ? ms(s.medianMs()) : silentLockdep(s) ? "silent" : "not within cap").append(" | ")
                        .append(s.any() ? ms(s.minMs()) : "").append(" | ").append(s.any() ? ms(s.maxMs()) : "")
                        .append(" | ").append(s.any() ? String.format(Locale.ROOT, "%,d %s", s.medianCount(), unit(s.method())) : "")
                        .append(" | ").append(r == null ? "" : String.format(Locale.ROOT, "%.3g", r))
                        .append(" | ").append(s.note()).append(" |\n");
            }
            sb.append("\n### FIXED variants: cost of the clean verdict\n\n");
            sb.append("| variant | method | wall time | explored / samples | rate |\n|---|---|---|---|---|\n");
            for (Stat s : stats) {
                if (!s.protocol().equals(p) || !s.kind().equals("FIXED")) {
                    continue;
                }
                String rate = s.method().equals("jcstress") && s.medianMs() > 0
                        ? String.format(Locale.ROOT, "%,.0f samples/s", s.medianCount() * 1000.0 / s.medianMs())
                        : (s.method().equals("lincheck-mc") || s.method().equals("explorer") || s.method().equals("vmlens")
                        || PerfLog.FRAY.contains(s.method())) && s.medianMs() > 0
                        ? String.format(Locale.ROOT, "%,.0f %s/s", s.medianCount() * 1000.0 / s.medianMs(), unit(s.method())) : "";
                sb.append("| ").append(s.variant()).append(" | ").append(s.method()).append(" | ").append(ms(s.medianMs()))
                        .append(" | ").append(String.format(Locale.ROOT, "%,d %s", s.medianCount(), unit(s.method())))
                        .append(s.note().isEmpty() ? "" : " (" + s.note() + ")").append(" | ").append(rate).append(" |\n");
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /**
     * The explorer next to Lincheck's model checker on the same scenarios: for a BUGGY variant, the
     * median times to the first counterexample and their ratio, and whether every attempt stopped at
     * the same execution; for a FIXED one, the time to a complete exploration against Lincheck's
     * bounded sample.
     */
    static String explorerVersusLincheck(List<Stat> stats) {
        List<Stat> ex = stats.stream().filter(s -> s.method().equals("explorer")).toList();
        if (ex.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder("## The explorer against Lincheck's model checker\n\n");
        sb.append("| variant | kind | explorer | executions | same execution every attempt | lincheck-mc | Lincheck ÷ explorer |\n");
        sb.append("|---|---|---|---|---|---|---|\n");
        for (Stat e : ex) {
            Stat l = find(stats, e.protocol() + "/" + e.variant(), "lincheck-mc");
            boolean fixed = e.kind().equals("FIXED");
            String exCell = e.any() || fixed ? ms(e.medianMs()) + (fixed ? " (" + e.note() + ")" : " (" + e.detected() + "/" + e.attempts() + ")")
                    : "not seen (" + e.note() + ")";
            String count = e.any() || fixed ? String.format(Locale.ROOT, fixed ? "%,d" : "execution %,d", e.medianCount()) : "";
            String same = fixed || !e.any() ? "" : e.minCount() == e.maxCount() && e.detected() == e.attempts() ? "yes" : "no ("
                    + e.minCount() + ".." + e.maxCount() + ")";
            String lin = l == null ? "" : l.any() || fixed ? ms(l.medianMs()) + (fixed ? " (" + String.format(Locale.ROOT, "%,d", l.medianCount())
                    + " invocations, " + (l.note().isEmpty() ? "bound" : l.note()) + ")" : " (" + l.detected() + "/" + l.attempts() + ")") : "not seen";
            String ratio = l != null && (l.any() || fixed) && (e.any() || fixed) && e.medianMs() > 0
                    ? String.format(Locale.ROOT, "%.3g", l.medianMs() / e.medianMs()) : "";
            sb.append("| ").append(e.protocol()).append('/').append(e.variant()).append(" | ").append(e.kind()).append(" | ")
                    .append(exCell).append(" | ").append(count).append(" | ").append(same).append(" | ").append(lin)
                    .append(" | ").append(ratio).append(" |\n");
        }
        sb.append("\nFor a FIXED variant the two columns do not buy the same thing: the explorer's time is a complete"
                + " exploration (every execution up to equivalence), Lincheck's a bounded sample of interleavings.\n\n");
        return sb.toString();
    }

    /**
     * The peer VMLens: what its AllInterleavings loop found on the scenarios it was given,
     * how many interleavings it ran and how long it took; where it missed a bug, why.
     */
    static String vmlens(List<Stat> stats) {
        List<Stat> vm = stats.stream().filter(s -> s.method().equals("vmlens")).toList();
        if (vm.isEmpty()) {
            return "";
        }
        long buggy = vm.stream().filter(s -> s.kind().equals("BUGGY")).count();
        long found = vm.stream().filter(s -> s.kind().equals("BUGGY") && s.any()).count();
        StringBuilder sb = new StringBuilder("## The peer: VMLens\n\n");
        sb.append(String.format(Locale.ROOT, "VMLens's `AllInterleavings` loop, under its agent, ran %d of the scenarios above"
                + " (the runtime in its blocking mode for model checkers): it found %d of the %d bugs among them.\n\n", vm.size(), found, buggy));
        sb.append("| variant | kind | result | interleavings | time |\n|---|---|---|---|---|\n");
        for (Stat s : vm) {
            sb.append("| ").append(s.protocol()).append('/').append(s.variant()).append(" | ").append(s.kind()).append(" | ")
                    .append(s.any() ? "found: " + s.note() : s.kind().equals("BUGGY") ? "not found: " + s.note() : s.note()).append(" | ")
                    .append(s.any() || !s.kind().equals("BUGGY") ? String.format(Locale.ROOT, "%,d", s.medianCount()) : "").append(" | ")
                    .append(s.any() || !s.kind().equals("BUGGY") ? ms(s.medianMs()) : "").append(" |\n");
        }
        if (found < buggy) {
            sb.append("\nWhy it misses them (read from its own trace of these runs; docs/DESIGN.md, \"The peer VMLens\"): it records"
                    + " the runtime's volatile fields, monitors, thread start and join, but not the accesses the models make through"
                    + " `VarHandle`s (`READ_ONCE`, `WRITE_ONCE`, acquire/release and the atomic operations of `Word`, `Ptr` and"
                    + " `PerCpuInt`). It therefore sees no point at which the simulated CPUs could interleave beyond the order in which"
                    + " they start, ends its loop there, and reports the plain accesses those operations order as data races.\n");
        }
        return sb.append('\n').toString();
    }

    /**
     * The peer Fray: per variant it ran, each configuration's median time and round to the first
     * failure (BUGGY) or its clean rounds (FIXED), and what it sees and what not, read from the rows.
     */
    static String fray(List<Stat> stats, Map<String, String> facts) {
        List<Stat> fr = stats.stream().filter(s -> PerfLog.FRAY.contains(s.method())).toList();
        if (fr.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder("## The peer: Fray\n\n");
        sb.append(String.format(Locale.ROOT, "Fray %s (controlled concurrency testing for the JVM: it runs a test again and"
                + " again, choosing at each point it sees which thread goes next) ran the scenarios on plain threads (the"
                + " runtime in its blocking mode for model checkers) on a Fray-instrumented JDK 25, in four configurations:"
                + " its POS (partial order sampling) and random-walk schedulers, with the runtime's accesses as the kernel's"
                + " (`fray-pos`, `fray-random`) and with every access volatile (`-Dklm.access=volatile`: `fray-pos-volatile`,"
                + " `fray-random-volatile`). Per BUGGY variant the explorer finds under sc, %s attempts of at most %s rounds;"
                + " per FIXED variant one loop of %s rounds. A round is one run of the scenario with its invariant checked;"
                + " time = the wall time of Fray's call, its set-up included. Fray's part ended on %s, load average %s then.%s%n%n",
                facts.getOrDefault("fray.version", "?"), facts.getOrDefault("fray.attempts", "?"), facts.getOrDefault("fray.rounds", "?"),
                facts.getOrDefault("fray.fixedRounds", "?"), facts.getOrDefault("fray.date", "?"), facts.getOrDefault("fray.load", "?"),
                facts.keySet().stream().filter(k -> k.startsWith("fray.wallS.")).sorted()
                        .map(k -> " " + k.substring("fray.wallS.".length()) + ": " + facts.get(k) + " s.").collect(Collectors.joining())));
        List<String> ids = fr.stream().map(s -> s.protocol() + "/" + s.variant()).distinct().toList();
        for (String m : PerfLog.FRAY) {
            long bugs = ids.stream().filter(id -> { Stat x = find(stats, id, m); return x != null && x.kind().equals("BUGGY"); }).count();
            long found = ids.stream().filter(id -> { Stat x = find(stats, id, m); return x != null && x.kind().equals("BUGGY") && x.any(); }).count();
            long always = ids.stream().filter(id -> { Stat x = find(stats, id, m);
                return x != null && x.kind().equals("BUGGY") && x.detected() == x.attempts(); }).count();
            sb.append(String.format(Locale.ROOT, "- **%s** found %d of the %d bugs, %d of them in every attempt.%n", m, found, bugs, always));
        }
        sb.append("\n| variant | kind | explorer |");
        PerfLog.FRAY.forEach(m -> sb.append(' ').append(m).append(" |"));
        sb.append("\n|---|---|---|").append("---|".repeat(PerfLog.FRAY.size())).append('\n');
        for (String id : ids) {
            Stat e = find(stats, id, "explorer");
            String kind = fr.stream().filter(s -> (s.protocol() + "/" + s.variant()).equals(id)).findFirst().get().kind();
            sb.append("| ").append(id).append(" | ").append(kind).append(" | ")
                    .append(e == null ? "" : e.any() || kind.equals("FIXED") ? ms(e.medianMs()) + ", " + String.format(Locale.ROOT,
                            kind.equals("FIXED") ? "%,d executions (" + e.note() + ")" : "execution %,d", e.medianCount()) : "not seen")
                    .append(" |");
            for (String m : PerfLog.FRAY) {
                Stat x = find(stats, id, m);
                String cell = "";
                if (x != null && kind.equals("BUGGY")) {
                    cell = x.any() ? ms(x.medianMs()) + ", round " + String.format(Locale.ROOT, "%,d", x.medianCount())
                            + " (" + x.detected() + "/" + x.attempts() + ")"
                            : "— (0/" + x.attempts() + ")" + (x.note().startsWith("no answer") ? ": no answer" : "");
                } else if (x != null) {
                    cell = x.any() ? "FAILED: " + x.note() : x.note().startsWith("no answer") ? "no answer"
                            : String.format(Locale.ROOT, "%,d rounds clean, %s", x.medianCount(), ms(x.medianMs()));
                }
                sb.append(' ').append(cell).append(" |");
            }
            sb.append('\n');
        }
        List<String> missedKernel = ids.stream().filter(id -> {
            Stat p = find(stats, id, "fray-pos");
            Stat r = find(stats, id, "fray-random");
            return p != null && r != null && p.kind().equals("BUGGY") && !p.any() && !r.any();
        }).toList();
        List<String> missedVolatile = ids.stream().filter(id -> {
            Stat p = find(stats, id, "fray-pos-volatile");
            Stat r = find(stats, id, "fray-random-volatile");
            return p != null && r != null && p.kind().equals("BUGGY") && !p.any() && !r.any();
        }).toList();
        List<String> falseAlarms = fr.stream().filter(s -> s.kind().equals("FIXED") && s.any())
                .map(s -> s.protocol() + "/" + s.variant() + " (" + s.method() + ": " + s.note() + ")").toList();
        List<String> noAnswer = fr.stream().filter(s -> s.note().startsWith("no answer"))
                .map(s -> s.protocol() + "/" + s.variant() + " (" + s.method() + ")").toList();
        sb.append("\nWhat it sees and what not (docs/DESIGN.md, \"The peer Fray\"): Fray schedules at the points its"
                + " instrumentation knows, monitors, thread start and join, and of the `VarHandle` accesses only volatile get and"
                + " set and `compareAndSet`; the runtime's `READ_ONCE`, `WRITE_ONCE`, acquire/release loads and stores and the"
                + " other atomic operations are opaque, acquire or release accesses, and `Thread.onSpinWait` is no scheduling"
                + " point either. With the kernel's accesses it therefore interleaves the CPUs only at their locks");
        sb.append(missedKernel.isEmpty() ? ", and found every bug all the same.\n"
                : " and missed " + missedKernel.size() + " bug(s) in every attempt of both schedulers: "
                + String.join(", ", missedKernel) + ".\n");
        sb.append("With every access volatile it sees every access");
        sb.append(missedVolatile.isEmpty() ? " and found every bug it was given."
                : ", and still missed " + String.join(", ", missedVolatile) + ".");
        sb.append(" That mode makes every access sequentially consistent, so Fray cannot see a reordering (the tso and ra"
                + " columns' bugs), and its FIXED rows are samples, not proofs: its schedulers draw interleavings at random and"
                + " keep no record of what they covered, where the explorer's FIXED time is a complete exploration.");
        if (!falseAlarms.isEmpty()) {
            sb.append(" It reported a failure on FIXED variants: ").append(String.join(", ", falseAlarms)).append('.');
        }
        if (!noAnswer.isEmpty()) {
            sb.append(" No answer within the cap (the JVM was ended): ").append(String.join(", ", noAnswer)).append('.')
                    .append(" A CPU that spins (a spin lock's wait, a `cpu_relax()` loop) keeps a Fray round going: with the"
                            + " kernel's accesses its reads are no scheduling points, so Fray never lets the other CPU run;"
                            + " with every access volatile, a deadlock of spin locks is CPUs that keep taking steps, which Fray"
                            + " does not call a deadlock, and `FrayInTestLauncher` sets no bound on the steps of a round.");
        }
        return sb.append("\n\n").toString();
    }

    /** Why a method can be ahead of the explorer on a bug, by method. */
    private static String whyAhead(String method) {
        return switch (method) {
            case "lockdep" -> "lockdep runs each path once and judges the lock order itself: it needs no schedule that closes"
                    + " the cycle, and sees only lock-order bugs";
            case "baseline", "lincheck-stress", "jcstress" -> "plain threads hit this race within the first rounds; the"
                    + " explorer's order of executions is fixed, not random, and its time includes its set-up and the"
                    + " counterexample's table";
            case "fray-pos", "fray-random", "fray-pos-volatile", "fray-random-volatile" -> "Fray's random scheduler hit the"
                    + " bug in its first rounds; the explorer's order of executions is fixed, not random, and its time"
                    + " includes the counterexample's table";
            default -> "its first attempts hit the bug early";
        };
    }

    /**
     * Where the explorer is not the fastest to the first counterexample: per BUGGY variant, every
     * other method whose median time is below the explorer's, or that finds a bug the explorer's sc
     * exploration does not, with the reason.
     */
    static String notAhead(List<Stat> stats) {
        List<Stat> ex = stats.stream().filter(s -> s.method().equals("explorer") && s.kind().equals("BUGGY")).toList();
        if (ex.isEmpty()) {
            return "";
        }
        StringBuilder rows = new StringBuilder();
        int n = 0;
        for (Stat e : ex) {
            for (Stat o : stats) {
                if (!o.protocol().equals(e.protocol()) || !o.variant().equals(e.variant()) || o.method().equals("explorer") || !o.any()) {
                    continue;
                }
                if (e.any() && o.medianMs() >= e.medianMs()) {
                    continue;
                }
                n++;
                rows.append("| ").append(e.protocol()).append('/').append(e.variant()).append(" | ")
                        .append(e.any() ? ms(e.medianMs()) : "not seen under sc").append(" | ").append(o.method()).append(" | ")
                        .append(ms(o.medianMs())).append(" (").append(o.detected()).append('/').append(o.attempts()).append(") | ")
                        .append(e.any() ? whyAhead(o.method()) : "a reordering, not an interleaving: the performance run times"
                                + " the explorer under sc; its tso or ra column finds it (results/summary.md)")
                        .append(" |\n");
            }
        }
        StringBuilder sb = new StringBuilder("## Where the explorer is not the fastest\n\n");
        if (n == 0) {
            return sb.append("On every bug the explorer found, its median time to the first counterexample is below every"
                    + " other method's median.\n\n").toString();
        }
        sb.append(String.format(Locale.ROOT, "On %d method-and-bug pair(s) another method's median time to the first detection"
                + " is below the explorer's, or the method finds a bug the explorer's sc exploration does not:%n%n", n));
        sb.append("| variant | explorer | method | its median | why |\n|---|---|---|---|---|\n").append(rows).append('\n');
        return sb.toString();
    }

    private static boolean silentLockdep(Stat s) {
        return s.method().equals("lockdep") && !s.any();
    }

    private static String cell(Stat s) {
        if (silentLockdep(s)) {
            return "silent";
        }
        return (s.any() ? ms(s.medianMs()) : "—") + " (" + s.detected() + "/" + s.attempts() + ")";
    }

    private static String unit(String method) {
        return switch (method) {
            case "lincheck-mc", "lincheck-stress" -> "invocations";
            case "jcstress" -> "samples";
            case "baseline", "fray-pos", "fray-random", "fray-pos-volatile", "fray-random-volatile" -> "rounds";
            case "explorer" -> "executions";
            case "vmlens" -> "interleavings";
            default -> "runs";
        };
    }

    static String ms(double ms) {
        if (Double.isNaN(ms)) {
            return "";
        }
        if (ms >= 10_000) {
            return String.format(Locale.ROOT, "%.1f s", ms / 1000);
        }
        if (ms >= 100) {
            return String.format(Locale.ROOT, "%.0f ms", ms);
        }
        return String.format(Locale.ROOT, "%.2f ms", ms);
    }

    // ------------------------------------------------------------------ SVG

    private static final Map<String, String> COLOURS = Map.ofEntries(Map.entry("lincheck-mc", "#1f77b4"),
            Map.entry("explorer", "#9467bd"), Map.entry("vmlens", "#ff7f0e"), Map.entry("fray-pos", "#bcbd22"),
            Map.entry("fray-random", "#8c564b"), Map.entry("fray-pos-volatile", "#e377c2"),
            Map.entry("fray-random-volatile", "#393b79"), Map.entry("lincheck-stress", "#17becf"),
            Map.entry("jcstress", "#d62728"), Map.entry("baseline", "#7f7f7f"), Map.entry("lockdep", "#2ca02c"));

    static String svg(List<Stat> stats) {
        List<Stat> buggy = stats.stream().filter(s -> s.kind().equals("BUGGY")).toList();
        List<String> variants = buggy.stream().map(s -> s.protocol() + "/" + s.variant()).distinct().toList();
        double lo = 0.01;
        double hi = 100_000;
        int left = 330;
        int width = 560;
        int rowH = 18;
        int top = 40;
        int height = top + variants.size() * rowH + 80;
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "font-family=\"sans-serif\" font-size=\"11\">%n", left + width + 30, height));
        sb.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"16\" font-size=\"13\">Time to first detection"
                + " (median, min-max bar; log scale; hollow = not detected within the cap)</text>%n", 10));
        for (double d = lo; d <= hi * 1.001; d *= 10) {
            double x = left + width * (Math.log10(d) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo));
            sb.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/>%n", x,
                    top - 5, x, top + variants.size() * rowH));
            sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", x,
                    top + variants.size() * rowH + 14, ms(d).replace(".00", "")));
        }
        for (int i = 0; i < variants.size(); i++) {
            int y = top + i * rowH + rowH / 2;
            sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n", left - 8, y + 4,
                    variants.get(i)));
            int k = 0;
            for (String method : PerfLog.METHODS) {
                Stat s = find(buggy, variants.get(i), method);
                k++;
                if (s == null) {
                    continue;
                }
                double dy = y + (k - (PerfLog.METHODS.size() + 1) / 2.0) * (rowH - 4.0) / PerfLog.METHODS.size();
                String col = COLOURS.get(method);
                if (s.any()) {
                    double x1 = xOf(s.minMs(), lo, hi, left, width);
                    double x2 = xOf(s.maxMs(), lo, hi, left, width);
                    sb.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>%n",
                            x1, dy, x2, dy, col));
                    sb.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"%s\"/>%n",
                            xOf(s.medianMs(), lo, hi, left, width), dy, col));
                } else {
                    sb.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"none\" stroke=\"%s\"/>%n",
                            (double) left + width + 12, dy, col));
                }
            }
        }
        int ly = top + variants.size() * rowH + 34;
        int lx = left;
        for (String method : PerfLog.METHODS) {
            sb.append(String.format(Locale.ROOT, "<circle cx=\"%d\" cy=\"%d\" r=\"4\" fill=\"%s\"/><text x=\"%d\" y=\"%d\">%s</text>%n",
                    lx, ly, COLOURS.get(method), lx + 8, ly + 4, method));
            lx += 140;
            if (lx > left + width - 100) {
                lx = left;
                ly += 18;
            }
        }
        sb.append("</svg>\n");
        return sb.toString();
    }

    private static double xOf(double ms, double lo, double hi, int left, int width) {
        double v = Math.max(lo, Math.min(hi, ms));
        return left + width * (Math.log10(v) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo));
    }

    // ------------------------------------------------------------------ writing

    /** Writes the report files into {@code results} (staged, then moved) and patches summary.json. */
    public static void write(Path perfDir, Path results, Map<String, String> facts) throws IOException {
        List<Attempt> all = PerfLog.readAll(perfDir);
        if (all.isEmpty()) {
            throw new IllegalStateException("no measurements in " + perfDir + ": nothing to report");
        }
        List<Stat> stats = stats(all);
        Map<String, String> f = new LinkedHashMap<>(facts);
        Path factsFile = perfDir.resolve("facts.properties");
        if (f.isEmpty() && Files.isRegularFile(factsFile)) {
            java.util.Properties p = new java.util.Properties();
            try (var in = Files.newBufferedReader(factsFile, StandardCharsets.UTF_8)) {
                p.load(in);
            }
            p.stringPropertyNames().forEach(k -> f.put(k, p.getProperty(k)));
        }
        f.putIfAbsent("date", ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        f.putIfAbsent("command", "mvn -B verify -Pperf");
        // the commit the measurements ran from: the project's HEAD when the run's report is first written
        f.putIfAbsent("commit", klm.report.SourceCommit.describe(Path.of("").toAbsolutePath()));
        f.putIfAbsent("method", "");
        Path frayFacts = perfDir.resolve("fray-facts.properties");
        if (Files.isRegularFile(frayFacts)) {
            java.util.Properties p = new java.util.Properties();
            try (var in = Files.newBufferedReader(frayFacts, StandardCharsets.UTF_8)) {
                p.load(in);
            }
            p.stringPropertyNames().forEach(k -> f.put(k, p.getProperty(k)));
        }
        if (!facts.isEmpty()) {
            java.util.Properties p = new java.util.Properties();
            f.forEach(p::setProperty);
            try (var out = Files.newBufferedWriter(factsFile, StandardCharsets.UTF_8)) {
                p.store(out, "facts of the performance run, for re-rendering its report");
            }
        }
        Path staging = perfDir.resolve("staging");
        Files.createDirectories(staging);
        Files.createDirectories(results);
        String tsv = PerfLog.HEADER + "\n"
                + all.stream().map(Attempt::line).collect(Collectors.joining("\n")) + "\n";
        Map<String, String> files = new LinkedHashMap<>();
        files.put("performance.tsv", tsv);
        files.put("performance.md", markdown(stats, f));
        files.put("performance.svg", svg(stats));
        Path summary = results.resolve("summary.json");
        if (Files.isRegularFile(summary)) {
            files.put("summary.json", withPerformance(Files.readString(summary, StandardCharsets.UTF_8), summaryRows(stats)));
        }
        for (Map.Entry<String, String> e : files.entrySet()) {
            Files.writeString(staging.resolve(e.getKey()), e.getValue(), StandardCharsets.UTF_8);
        }
        for (String name : files.keySet()) {
            Files.move(staging.resolve(name), results.resolve(name), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        }
        System.out.println("[klm] wrote " + results.resolve("performance.md") + ", performance.svg, performance.tsv"
                + (files.containsKey("summary.json") ? " and the performance rows of summary.json" : ""));
    }

    /**
     * Re-renders the report from a performance run's raw data without measuring again:
     * {@code PerfReport <perf-dir> <results-dir>} (the facts of the run are kept in the perf dir).
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: PerfReport <perf-dir> <results-dir>");
            System.exit(2);
        }
        write(Path.of(args[0]).toAbsolutePath(), Path.of(args[1]).toAbsolutePath(), Map.of());
    }

    /** summary.json with its {@code performance} section (the last key) replaced or added. */
    public static String withPerformance(String json, List<Object> rows) {
        String key = ",\n  \"performance\": ";
        int i = json.indexOf(key);
        String head = i >= 0 ? json.substring(0, i) : json.substring(0, json.lastIndexOf('}')).stripTrailing();
        String body = Json.write(rows).strip().replace("\n", "\n  ");
        return head + key + body + "\n}\n";
    }
}
