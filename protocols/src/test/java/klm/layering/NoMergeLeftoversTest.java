package klm.layering;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * No source, document or data file keeps a merge's conflict markers: a conflict resolved in the
 * code but left in a comment still compiles, so nothing else would notice it.
 */
class NoMergeLeftoversTest {
    private static final Pattern MARKER = Pattern.compile("^(<{7}|>{7})( |$)|^={7}$");
    private static final Set<String> SKIPPED_DIRS = Set.of("target", ".git", ".mvn", "node_modules");

    @Test
    void noFileKeepsConflictMarkers() throws IOException {
        Path root = Path.of("").toAbsolutePath().getParent();
        List<String> wrong = new ArrayList<>();
        int files = 0;
        List<Path> all = new ArrayList<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                return SKIPPED_DIRS.contains(dir.getFileName().toString()) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                all.add(file);
                return FileVisitResult.CONTINUE;
            }
        });
        for (Path p : all) {
            String name = p.getFileName().toString();
            if (!(name.endsWith(".java") || name.endsWith(".md") || name.endsWith(".xml") || name.endsWith(".tsv")
                    || name.endsWith(".litmus") || name.endsWith(".kt") || name.endsWith(".sh"))) {
                continue;
            }
            files++;
            List<String> lines;
            try {
                lines = Files.readAllLines(p);
            } catch (MalformedInputException e) {
                continue;
            }
            for (int i = 0; i < lines.size(); i++) {
                String l = lines.get(i).stripLeading().replaceFirst("^(\\*|//) ?", "");
                if (MARKER.matcher(lines.get(i)).find() || MARKER.matcher(l).find()) {
                    wrong.add(root.relativize(p) + ":" + (i + 1) + ": " + lines.get(i).trim());
                }
            }
        }
        assertTrue(files > 100, "the check must see the repository (found " + files + " files under " + root + ")");
        assertEquals(List.of(), wrong, "a merge left its conflict markers: resolve the text and remove them");
    }
}
