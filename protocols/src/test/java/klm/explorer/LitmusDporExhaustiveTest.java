package klm.explorer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
     * The models under which a file's walk passes {@link #MAX}, as the file records them in a
     * {@code (* klm-walk-too-large: MODEL... *)} line (ISA2 and the two Z6.0 with locks under tso and ra):
     * those cells are not walked in a build, since a walk stopped at the cap proves nothing.
     */
    private static final Pattern TOO_LARGE = Pattern.compile("\\(\\* klm-walk-too-large: ([^*]*)\\*\\)");

    static Set<String> tooLarge(String text) {
        Matcher m = TOO_LARGE.matcher(text);
        return m.find() ? Set.of(m.group(1).trim().split("\\s+")) : Set.of();
    }

    /** file, model, same / differs / too large: for results/litmus.md's column. */
    private static final java.util.List<String[]> WALKS = new java.util.ArrayList<>();

    static java.util.List<Path> corpus() throws Exception {
        return LitmusCorpusTest.corpus();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void dporReachesTheExhaustiveStates(Path f) throws Exception {
        String text = Files.readString(f);
        Ast.Test t = LitmusReader.parse(text, f.toString());
        Set<String> tooLarge = tooLarge(text);
        for (MemoryModel m : LitmusRunner.models()) {
            if (tooLarge.contains(m.id())) {
                walked(f, m, "too large");
                continue;
            }
            Set<String> dpor = new TreeSet<>(LitmusRunner.run(t, m).states().keySet());
            Set<String> all = LitmusRunner.exhaustiveStates(t, m, MAX);
            assertNotNull(all, f + " under " + m.id() + ": the exhaustive walk needs more than " + MAX
                    + " executions (if that is expected, add the model to the file's '(* klm-walk-too-large: ... *)' line)");
            walked(f, m, new TreeSet<>(all).equals(dpor) ? "same" : "differs");
            assertEquals(new TreeSet<>(all), dpor, f + " under " + m.id() + ": the DPOR's final states differ from the exhaustive walk's");
        }
    }

    private static void walked(Path f, MemoryModel m, String result) {
        synchronized (WALKS) {
            WALKS.add(new String[] {LitmusCorpusTest.fromRoot(f), m.id(), result});
        }
    }

    /** In a build, the comparisons for results/litmus.md. */
    @AfterAll
    static void leaveTheWalks() throws Exception {
        Path file = LitmusCorpusTest.observation(LitmusPage::walksFile);
        if (file != null && !WALKS.isEmpty()) {
            LitmusPage.writeRows(file, WALKS);
        }
    }
}
