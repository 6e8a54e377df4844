package klm.protocols;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The hand-written "Java that differs" blocks of the protocol pages not yet on the Bug convention are
 * prose, so they are checked: every line of every ```diff block must still be in the model's sources,
 * or the page is lying about the code. (Pages of protocols on the convention get generated diffs,
 * see klm.verdict.JavaDiff, and have no hand-written blocks.)
 */
class PageDiffTest {
    private static String resource(String path) throws IOException {
        try (InputStream in = PageDiffTest.class.getResourceAsStream(path)) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String allSources() throws IOException {
        StringBuilder sb = new StringBuilder();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java/klm"))) {
            for (Path p : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                sb.append(Files.readString(p)).append('\n');
            }
        }
        return sb.toString();
    }

    @ParameterizedTest
    @ValueSource(strings = {"hugetlb-free"})
    void everyDiffLineIsInTheSources(String protocol) throws IOException {
        String page = resource("/klm/pages/" + protocol + ".md");
        assertTrue(page != null, "no page for " + protocol);
        String sources = allSources();
        List<String> lines = new ArrayList<>();
        boolean inDiff = false;
        for (String l : page.lines().toList()) {
            if (l.startsWith("```diff")) {
                inDiff = true;
            } else if (l.startsWith("```")) {
                inDiff = false;
            } else if (inDiff && !l.isBlank()) {
                lines.add(l.substring(1).strip());
            }
        }
        assertFalse(lines.isEmpty(), "the page has no diff blocks");
        for (String l : lines) {
            assertTrue(sources.contains(l), "the page shows a line the model no longer has: " + l);
        }
    }
}
