package klm.lkmm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import klm.lkmm.Candidates.Verdict;
import klm.lkmm.KernelPrograms.Kernel;
import org.junit.jupiter.api.Test;

/** The kernel's litmus tests ({@link KernelPrograms}) through the axiomatic LKMM: every published result. */
class KernelTestsTest {
    private static final List<Kernel> TESTS = KernelPrograms.TESTS;

    private static Program.Cond cond(String s) {
        return KernelPrograms.cond(s);
    }

    private static Program program(String name, String init, String exists, String... threads) {
        return KernelPrograms.program(name, init, exists, threads);
    }

    @Test
    void everyPublishedResult() {
        List<String> wrong = new ArrayList<>();
        for (Kernel k : TESTS) {
            Candidates.Result r = Candidates.run(k.program(), new Lkmm());
            Verdict got = r.verdict() == Verdict.ALWAYS ? Verdict.SOMETIMES : r.verdict();
            if (got != k.published()) {
                wrong.add(k.name() + ": published " + k.published() + ", LKMM here " + r.verdict());
            }
        }
        assertEquals(List.of(), wrong);
        assertEquals(35, TESTS.size(), "the folder's 35 tests");
    }

    @Test
    void unsupportedConstructsAreRefused() {
        Program unknown = program("bad", "", "0:r0=1", "r0 = x");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Candidates.run(new Program("bad", Map.of(), unknown.threads(), Program.Quantifier.EXISTS, cond("5:r0=1"), null), new Lkmm()));
        assertTrue(e.getMessage().contains("thread 5"), e.getMessage());
        IllegalArgumentException reg = assertThrows(IllegalArgumentException.class,
                () -> Candidates.run(new Program("bad", Map.of(), unknown.threads(), Program.Quantifier.EXISTS, cond("0:r9=1"), null), new Lkmm()));
        assertEquals("bad: the final clause names 0:r9, a register thread 0 never sets; it sets [r0]", reg.getMessage());
    }
}
