package klm.explorer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import klm.explorer.memory.MemoryModel;
import klm.litmus.Ast;
import klm.litmus.LitmusReader;
import klm.litmus.LitmusRunner;

/**
 * Every file of the litmus corpus (protocols/litmus/) under every model: no model answers
 * Sometimes where the file's published Result is Never, every exploration completes, and each
 * model gives the answer its {@code (* klm: model=Answer ... *)} line records.
 */
class LitmusCorpusTest {
    private static final Pattern KLM = Pattern.compile("\\(\\* klm: ([^*]*)\\*\\)");

    static List<Path> corpus() throws Exception {
        try (Stream<Path> s = Files.walk(Path.of("litmus"))) {
            return s.filter(f -> f.toString().endsWith(".litmus")).sorted().toList();
        }
    }

    /** The answers a file records, model id to answer. */
    static Map<String, String> recorded(String text, Path f) {
        Matcher m = KLM.matcher(text);
        assertTrue(m.find(), f + " records no '(* klm: model=Answer ... *)' line");
        Map<String, String> out = new HashMap<>();
        for (String kv : m.group(1).trim().split("\\s+")) {
            String[] p = kv.split("=");
            out.put(p[0], p[1]);
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void eachModelAsRecordedAndNeverWeakerThanLkmm(Path f) throws Exception {
        String text = Files.readString(f);
        Ast.Test t = LitmusReader.parse(text, f.toString());
        Map<String, String> rec = recorded(text, f);
        String lkmm = t.result().orElseThrow(() -> new AssertionError(f + " has no Result: line"));
        for (MemoryModel m : LitmusRunner.models()) {
            LitmusRunner.Answer a = LitmusRunner.run(t, m);
            assertTrue(a.complete(), f + " under " + m.id() + ": the exploration did not complete");
            assertFalse(lkmm.equals("Never") && !a.observation().equals("Never"),
                    f + " under " + m.id() + ": " + a.observation() + " where LKMM says Never (a model weaker than LKMM)");
            assertTrue(rec.containsKey(m.id()), f + " records no answer for model " + m.id());
            String got = a.observation().equals("Always") ? "Sometimes" : a.observation();
            assertEquals(rec.get(m.id()), got, f + " under " + m.id() + ": the recorded answer differs");
            if (!got.equals(lkmm)) {
                assertTrue(text.contains("(* klm-why:"), f + ": " + m.id() + " is stronger than LKMM but the file says not why");
            }
        }
    }
}
