package klm.verdict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SelectionTest {
    @Test
    void emptyMeansEverything() {
        Selection s = Selection.parse("", "", "");
        assertEquals(Catalog.all(), s.variants());
        assertEquals(RunMode.QUICK, s.mode());
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
