package klm.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LincheckTraceTest {
    private static final String REPORT = String.join("\n",
            "= Concurrent test failed =",
            "",
            "java.lang.AssertionError: KLM-OUTCOME VIOLATION LOST_UPDATE: counter is 1",
            "\tat klm.Foo.bar(Foo.java:1)",
            "",
            "The following interleaving leads to the error:",
            "| ---------------------------------------------------------- |",
            "| Main Thread | Thread 1                 | Thread 2                 |",
            "|             |     counter.readOnce(): 0|                          |",
            "| ---------------------------------------------------------- |",
            "Detailed trace:",
            "|             |     switch               |                          |");

    @Test
    void theHeadlineWithoutStackFramesOrTheInterleaving() {
        String t = LincheckTrace.headline(REPORT, 6);
        assertEquals("= Concurrent test failed =\njava.lang.AssertionError: KLM-OUTCOME VIOLATION LOST_UPDATE: counter is 1", t);
        assertFalse(t.contains("Foo.java") || t.contains("|") || t.contains("Detailed"), t);
    }

    @Test
    void aHangHasOnlyItsTitleAndAtMostTheLinesAskedFor() {
        String hung = "\n= Concurrent test has hung =\n\nThe following interleaving leads to the error:\n| --- |\n";
        assertEquals("= Concurrent test has hung =", LincheckTrace.headline(hung, 6));
        assertTrue(LincheckTrace.headline(REPORT, 1).lines().count() == 1);
    }
}
