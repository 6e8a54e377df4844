package klm.report;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import klm.catalog.Catalog;
import klm.catalog.Selection;
import klm.verdict.Kind;
import klm.verdict.Variant;

/**
 * The pages a run writes show, under every BUGGY variant whose fix differs by Bug constants, the
 * generated Java diff, and under every one whose fix follows a kernel commit, that commit. (A main
 * job once wrote its pages from a module's directory, where the sources and docs/KERNEL-COMMITS.md
 * were not found, and left both out of every page.) The pages are written here from this module's
 * directory, not the project's, as the main job writes them from a module's.
 */
class ResultsPagesTest {
    @TempDir
    Path tmp;

    @Test
    void everyPairShowsItsGeneratedDiffAndItsFixCommit() throws IOException {
        Summary s = new Summary(Selection.parse("", "", "quick"), tmp.resolve("obs"), "r");
        s.writeTo(tmp.resolve("results"), tmp.resolve("staging"));
        Path project = Summary.projectDir();
        List<String> missing = new ArrayList<>();
        for (Variant b : Catalog.all()) {
            if (b.kind() != Kind.BUGGY || b.fixedBy().isEmpty()) {
                continue;
            }
            Variant fix = Catalog.get(b.protocol(), b.fixedBy().get(0));
            String page = Files.readString(tmp.resolve("results").resolve(b.protocol() + ".md"));
            int at = page.indexOf("\n## " + b.name() + "\n");
            int end = page.indexOf("\n## ", at + 1);
            String section = at < 0 ? "" : page.substring(at, end < 0 ? page.length() : end);
            if (!JavaDiff.between(project, b, fix).isEmpty() && !section.contains("The Java that differs from `" + fix.name() + "`")) {
                missing.add(b.id() + ": no generated Java diff");
            }
            if (!fix.fixCommit().isEmpty() && !section.contains("The kernel's fix, followed by `" + fix.name() + "`")) {
                missing.add(b.id() + ": its fix's kernel commit is not shown");
            }
        }
        assertTrue(missing.size() == 0, String.join("\n", missing));
        assertTrue(Files.readString(tmp.resolve("results/mmu-notifier.md")).contains("+    wq.waitEvent(() -> mmuIntervalSeqReleased(s));"));
    }

    /**
     * Every line of a fenced block (a trace, a counterexample table, a race drawn in columns) in the
     * committed results pages and in the pages' hand-written text fits 100 columns, so that it reads
     * in a terminal and in a review without wrapping.
     */
    @Test
    void everyTraceFitsOneHundredColumns() throws IOException {
        Path project = Summary.projectDir();
        List<Path> pages = new ArrayList<>();
        for (String dir : List.of("results", "protocols/src/main/resources/klm/pages")) {
            try (Stream<Path> s = Files.list(project.resolve(dir))) {
                s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
            }
        }
        List<String> wide = new ArrayList<>();
        for (Path page : pages) {
            boolean fenced = false;
            int n = 0;
            for (String line : Files.readAllLines(page)) {
                n++;
                if (line.startsWith("```")) {
                    fenced = !fenced;
                } else if (fenced && line.length() > 100) {
                    wide.add(project.relativize(page) + ":" + n + " is " + line.length() + " columns: " + line);
                }
            }
        }
        assertTrue(pages.size() >= 10, "pages read: " + pages);
        assertTrue(wide.isEmpty(), "fenced lines wider than 100 columns:\n" + String.join("\n", wide));
    }
}
