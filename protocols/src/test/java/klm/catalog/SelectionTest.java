package klm.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import klm.verdict.RunMode;
import klm.verdict.SelectionException;

class SelectionTest {
    @Test
    void emptyMeansEverything() {
        Selection s = Selection.parse("", "", "");
        assertEquals(Catalog.all(), s.variants());
        assertEquals(RunMode.QUICK, s.mode());
    }

    @Test
    void onlyTheWholeCatalogInQuickModeWritesTheCommittedResults(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp)
            throws Exception {
        java.nio.file.Files.writeString(tmp.resolve("pom.xml"), "<project/>");
        java.nio.file.Path results = tmp.resolve("results");
        assertEquals(results, Selection.parse("", "", "quick").resultsDir(results));
        assertEquals(tmp.resolve("target/results"), Selection.parse("control", "", "quick").resultsDir(results));
        assertEquals(tmp.resolve("target/results"), Selection.parse("", "abba", "quick").resultsDir(results));
        assertEquals(tmp.resolve("target/results"), Selection.parse("", "", "thorough").resultsDir(results));
        // a results directory that is not a project's (the soak's per-run directories, -Dklm.results=elsewhere) is kept
        java.nio.file.Path elsewhere = tmp.resolve("soak/run-1/results");
        assertEquals(elsewhere, Selection.parse("control", "", "quick").resultsDir(elsewhere));
        assertEquals(tmp.resolve("target/results"), Selection.parse("control", "", "quick").resultsDir(tmp.resolve("target/results")));
    }

    @Test
    void unknownProtocolListsTheValidOnes() {
        SelectionException e = assertThrows(SelectionException.class, () -> Selection.parse("hotplugg", "", "quick"));
        assertTrue(e.getMessage().contains("unknown protocol 'hotplugg'"), e.getMessage());
        assertTrue(e.getMessage().contains("valid protocols: control"), e.getMessage());
    }

    @Test
    void unknownVariantListsTheValidOnes() {
        SelectionException e = assertThrows(SelectionException.class, () -> Selection.parse("control", "abab", "quick"));
        assertTrue(e.getMessage().contains("valid variants: busted-lock, spin-lock, abba, ordered"), e.getMessage());
    }

    @Test
    void badModeListsTheValidOnes() {
        SelectionException e = assertThrows(SelectionException.class, () -> Selection.parse("", "", "fast"));
        assertTrue(e.getMessage().contains("valid modes: quick, thorough"), e.getMessage());
    }

    @Test
    void unexpandedPropertyIsMalformed() {
        assertThrows(SelectionException.class, () -> Selection.parse("${protocol}", "", "quick"));
    }

    @Test
    void variantAloneOrQualified() {
        assertEquals(1, Selection.parse("", "abba", "thorough").variants().size());
        assertEquals("control/abba", Selection.parse("", "control/abba", "quick").variants().get(0).id());
        assertEquals(RunMode.THOROUGH, Selection.parse("", "abba", "THOROUGH").mode());
    }
}
