package klm.report;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The prose quotes the explorer's figures ("`irq-safe-lock`, 5,209 executions", "`plain-lock`
 * (72.5 ms, ..."); they must be what the committed results hold. Every "N executions" and "X ms"
 * that follows a variant's name in backticks within the same clause is checked against
 * results/summary.json: executions against the explorer row of the last main job, milliseconds
 * against the explorer's median in the performance rows. A number the data does not hold fails.
 */
class ProseFactsTest {
    private static final Path PROJECT = Path.of("").toAbsolutePath().getParent();
    private static final Pattern QUOTE = Pattern.compile("`([a-z0-9-]+)`([^`.;]{0,60}?)([\\d,]+(?:\\.\\d+)?) (executions|ms)\\b");

    @Test
    void quotedExplorerFiguresAreTheResults() throws IOException {
        String json = Files.readString(PROJECT.resolve("results/summary.json"));
        Map<String, Long> executions = new HashMap<>();
        Map<String, Double> medianMs = new HashMap<>();
        Matcher row = Pattern.compile("\"variant\": \"([a-z0-9-]+)\",[^{}]*?\"checker\": \"explorer\"[^{}]*?\"figures\": \\{[^}]*?"
                + "\"executions\": (\\d+)").matcher(json);
        while (row.find()) {
            executions.put(row.group(1), Long.parseLong(row.group(2)));
        }
        Matcher perf = Pattern.compile("\"variant\": \"([a-z0-9-]+)\",[^{}]*?\"method\": \"explorer\",[^{}]*?\"medianMs\": ([\\d.]+)")
                .matcher(json);
        while (perf.find()) {
            medianMs.put(perf.group(1), Double.parseDouble(perf.group(2)));
        }
        assertTrue(executions.size() >= 30, "explorer rows read: " + executions.size());
        List<Path> texts = new ArrayList<>(List.of(PROJECT.resolve("README.md")));
        try (Stream<Path> s = Stream.concat(Files.list(PROJECT.resolve("docs")),
                Files.list(PROJECT.resolve("protocols/src/main/resources/klm/pages")))) {
            // docs/HISTORY.md is a dated record of past measurements, each with its commit: not current prose
            s.filter(p -> p.toString().endsWith(".md") && !p.getFileName().toString().equals("HISTORY.md")).forEach(texts::add);
        }
        List<String> wrong = new ArrayList<>();
        int checked = 0;
        for (Path t : texts) {
            String text = Files.readString(t).replaceAll("\\s+", " ");
            Matcher m = QUOTE.matcher(text);
            while (m.find()) {
                String variant = m.group(1);
                String number = m.group(3);
                if (m.group(4).equals("executions") && executions.containsKey(variant)) {
                    checked++;
                    long quoted = Long.parseLong(number.replace(",", ""));
                    if (quoted != executions.get(variant)) {
                        wrong.add(t.getFileName() + ": `" + variant + "` ... " + number + " executions; results hold "
                                + executions.get(variant));
                    }
                } else if (m.group(4).equals("ms") && medianMs.containsKey(variant)) {
                    checked++;
                    int decimals = number.contains(".") ? number.length() - number.indexOf('.') - 1 : 0;
                    String held = String.format(Locale.ROOT, "%." + decimals + "f", medianMs.get(variant));
                    if (!held.equals(number.replace(",", ""))) {
                        wrong.add(t.getFileName() + ": `" + variant + "` ... " + number + " ms; the performance rows hold "
                                + medianMs.get(variant) + " ms");
                    }
                }
            }
        }
        // The prose is meant to link the results rather than quote them, so few quotes remain; that the
        // pattern still recognises one is checked on a sample instead of by a count.
        Matcher sample = QUOTE.matcher("the fix (`irq-safe-lock`, 5,209 executions) and `plain-lock` (72.5 ms");
        assertTrue(sample.find() && sample.group(3).equals("5,209") && sample.find() && sample.group(3).equals("72.5"),
                "the quote pattern no longer recognises a quoted figure");
        assertTrue(wrong.isEmpty(), "prose quotes figures the results do not hold:\n" + String.join("\n", wrong));
    }
}
