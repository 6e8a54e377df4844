package klm.fray;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;

import klm.catalog.Catalog;
import klm.catalog.Selection;
import klm.perf.PerfLog;
import klm.perf.PerfReport;
import klm.process.ProcessTree;
import klm.verdict.Checker;
import klm.verdict.Kind;
import klm.verdict.Variant;

/**
 * The performance run's Fray part, on the build's JDK 17 (the fray module's exec, -Pperf only):
 * <ol>
 *   <li>links a Fray-instrumented JDK 25 into {@code target/fray-jdk} once, as Fray's Maven plugin
 *       would, but from the installed JDK's run-time image (a JDK 24+ jlink can link without
 *       {@code jmods}, which the machine's JDK 25 does not ship; the plugin insists on them);</li>
 *   <li>runs {@link FrayPerf} on it with Fray's agents, once per configuration (POS and random walk,
 *       with the runtime's accesses as the kernel's or all volatile), over the BUGGY variants the
 *       explorer finds under sc and every FIXED variant; a variant that does not come back within its
 *       cap ends that JVM, is recorded as no answer, and the configuration goes on in a new JVM;</li>
 *   <li>writes what it ran with into {@code fray-facts.properties} and, when the jcstress module
 *       already wrote the report, renders it again with Fray's rows.</li>
 * </ol>
 */
public final class FrayLauncher {
    private FrayLauncher() {}

    /** Scheduler and access mode of each configuration. */
    static final List<String[]> CONFIGS = List.of(new String[] {"pos", "volatile"}, new String[] {"random", "volatile"},
            new String[] {"pos", "kernel"}, new String[] {"random", "kernel"});

    public static void main(String[] args) throws Exception {
        Path jdk25 = Path.of(System.getProperty("klm.fray.jdk", "/usr/lib/jvm/temurin-25-jdk-amd64"));
        if (!Files.isExecutable(jdk25.resolve("bin/jlink"))) {
            throw new IllegalStateException("-Dklm.fray.jdk=" + jdk25 + " has no bin/jlink: Fray 0.9.2 needs a JDK 25 to"
                    + " instrument (docs/REFERENCE.md, 'The peer Fray')");
        }
        Path work = Path.of(System.getProperty("klm.fray.work", "fray/target/fray")).toAbsolutePath();
        Files.createDirectories(work);
        List<String> cp = Arrays.asList(System.getProperty("java.class.path").split(java.io.File.pathSeparator));
        Path javaBin = linkedJdk(jdk25, work, cp).resolve("bin/java");
        Path jvmti = extractJvmti(work, jar(cp, "fray-jvmti-linux-x8664"));
        String agent = jar(cp, "fray-instrumentation-agent");

        Selection sel = Selection.fromSystemProperties();
        Checker sc = Checker.explorers().get(0);
        List<String> ids = new ArrayList<>();
        for (Variant v : sel.variants()) {
            if (v.kind() == Kind.FIXED || v.expected(sc).verdict().found()) {
                ids.add(v.id());
            }
        }
        if (ids.isEmpty()) {
            throw new IllegalStateException("no variant selected for Fray");
        }
        Path perfDir = PerfLog.dir();
        long capS = Long.getLong("klm.fray.attemptCapS", 60);
        int attempts = Integer.getInteger("klm.fray.attempts", 5);
        Map<String, String> configWallS = new java.util.LinkedHashMap<>();
        List<String> chosen = Arrays.stream(System.getProperty("klm.fray.configs", "pos-volatile,random-volatile,pos-kernel,random-kernel")
                .split(",")).map(String::trim).toList();
        List<String> valid = CONFIGS.stream().map(c -> c[0] + "-" + c[1]).toList();
        for (String c : chosen) {
            if (!valid.contains(c)) {
                throw new IllegalArgumentException("-Dklm.fray.configs: '" + c + "' is not a configuration; valid: " + String.join(", ", valid));
            }
        }
        for (String[] c : CONFIGS) {
            if (!chosen.contains(c[0] + "-" + c[1])) {
                continue;
            }
            long c0 = System.nanoTime();
            List<String> left = new ArrayList<>(ids);
            int part = 0;
            while (!left.isEmpty()) {
                String name = "fray-" + c[0] + "-" + c[1] + "-" + part++;
                List<String> cmd = new ArrayList<>(List.of(javaBin.toString(), "-Xmx2g", "-javaagent:" + agent,
                        "-agentpath:" + jvmti, "-Dfray.workDir=" + work.resolve("report-" + c[0] + "-" + c[1]), "-Dklm.blocking=lincheck",
                        "-Dklm.access=" + c[1], "-Dklm.perf.dir=" + perfDir, "-Dmode=" + sel.mode(),
                        "-Dklm.fray.rounds=" + System.getProperty("klm.fray.rounds", "1000"),
                        "-Dklm.fray.fixedRounds=" + System.getProperty("klm.fray.fixedRounds", "1000"),
                        "-Dklm.fray.attempts=" + attempts, "-Dklm.fray.attemptCapS=" + capS,
                        "-cp", String.join(java.io.File.pathSeparator, cp), FrayPerf.class.getName(), c[0], name));
                cmd.addAll(left);
                String[] stuckAt = run(cmd, capS + SLACK_S);
                String stuck = stuckAt == null ? null : stuckAt[0];
                if (stuck == null) {
                    break;
                }
                String[] pv = stuck.split("/", 2);
                Variant v = Catalog.get(pv[0], pv[1]);
                new PerfLog(perfDir, name + "-stuck").add(v, "fray-" + c[0] + ("volatile".equals(c[1]) ? "-volatile" : ""),
                        Integer.parseInt(stuckAt[1]), false, (capS + SLACK_S) * 1000.0, 0, 0, "no answer within " + (capS + SLACK_S)
                                + " s: the JVM was ended");
                left = new ArrayList<>(left.subList(left.indexOf(stuck) + 1, left.size()));
            }
            configWallS.put("fray.wallS." + c[0] + "-" + c[1], Long.toString((System.nanoTime() - c0) / 1_000_000_000L));
            writeFacts(perfDir, jdk25, attempts, configWallS);
        }
        if (Files.isRegularFile(perfDir.resolve("facts.properties"))) {
            PerfReport.write(perfDir, Path.of(System.getProperty("klm.results", "results")).toAbsolutePath(), Map.of());
        } else {
            System.out.println("[klm] fray: no report of the performance run in " + perfDir + " yet; Fray's rows are in its fray-*.tsv");
        }
    }

