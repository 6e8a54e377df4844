package klm.verdict;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * What one checker observed on one variant in one run of the build: the verdict, the bad outcomes,
 * figures (time, invocations, samples...), and a trace or outcome table for the results page.
 * Each checker stage writes these to {@code <dir>/<checker>/<protocol>__<variant>.properties}
 * (plus {@code .trace.txt}); the summary merges them. A run id ties them to one build, so stale
 * files from an earlier build are never taken for this one's.
 */
public final class Observation {
    public final String protocol;
    public final String variant;
    public final Checker checker;
    public Verdict verdict = Verdict.MISSING;
    public final Set<String> outcomes = new TreeSet<>();
    public String detail = "";
    public String runId = "";
    public final Map<String, String> figures = new LinkedHashMap<>();
    public String trace = "";

    public Observation(String protocol, String variant, Checker checker) {
        this.protocol = protocol;
        this.variant = variant;
        this.checker = checker;
    }

    public static Observation of(Variant v, Checker c) {
        return new Observation(v.protocol(), v.name(), c);
    }

    public Observation figure(String name, Object value) {
        figures.put(name, String.valueOf(value));
        return this;
    }

    private static Path base(Path dir, Checker c, String protocol, String variant) {
        return dir.resolve(c.key()).resolve(protocol + "__" + variant);
    }

    public void write(Path dir) throws IOException {
        Path b = base(dir, checker, protocol, variant);
        Files.createDirectories(b.getParent());
        Properties p = new Properties();
        p.setProperty("protocol", protocol);
        p.setProperty("variant", variant);
        p.setProperty("checker", checker.key());
        p.setProperty("verdict", verdict.name());
        p.setProperty("outcomes", String.join(",", outcomes));
        p.setProperty("detail", detail);
        p.setProperty("runId", runId);
        figures.forEach((k, v) -> p.setProperty("figure." + k, v));
        Path tmp = Files.createTempFile(b.getParent(), "obs", ".tmp");
        try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            p.store(w, "kernel-lock-models observation");
        }
        Files.writeString(b.resolveSibling(b.getFileName() + ".trace.txt"), trace, StandardCharsets.UTF_8);
        Files.move(tmp, b.resolveSibling(b.getFileName() + ".properties"), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
    }

    /** The observation this run recorded, or one with verdict MISSING if there is none (or only a stale one). */
    public static Observation read(Path dir, Variant v, Checker c, String runId) throws IOException {
        Observation o = of(v, c);
        Path b = base(dir, c, v.protocol(), v.name());
        Path props = b.resolveSibling(b.getFileName() + ".properties");
        if (!Files.exists(props)) {
            o.detail = "no observation recorded (did the " + c.title() + " stage run?)";
            return o;
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(props, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        String recordedRun = p.getProperty("runId", "");
        if (!runId.isEmpty() && !runId.equals(recordedRun)) {
            o.detail = "only a stale observation from build " + recordedRun + " (this build is " + runId + ")";
            return o;
        }
        o.runId = recordedRun;
        o.verdict = Verdict.valueOf(p.getProperty("verdict", "MISSING"));
        String outs = p.getProperty("outcomes", "");
        if (!outs.isEmpty()) {
            o.outcomes.addAll(Arrays.asList(outs.split(",")));
        }
        o.detail = p.getProperty("detail", "");
        for (String k : new TreeSet<>(p.stringPropertyNames())) {
            if (k.startsWith("figure.")) {
                o.figures.put(k.substring("figure.".length()), p.getProperty(k));
            }
        }
        Path trace = b.resolveSibling(b.getFileName() + ".trace.txt");
        if (Files.exists(trace)) {
            o.trace = Files.readString(trace, StandardCharsets.UTF_8);
        }
        return o;
    }

    public String outcomesText() {
        return outcomes.stream().collect(Collectors.joining(", "));
    }
}
