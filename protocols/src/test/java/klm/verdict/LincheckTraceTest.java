package klm.verdict;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LincheckTraceTest {
    private static final String HEAD = String.join("\n",
            "= Concurrent test failed =",
            "",
            "java.lang.AssertionError: KLM-OUTCOME VIOLATION LOST_UPDATE: counter is 1",
            "\tat klm.Foo.bar(Foo.java:1)",
            "",
            "The following interleaving leads to the error:",
            "| ---------------------------------------------------------- |",
            "| Main Thread | Thread 1                 | Thread 2                 |",
            "| ---------------------------------------------------------- |",
            "| r.run()     |                          |                          |",
            "|             | run()                    |                          |",
            "|             |   task(0)                |                          |",
            "|             |     counter.readOnce(): 0|                          |",
            "|             |     switch               |                          |",
            "|             |                          | run()                    |",
            "|             |                          | cpu.markDone()           |",
            "| ---------------------------------------------------------- |");

    @Test
    void theShortTableWithoutTheMainThreadAndThePlumbing() {
        String t = LincheckTrace.trim(HEAD, 10);
        assertTrue(t.startsWith("= Concurrent test failed ="), t);
        assertTrue(t.contains("KLM-OUTCOME VIOLATION LOST_UPDATE"), t);
        assertTrue(t.contains("counter.readOnce(): 0") && t.contains("switch"), t);
        assertFalse(t.contains("r.run()") || t.contains("Foo.java") || t.contains("markDone"), t);
    }

    @Test
    void theDetailedTracePreferredAndTrimmedToTheProtocolsSteps() {
        String report = HEAD + "\n" + String.join("\n",
                "Detailed trace:",
                "| ---------------------------------------------------------- |",
                "| Main Thread | Thread 1                                            | Thread 2                                     |",
                "| ---------------------------------------------------------- |",
                "|             | run()                                               |                                              |",
                "|             |   task(0)                                           |                                              |",
                "|             |     lock.lock() at Control.task(Control.java:9)     |                                              |",
                "|             |     counter.readOnce(): 0 at Control.task(C.java:10)|                                              |",
                "|             |       v.getOpaque(): 0 at Word.readOnce(W.java:1)   |                                              |",
                "|             |       Cpu.current(): Cpu#1                          |                                              |",
                "|             |         deep.inside(): 1                            |                                              |",
                "|             |           deeper.inside(): 2                        |                                              |",
                "|             |     switch                                          |                                              |",
                "|             |                                                     |   task(1)                                    |",
                "|             |                                                     |     counter.readOnce(): 0                    |",
                "|             |                                                     |     counter.writeOnce(1)                     |",
                "|             |     counter.writeOnce(1) at Control.task(C.java:11) |                                              |",
                "| ---------------------------------------------------------- |");
        String t = LincheckTrace.trim(report, 40);
        assertTrue(t.contains("detailed trace"), t);
        assertTrue(t.contains("lock.lock()") && t.contains("counter.writeOnce(1)"), t);
        assertTrue(t.lines().filter(l -> l.contains("counter.readOnce(): 0")).count() == 2, "both threads' reads: " + t);
        assertFalse(t.contains(" at Control.task"), "source locations are dropped: " + t);
        assertFalse(t.contains("v.getOpaque") || t.contains("Cpu.current"), "the runtime's plumbing is left out: " + t);
        assertFalse(t.contains("deeper.inside"), "steps nested deeper than the protocol's are left out: " + t);

        String cut = LincheckTrace.trim(report, 3);
        assertTrue(cut.contains("rows left out"), cut);
        assertTrue(cut.lines().reduce((x, y) -> y).orElse("").contains("counter.writeOnce(1)"),
                "the end, where the failure is, is kept: " + cut);
    }
}
