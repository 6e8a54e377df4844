package klm.verdict;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The committed pages are what a reviewer reads: every BUGGY variant whose fix differs by Bug
 * constants shows the generated Java diff, and every one whose fix follows a kernel commit shows
 * that commit (a main job that wrote its pages from a directory where the sources and
 * docs/KERNEL-COMMITS.md could not be found once left both out of every page, and nothing noticed).
 */
class ResultsPagesTest {
    private static final Path PROJECT = Path.of("").toAbsolutePath().getParent();

    @Test
    void everyPairOnTheCommittedPagesShowsItsDiffAndItsCommit() throws IOException {
        List<String> missing = new ArrayList<>();
        for (Variant b : Catalog.all()) {
            if (b.kind() != Kind.BUGGY || b.fixedBy().isEmpty()) {
                continue;
            }
            Variant fix = Catalog.get(b.protocol(), b.fixedBy().get(0));
            String page = Files.readString(PROJECT.resolve("results").resolve(b.protocol() + ".md"));
            int at = page.indexOf("\n## " + b.name() + "\n");
            int end = page.indexOf("\n## ", at + 1);
            String section = at < 0 ? "" : page.substring(at, end < 0 ? page.length() : end);
            if (section.isEmpty()) {
                missing.add(b.id() + ": no section on its page");
                continue;
            }
            if (!JavaDiff.between(PROJECT, b, fix).isEmpty() && !section.contains("The Java that differs from `" + fix.name() + "`")) {
                missing.add(b.id() + ": no generated Java diff");
            }
            if (!fix.fixCommit().isEmpty() && !section.contains("The kernel's fix, followed by `" + fix.name() + "`")) {
                missing.add(b.id() + ": its fix's kernel commit is not shown");
            }
        }
        assertTrue(missing.isEmpty(), "results/ pages lack what the catalog has (run the main job):\n" + String.join("\n", missing));
    }
}
