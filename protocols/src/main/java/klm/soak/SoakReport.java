package klm.soak;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import klm.verdict.Checker;

/**
 * {@code results/soak.md}: one section per soaked selection, rendered from the records in
 * {@code results/soak/KEY.properties} that the soak runs wrote (a newer soak of the same selection
 * replaces its record). Nothing on the page is typed by hand: every number comes from a record.
 */
public final class SoakReport {
    private SoakReport() {}

    /** Writes {@code record} as {@code results/soak/KEY.properties} and renders the page anew from every record. */
    static void write(Path results, String key, Properties record) throws IOException {
        StringWriter w = new StringWriter();
        record.store(w, "written by the soak run (mvn -Psoak verify); results/soak.md is rendered from these records");
        // Properties.store writes a date line: keep the record reproducible from its own fields instead
        String text = w.toString().lines().filter(l -> !l.startsWith("#") || l.contains("soak run"))
                .sorted(SoakReport::recordOrder).reduce("", (a, b) -> a + b + "\n");
        Soak.writeAtomically(results.resolve("soak").resolve(key + ".properties"), text);
        Soak.writeAtomically(results.resolve("soak.md"), render(results.resolve("soak")));
    }

    /** The comment first, then keys in a stable order. */
    private static int recordOrder(String a, String b) {
        boolean ca = a.startsWith("#");
        boolean cb = b.startsWith("#");
        return ca != cb ? (ca ? -1 : 1) : a.compareTo(b);
    }

    static String render(Path dir) throws IOException {
        List<Properties> records = new ArrayList<>();
        if (Files.isDirectory(dir)) {
            try (var files = Files.list(dir)) {
                for (Path f : files.filter(f -> f.toString().endsWith(".properties")).sorted().toList()) {
                    Properties p = new Properties();
                    try (Reader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
                        p.load(r);
                    }
                    records.add(p);
                }
            }
        }
        // the whole catalog first, then single protocols and variants
        records.sort((a, b) -> {
            boolean aa = a.getProperty("key", "").startsWith("all-");
            boolean ba = b.getProperty("key", "").startsWith("all-");
            return aa != ba ? (aa ? -1 : 1) : a.getProperty("key", "").compareTo(b.getProperty("key", ""));
        });
        StringBuilder sb = new StringBuilder();
        sb.append("# Soak runs\n\n");
        sb.append("A soak run repeats the test command's verdict checks on a selection N times, each run a Maven build of\n"
                + "its own (`mvn -B verify -Pci`: every checker in fresh JVMs, as CI runs it), and counts per variant and\n"
                + "checker how many runs agreed with the expectation. It is how the results table is shown not to flake.\n"
                + "Command: `mvn -Psoak verify -Dklm.soak.runs=N [-Dprotocol=P] [-Dvariant=V] [-Dmode=quick|thorough]`\n"
                + "(README, \"Soak run\"). Every number below was written by a soak run; each section names its commit\n"
                + "and machine. A disagreement's full report (detail and trace) was kept under `target/soak/` of that machine;\n"
                + "its first line is quoted here.\n\n");
        if (records.isEmpty()) {
            sb.append("No soak run has been recorded yet.\n");
        }
        for (Properties p : records) {
            section(sb, p);
        }
        return sb.toString();
    }

    private static void section(StringBuilder sb, Properties p) {
        int runs = Integer.parseInt(p.getProperty("runs", "0"));
        List<long[]> perRun = new ArrayList<>(); // millis, exit, agreed, rows
        for (int i = 1; i <= runs; i++) {
            String[] f = p.getProperty("run." + i, "0,0,0,0").split(",");
            perRun.add(new long[] {Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3])});
        }
        long clean = perRun.stream().filter(r -> r[1] == 0 && r[2] == r[3]).count();
        List<String> disagreements = indexed(p, "disagreement.");
        sb.append("## ").append(p.getProperty("selection")).append(": ").append(runs).append(" run(s)\n\n");
        sb.append("- Each run: `").append(p.getProperty("command")).append("`\n");
        sb.append("- Commit ").append(p.getProperty("commit")).append(", started ").append(p.getProperty("started")).append('\n');
        sb.append("- Machine: ").append(p.getProperty("machine")).append('\n');
        sb.append("- Load added: ").append(p.getProperty("load", "none added")).append('\n');
        for (int i = 1; i <= runs; i++) {
            String l = p.getProperty("run." + i + ".load");
            if (l != null) {
                sb.append("  - run ").append(i).append(": ").append(l).append('\n');
            }
        }
        sb.append("- **").append(clean).append(" of ").append(runs).append(" run(s) agreed with every expectation; ")
                .append(disagreements.size()).append(" disagreement(s).**\n");
        List<Long> times = perRun.stream().map(r -> r[0]).sorted().toList();
        if (!times.isEmpty()) {
            sb.append("- Time: ").append(Soak.duration(Long.parseLong(p.getProperty("totalMs", "0")))).append(" in all; a run took ")
                    .append(Soak.duration(times.get(times.size() / 2))).append(" (median), ")
                    .append(Soak.duration(times.get(0))).append(" to ").append(Soak.duration(times.get(times.size() - 1)))
                    .append(".\n");
        }
        sb.append('\n');
        // variant -> checker -> cell
        Map<String, Map<String, String>> table = new LinkedHashMap<>();
        for (String row : indexed(p, "row.")) {
            String[] f = row.split("\\|", -1);
            boolean all = f[3].equals(f[4]);
            table.computeIfAbsent(f[0], k -> new LinkedHashMap<>())
                    .put(f[1], (all ? "" : "✗ ") + f[3] + "/" + f[4] + " " + f[2]);
        }
        sb.append("| variant |");
        for (Checker c : Checker.values()) {
            sb.append(' ').append(c.title()).append(" |");
        }
        sb.append("\n|---|");
        sb.append("---|".repeat(Checker.values().size()));
        sb.append('\n');
        for (Map.Entry<String, Map<String, String>> e : table.entrySet()) {
            sb.append("| ").append(e.getKey()).append(" |");
            for (Checker c : Checker.values()) {
                sb.append(' ').append(e.getValue().getOrDefault(c.key(), "not run")).append(" |");
            }
            sb.append('\n');
        }
        sb.append('\n');
        if (!disagreements.isEmpty()) {
            sb.append("Disagreements:\n\n");
            for (String d : disagreements) {
                String[] f = d.split("\\|", -1);
                sb.append("- run ").append(f[0]).append(", ").append(f[1]).append(": expected ").append(f[2])
                        .append(", observed ").append(f[3]).append(f[4].isEmpty() ? "" : ": " + f[4])
                        .append(" (`").append(f[5]).append("`)\n");
            }
            sb.append('\n');
        }
    }

    /** The values of prefix0, prefix1, ... in order. */
    private static List<String> indexed(Properties p, String prefix) {
        List<String> out = new ArrayList<>();
        for (int i = 0; p.getProperty(prefix + i) != null; i++) {
            out.add(p.getProperty(prefix + i));
        }
        return out;
    }
}
