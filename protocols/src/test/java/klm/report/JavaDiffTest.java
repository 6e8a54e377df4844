package klm.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import klm.catalog.Catalog;
import klm.verdict.Kind;
import klm.verdict.Variant;

class JavaDiffTest {
    /** The module's tests run in protocols/: the project is its parent. */
    private static final Path PROJECT = Path.of("").toAbsolutePath().getParent();

    @Test
    void everyPairWithBugsHasAGeneratedDiffThatMarksBothSides() throws IOException {
        int pairs = 0;
        for (Variant b : Catalog.all()) {
            if (b.kind() != Kind.BUGGY || b.fixedBy().isEmpty()) {
                continue;
            }
            Variant fix = Catalog.get(b.protocol(), b.fixedBy().get(0));
            if (b.bugs().isEmpty() && fix.bugs().isEmpty()) {
                continue;
            }
            pairs++;
            String d = JavaDiff.between(PROJECT, b, fix);
            assertFalse(d.isBlank(), b.id() + " -> " + fix.name() + ": a Bug constant that switches no code");
            assertTrue(d.lines().anyMatch(l -> l.startsWith("-") || l.startsWith("+")), d);
            assertTrue(d.lines().allMatch(l -> l.length() <= 100), "a diff line over 100 characters:\n" + d);
        }
        assertTrue(pairs >= 2, "pairs with bugs: " + pairs);
    }

    @Test
    void everyFixCommitIsInTheCommitTable() throws IOException {
        var commits = KernelCommits.load(PROJECT);
        assertTrue(commits.size() >= 19, "commits read: " + commits.size());
        for (Variant v : Catalog.all()) {
            if (!v.fixCommit().isEmpty()) {
                assertTrue(commits.containsKey(v.fixCommit()), v.id() + " cites " + v.fixCommit() + ", not in docs/KERNEL-COMMITS.md");
            }
        }
        assertFalse(commits.get("319561669a59d8e9206ab311ae5433ef92fd79d1").diffstat().isEmpty());
    }

    @Test
    void theBuggyBranchIsMinusAndTheFixedBranchPlus() throws IOException {
        Variant buggy = Catalog.all().stream().filter(v -> v.id().equals("mmu-notifier/remove-unlocked-seq-read")).findFirst().orElseThrow();
        Variant fix = Catalog.all().stream().filter(v -> v.id().equals("mmu-notifier/remove-locked-seq-read")).findFirst().orElseThrow();
        String d = JavaDiff.between(PROJECT, buggy, fix);
        assertTrue(d.contains("-    wq.waitEvent(() -> invalidateSeq.readOnce() != s)"), d);
        assertTrue(d.contains("+    wq.waitEvent(() -> mmuIntervalSeqReleased(s));"), d);
        assertTrue(d.contains("`MmuNotifierSubscriptions.java`, `mmuIntervalNotifierRemove()`"), d);
        assertEquals("", JavaDiff.between(PROJECT, fix, fix));
    }
}
