package klm.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * docs/KERNEL-COMMITS.md read as data: each commit's full hash, title and release, and for the fixes
 * the pairs follow, the diffstat and functions as posted. One table for people and pages alike, so a
 * page cannot cite a commit the table does not have.
 */
public final class KernelCommits {
    /** One commit: its columns as the document has them (diffstat, functions and source may be empty). */
    public record Commit(String shortHash, String full, String title, String release, String diffstat, String functions,
                         String source) {
        public String link() {
            return "https://git.kernel.org/torvalds/c/" + full;
        }
    }

    private KernelCommits() {}

    /** The commits of {@code projectDir}/docs/KERNEL-COMMITS.md by full hash; empty when the file is not there. */
    public static Map<String, Commit> load(Path projectDir) throws IOException {
        Path doc = projectDir.resolve("docs/KERNEL-COMMITS.md");
        Map<String, Commit> byFull = new LinkedHashMap<>();
        if (!Files.exists(doc)) {
            return byFull;
        }
        Map<String, String[]> changed = new LinkedHashMap<>();
        for (String line : Files.readAllLines(doc)) {
            List<String> cells = cells(line);
            if (cells.size() == 5 && cells.get(1).startsWith("[")) {
                String full = cells.get(1).substring(1, cells.get(1).indexOf(']'));
                byFull.put(full, new Commit(cells.get(0), full, cells.get(2), cells.get(3), "", "", ""));
            } else if (cells.size() == 4 && cells.get(0).matches("[0-9a-f]{12}")) {
                changed.put(cells.get(0), new String[] {cells.get(1), cells.get(2), cells.get(3)});
            }
        }
        for (Map.Entry<String, Commit> e : byFull.entrySet()) {
            String[] c = changed.get(e.getValue().shortHash());
            if (c != null) {
                Commit o = e.getValue();
                e.setValue(new Commit(o.shortHash(), o.full(), o.title(), o.release(), c[0], c[1], c[2]));
            }
        }
        return byFull;
    }

    private static List<String> cells(String line) {
        if (!line.startsWith("| ") || line.startsWith("|---")) {
            return List.of();
        }
        String[] parts = line.substring(1, line.length() - (line.endsWith("|") ? 1 : 0)).split(" \\| ", -1);
        return java.util.Arrays.stream(parts).map(String::strip).toList();
    }
}
