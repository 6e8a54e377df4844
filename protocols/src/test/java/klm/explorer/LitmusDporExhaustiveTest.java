package klm.explorer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import klm.explorer.memory.MemoryModel;
import klm.litmus.Ast;
import klm.litmus.LitmusReader;
import klm.litmus.LitmusRunner;
import klm.report.LitmusPage;

/**
 * On every file of the litmus corpus and under every model, the DPOR reaches exactly the final states
 * the exhaustive walk (every interleaving, every read choice) reaches: the reduction loses no outcome
 * and invents none.
 */
class LitmusDporExhaustiveTest {
    /** The exhaustive walk's budget per file and model, kept small so the test runs in seconds. */
    private static final long MAX = 20_000;

    /**
     * Files whose exhaustive walk exceeds {@link #MAX} under some model (four CPUs, or three with a lock):
     * compared under the models whose walk fits, and the test checks the walk indeed does not fit elsewhere.
     */
    private static final Set<String> TOO_LARGE = Set.of("IRIW+poonceonces+OnceOnce", "IRIW+fencembonceonces+OnceOnce",
            "Z6.0+pooncelock+poonceLock+pombonce", "Z6.0+pooncelock+pooncelock+pombonce",
            "ISA2+pooncelock+pooncelock+pombonce");

    /** file, model, same / differs / too large: for results/litmus.md's column. */
    private static final java.util.List<String[]> WALKS = new java.util.ArrayList<>();

    static java.util.List<Path> corpus() throws Exception {
        return LitmusCorpusTest.corpus();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void dporReachesTheExhaustiveStates(Path f) throws Exception {
        Ast.Test t = LitmusReader.parse(Files.readString(f), f.toString());
        for (MemoryModel m : LitmusRunner.models()) {
            Set<String> dpor = new TreeSet<>(LitmusRunner.run(t, m).states().keySet());
            Set<String> all = LitmusRunner.exhaustiveStates(t, m, MAX);
            if (all == null) {
                assertTrue(TOO_LARGE.contains(t.name()), f + " under " + m.id() + ": the exhaustive walk needs more than " + MAX
                        + " executions (list the file in TOO_LARGE if that is expected)");
                walked(f, m, "too large");
                continue;
            }
            walked(f, m, new TreeSet<>(all).equals(dpor) ? "same" : "differs");
            assertEquals(new TreeSet<>(all), dpor, f + " under " + m.id() + ": the DPOR's final states differ from the exhaustive walk's");
        }
    }

    private static void walked(Path f, MemoryModel m, String result) {
        synchronized (WALKS) {
            WALKS.add(new String[] {LitmusCorpusTest.fromRoot(f), m.id(), result});
        }
    }

    /** In a build, the comparisons for results/litmus.md . */
    @AfterAll
    static void leaveTheWalks() throws Exception {
        Path file = LitmusCorpusTest.observation(LitmusPage::walksFile);
        if (file != null && !WALKS.isEmpty()) {
            LitmusPage.writeRows(file, WALKS);
        }
    }
}
