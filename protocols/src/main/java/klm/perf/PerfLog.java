package klm.perf;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import klm.verdict.Variant;

/**
 * The raw measurements of the performance run: one tab-separated line per attempt, appended to
 * {@code <dir>/<part>.tsv} by each part of the run (model checking, stress + baseline + lockdep,
 * JCStress), read back by {@link PerfReport}. Columns: protocol, variant, kind, method, attempt,
 * detected, timeMs, count (invocations, rounds or samples until the first detection, or explored in
 * total), bad, note.
 */
public final class PerfLog {
    /** One attempt of one method on one variant. */
    public record Attempt(String protocol, String variant, String kind, String method, int attempt, boolean detected,
                          double timeMs, long count, long bad, String note) {
        String line() {
            return String.join("\t", protocol, variant, kind, method, Integer.toString(attempt), Boolean.toString(detected),
                    String.format(Locale.ROOT, "%.3f", timeMs), Long.toString(count), Long.toString(bad),
                    note.replace('\t', ' ').replace('\n', ' '));
        }

        static Attempt parse(String line) {
            String[] f = line.split("\t", -1);
            return new Attempt(f[0], f[1], f[2], f[3], Integer.parseInt(f[4]), Boolean.parseBoolean(f[5]),
                    Double.parseDouble(f[6]), Long.parseLong(f[7]), Long.parseLong(f[8]), f.length > 9 ? f[9] : "");
        }
    }

    /** The methods, in the order the report shows them. */
    public static final List<String> METHODS = List.of("lincheck-mc", "explorer", "vmlens", "fray-pos", "fray-random",
            "fray-pos-volatile", "fray-random-volatile", "lincheck-stress", "jcstress", "baseline", "lockdep");

    /** Fray's configurations (its schedulers, with the runtime's accesses as the kernel's or all volatile). */
    public static final List<String> FRAY = List.of("fray-pos", "fray-random", "fray-pos-volatile", "fray-random-volatile");

    private final Path file;

    public PerfLog(Path dir, String part) throws IOException {
        Files.createDirectories(dir);
        this.file = dir.resolve(part + ".tsv");
        Files.deleteIfExists(file);
    }

    /** Deletes every part's measurements in {@code dir}, and the facts of its Fray part. */
    public static void clear(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (var s = Files.list(dir)) {
            // the Fray part's facts too: a part run alone later adds to them (FrayLauncher), a new run starts afresh
            for (Path p : s.filter(f -> f.toString().endsWith(".tsv") || f.getFileName().toString().equals("fray-facts.properties")).toList()) {
                Files.delete(p);
            }
        }
    }

    public static Path dir() {
        String d = System.getProperty("klm.perf.dir");
        return Path.of(d == null || d.isBlank() ? "target/perf" : d).toAbsolutePath();
    }

    /** Attempts per BUGGY variant and method (the issue asks for at least 10). */
    public static int attempts() {
        return Integer.getInteger("klm.perf.attempts", 10);
    }

    public synchronized void add(Variant v, String method, int attempt, boolean detected, double timeMs, long count,
                                 long bad, String note) {
        Attempt a = new Attempt(v.protocol(), v.name(), v.kind().name(), method, attempt, detected, timeMs, count, bad,
                note == null ? "" : note);
        try {
            Files.writeString(file, a.line() + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        System.out.printf(Locale.ROOT, "[klm] perf %-44s %-15s #%-2d %s %10.1f ms %,d%n", v.id(), method, attempt,
                detected ? "found    " : "not found", timeMs, count);
    }

    public static List<Attempt> readAll(Path dir) throws IOException {
        List<Attempt> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (var s = Files.list(dir)) {
            for (Path p : s.filter(f -> f.toString().endsWith(".tsv")).sorted().toList()) {
                out.addAll(read(p));
            }
        }
        return out;
    }

    /** The attempts of one file (a part's log, or the report's performance.tsv with its header line). */
    public static List<Attempt> read(Path tsv) throws IOException {
        List<Attempt> out = new ArrayList<>();
        for (String l : Files.readAllLines(tsv, StandardCharsets.UTF_8)) {
            if (!l.isBlank() && !l.startsWith(HEADER)) {
                out.add(Attempt.parse(l));
            }
        }
        return out;
    }

    /** The column names, the first line of performance.tsv. */
    public static final String HEADER = "protocol\tvariant\tkind\tmethod\tattempt\tdetected\ttimeMs\tcount\tbad\tnote";
}