    /** What this Fray part ran with, merged into the facts an earlier part in the same directory left. */
    static void writeFacts(Path perfDir, Path jdk25, int attempts, Map<String, String> configWallS) throws IOException {
        // the facts of an earlier Fray part in the same directory stay (-Dklm.fray.configs runs a part of the configurations)
        Properties facts = new Properties();
        Path factsFile = perfDir.resolve("fray-facts.properties");
        if (Files.isRegularFile(factsFile)) {
            try (var in = Files.newBufferedReader(factsFile, StandardCharsets.UTF_8)) {
                facts.load(in);
            }
        }
        configWallS.forEach(facts::setProperty);
        facts.setProperty("fray.version", "0.9.2");
        facts.setProperty("fray.jdk", jdk25.toString());
        facts.setProperty("fray.rounds", System.getProperty("klm.fray.rounds", "1000"));
        facts.setProperty("fray.fixedRounds", System.getProperty("klm.fray.fixedRounds", "1000"));
        facts.setProperty("fray.attempts", Integer.toString(attempts));
        facts.setProperty("fray.date", java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).withNano(0).toString());
        facts.setProperty("fray.load", loadAverage());
        facts.setProperty("fray.commit", klm.report.SourceCommit.describe(Path.of("").toAbsolutePath()));
        try (var out = Files.newBufferedWriter(factsFile, StandardCharsets.UTF_8)) {
            facts.store(out, "how the Fray part of the performance run ran");
        }
    }

    /** Time for one attempt beyond Fray's own time-out: the JVM's start and Fray's set-up. */
    static final long SLACK_S = 30;

    /**
     * Runs one Fray JVM; null when it ran every variant, else the variant and the attempt it was still
     * on when that attempt passed its cap.
     */
    static String[] run(List<String> cmd, long capPerAttemptS) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String[] current = {null, "1"};
        long[] since = {System.nanoTime()};
        Thread pump = new Thread(() -> pump(p.getInputStream(), current, since), "fray-output");
        pump.setDaemon(true);
        pump.start();
        while (!p.waitFor(1, TimeUnit.SECONDS)) {
            String[] at;
            long s;
            synchronized (current) {
                at = current.clone();
                s = since[0];
            }
            if (at[0] != null && System.nanoTime() - s > TimeUnit.SECONDS.toNanos(capPerAttemptS)) {
                System.out.println("[klm] fray: " + at[0] + " attempt " + at[1] + " still running after " + capPerAttemptS
                        + " s; ending that JVM");
                ProcessTree.kill(p);
                pump.join(5000);
                return at;
            }
        }
        pump.join(5000);
        if (p.exitValue() != 0) {
            String[] at;
            synchronized (current) {
                at = current.clone();
            }
            if (at[0] != null) {
                return at; // a crash inside a variant: recorded like a time-out, and the rest goes on
            }
            throw new IllegalStateException("Fray's JVM exited with " + p.exitValue() + ": " + String.join(" ", cmd.subList(0, 3)));
        }
        return null;
    }

    private static void pump(InputStream in, String[] current, long[] since) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("[klm]")) {
                    System.out.println(line);
                }
                synchronized (current) {
                    if (line.startsWith("[klm] fray start ")) {
                        current[0] = line.substring("[klm] fray start ".length()).trim();
                        current[1] = "1";
                        since[0] = System.nanoTime();
                    } else if (line.startsWith("[klm] fray attempt ")) {
                        current[1] = line.substring(line.lastIndexOf(' ') + 1).trim();
                        since[0] = System.nanoTime();
                    } else if (line.startsWith("[klm] fray done ")) {
                        current[0] = null;
                    }
                }
            }
        } catch (IOException e) {
            // the process was ended
        }
    }

    /**
     * The instrumented JDK, linked once (about 40 s): Fray's jlink plugin ({@code --fray-instrumentation},
     * from fray-instrumentation-jdk and its dependencies) over every module of the installed run-time image
     * but jdk.jlink and jdk.jpackage, which a link from a run-time image cannot include.
     */
    static Path linkedJdk(Path jdk25, Path work, List<String> cp) throws Exception {
        Path out = work.resolve("jdk");
        if (Files.isExecutable(out.resolve("bin/java"))) {
            return out;
        }
        String plugin = jar(cp, "fray-instrumentation-jdk");
        List<String> deps = new ArrayList<>();
        for (String e : cp) {
            String f = Path.of(e).getFileName().toString();
            if (f.startsWith("fray-instrumentation-jdk") || f.startsWith("fray-instrumentation-base") || f.startsWith("fray-runtime")
                    || f.startsWith("asm") || f.startsWith("kotlin-stdlib") || f.startsWith("kotlin-reflect")) {
                deps.add(e);
            }
        }
        String path = String.join(java.io.File.pathSeparator, deps);
        Process list = new ProcessBuilder(jdk25.resolve("bin/java").toString(), "--list-modules").redirectErrorStream(true).start();
        List<String> modules = new ArrayList<>();
        for (String l : new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
            String m = l.replaceAll("@.*", "").trim();
            if (!m.isEmpty() && !m.equals("jdk.jlink") && !m.equals("jdk.jpackage")) {
                modules.add(m);
            }
        }
        list.waitFor();
        Path staging = work.resolve("jdk-staging");
        deleteTree(staging);
        List<String> cmd = List.of(jdk25.resolve("bin/jlink").toString(), "-J-javaagent:" + plugin, "-J--module-path=" + path,
                "-J--add-modules=org.pastalab.fray.instrumentation.jdk", "-J--class-path=" + path, "--output=" + staging,
                "--add-modules=" + String.join(",", modules), "--release-info", "add:IMPLEMENTOR=Fray", "--fray-instrumentation");
        System.out.println("[klm] fray: linking an instrumented JDK 25 into " + out);
        Process p = new ProcessBuilder(cmd).inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("jlink of the Fray-instrumented JDK failed (exit " + p.exitValue() + "): " + String.join(" ", cmd));
        }
        Files.move(staging, out, StandardCopyOption.ATOMIC_MOVE);
        return out;
    }

    static Path extractJvmti(Path work, String jar) throws IOException {
        Path so = work.resolve("libjvmti.so");
        try (JarFile j = new JarFile(jar); InputStream in = j.getInputStream(j.getEntry("libjvmti.so"))) {
            Files.copy(in, so, StandardCopyOption.REPLACE_EXISTING);
        }
        return so;
    }

    static String jar(List<String> cp, String artifact) {
        for (String e : cp) {
            if (Path.of(e).getFileName().toString().startsWith(artifact + "-")) {
                return e;
            }
        }
        throw new IllegalStateException("no " + artifact + " jar on the class path: " + cp);
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (var s = Files.walk(p)) {
            for (Path x : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(x);
            }
        }
    }
}
