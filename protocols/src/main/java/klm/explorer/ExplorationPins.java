package klm.explorer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import klm.verdict.Observation;
import klm.verdict.Verdict;

/**
 * Every exploration's figures pinned, as GenMC pins its tests' execution counts: for each variant and
 * memory model, the verdict, the executions run, cut by sleep sets and by the step bound, those that
 * ended blocked, and for a counterexample its index, replay string and a digest of its table. The file is
 * {@code explorations.tsv} beside this class; the explorer's verdict test compares every exploration
 * it runs with it, so a change that silently drops or adds executions (a lost wake-up, an interrupt
 * never delivered, a store buffer that no longer drains, a weaker reduction) turns the row red. A
 * change that means to move a count re-pins with {@code -Dklm.explorer.repin=FILE} and says why in
 * its commit.
 */
public final class ExplorationPins {
    /** The columns of the file after the key (variant id, model id). */
    private static final List<String> FIGURES = List.of("executions", "sleepBlocked", "stepBoundHits", "blocked",
            "firstCounterexample", "schedule", "trace");
    private static final String RESOURCE = "explorations.tsv";

    private static Map<String, String> pinned;
    private static final Map<String, String> repinned = new TreeMap<>();

    private ExplorationPins() {}

    private static String key(String variantId, String model) {
        return variantId + "\t" + model;
    }

    /** The pinned line of figures of one observation (verdict first), as the file holds it. */
    static String line(Observation o) {
        StringBuilder b = new StringBuilder(o.verdict.name());
        for (String f : FIGURES) {
            b.append('\t').append(f.equals("trace") ? digest(o.trace) : o.figures.getOrDefault(f, "-"));
        }
        return b.toString();
    }

    /** The first 8 hex digits of the SHA-256 of a counterexample's table ('-' when there is none). */
    private static String digest(String trace) {
        if (trace == null || trace.isEmpty()) {
            return "-";
        }
        try {
            byte[] h = java.security.MessageDigest.getInstance("SHA-256").digest(trace.getBytes(StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(h, 0, 4);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static synchronized Map<String, String> pinned() {
        if (pinned == null) {
            Map<String, String> m = new TreeMap<>();
            try (InputStream in = ExplorationPins.class.getResourceAsStream(RESOURCE)) {
                if (in != null) {
                    for (String l : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                        if (l.isBlank() || l.startsWith("#")) {
                            continue;
                        }
                        String[] p = l.split("\t", 3);
                        m.put(key(p[0], p[1]), p[2]);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            pinned = m;
        }
        return pinned;
    }

    /**
     * Compares the observation of an exploration of {@code variantId} under {@code model} with its
     * pin. A difference, or a missing pin, makes the observation an ERROR that names both. Under
     * {@code -Dklm.explorer.repin=FILE} it records the figures instead and writes FILE.
     */
    public static Observation check(String variantId, String model, Observation o) {
        if (o.verdict == Verdict.ERROR) {
            return o; // the exploration itself failed: that error says more than a pin would
        }
        String now = line(o);
        String repin = System.getProperty("klm.explorer.repin", "").trim();
        if (!repin.isEmpty() && !repin.contains("${")) {
            synchronized (repinned) {
                if (repinned.isEmpty()) {
                    repinned.putAll(pinned());
                }
                repinned.put(key(variantId, model), now);
                write(Path.of(repin));
            }
            return o;
        }
        String was = pinned().get(key(variantId, model));
        if (was == null) {
            o.verdict = Verdict.ERROR;
            o.detail = variantId + " under " + model + ": no pinned figures for this exploration in " + RESOURCE
                    + " (observed " + now.replace('\t', ' ') + "); add them with -Dklm.explorer.repin=FILE";
        } else if (!was.equals(now)) {
            o.verdict = Verdict.ERROR;
            o.detail = variantId + " under " + model + ": the exploration differs from its pin (" + describe(was)
                    + " pinned, " + describe(now) + " now); if the change is meant, re-pin with -Dklm.explorer.repin=FILE"
                    + " and say why in the commit";
        }
        return o;
    }

    private static String describe(String line) {
        String[] p = line.split("\t");
        List<String> parts = new ArrayList<>();
        parts.add(p[0]);
        for (int i = 0; i < FIGURES.size() && i + 1 < p.length; i++) {
            if (!p[i + 1].equals("-")) {
                parts.add(FIGURES.get(i) + "=" + p[i + 1]);
            }
        }
        return String.join(" ", parts);
    }

    private static void write(Path file) {
        StringBuilder b = new StringBuilder();
        b.append("# Pinned explorations: variant, memory model, verdict, then ").append(String.join(", ", FIGURES))
                .append(" ('-': none).\n# Written by -Dklm.explorer.repin; see ExplorationPins.\n");
        repinned.forEach((k, v) -> b.append(k).append('\t').append(v).append('\n'));
        try {
            Files.writeString(file, b.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
