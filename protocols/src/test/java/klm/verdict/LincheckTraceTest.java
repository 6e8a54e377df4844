package klm.verdict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LincheckTraceTest {
    @Test
    void dropsTheMainThreadColumnAndEmptyRows() {
        String report = String.join("\n",
                "= Concurrent test failed =",
                "",
                "java.lang.AssertionError: KLM-OUTCOME VIOLATION LOST_UPDATE: counter is 1",
                "\tat klm.Foo.bar(Foo.java:1)",
                "",
                "The following interleaving leads to the error:",
                "| ------------------------------------------ |",
                "| Main Thread | Thread 1 | Thread 2 |",
                "| ------------------------------------------ |",
                "| r.run()     |          |          |",
                "|             | read: 0  |          |",
                "|             | Cpu.current(): Cpu#1 |          |",
                "|             |  <iteration 3>   | MONITORENTER |",
                "|             |          | read: 0  |",
                "| ------------------------------------------ |",
                "Detailed trace:",
                "| more |");
        String t = LincheckTrace.trim(report, 10);
        assertTrue(t.startsWith("= Concurrent test failed ="), t);
        assertTrue(t.contains("KLM-OUTCOME VIOLATION LOST_UPDATE"), t);
        assertTrue(t.contains("| Thread 1 | Thread 2 |"), t);
        assertTrue(t.contains("| read: 0  |          |"), t); // padding kept: columns stay aligned
        assertTrue(!t.contains("r.run()") && !t.contains("more") && !t.contains("Foo.java"), t);
        assertTrue(!t.contains("Cpu.current()") && !t.contains("MONITORENTER") && !t.contains("<iteration"),
                "the harness's plumbing is left out: " + t);
        String cut = LincheckTrace.trim(report, 2);
        assertTrue(cut.contains("rows left out"), cut);
        assertTrue(cut.lines().reduce((x, y) -> y).orElse("").contains("read: 0"), "the end, where the failure is, is kept: " + cut);
    }
}
