package klm.explorer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import klm.explorer.memory.MemoryModel;
import klm.litmus.Ast;
import klm.litmus.LitmusReader;
import klm.litmus.LitmusRunner;
import klm.lkmm.Candidates;
import klm.lkmm.FromLitmus;
import klm.lkmm.Model;
import klm.report.LitmusPage;

/**
 * Every file of the litmus corpus (protocols/litmus/) under every model: no model answers
 * Sometimes where the file's published Result is Never, every exploration completes, and each
 * model gives the answer its {@code (* klm: model=Answer ... *)} line records; a file says why
 * ({@code klm-why}) exactly when a model is stronger than its published result. In a build
 * (klm.observations and klm.runId set) the answers, with the axiomatic LKMM's, are left for the
 * summary, which renders results/litmus.md from them and the files.
 */
class LitmusCorpusTest {
    private static final Pattern KLM = Pattern.compile("\\(\\* klm: ([^*]*)\\*\\)");
    /** The kernel's tools/memory-model/litmus-tests/ holds this many tests; kernel/ has one file for each. */
    private static final int KERNEL_TESTS = 35;
    private static final List<LitmusPage.Answer> ANSWERS = new ArrayList<>();

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

    /** Where the file is from the project's root, as the summary finds it. */
    static String fromRoot(Path f) {
        return "protocols/" + f.toString().replace('\\', '/');
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void eachModelAsRecordedAndNeverWeakerThanLkmm(Path f) throws Exception {
        String text = Files.readString(f);
        Ast.Test t = LitmusReader.parse(text, f.toString());
        Map<String, String> rec = recorded(text, f);
        String lkmm = t.result().orElseThrow(() -> new AssertionError(f + " has no Result: line"));
        List<LitmusPage.Answer> answers = new ArrayList<>();
        answers.add(axiomaticLkmm(t, f));
        boolean stronger = false;
        for (MemoryModel m : LitmusRunner.models()) {
            LitmusRunner.Answer a = LitmusRunner.run(t, m);
            answers.add(new LitmusPage.Answer(fromRoot(f), m.id(), a.observation(), a.states().size(), a.executions(), a.millis(),
                    a.complete()));
            assertTrue(a.complete(), f + " under " + m.id() + ": the exploration did not complete");
            assertFalse(lkmm.equals("Never") && !a.observation().equals("Never"),
                    f + " under " + m.id() + ": " + a.observation() + " where LKMM says Never (a model weaker than LKMM)");
            assertTrue(rec.containsKey(m.id()), f + " records no answer for model " + m.id());
            String got = a.observation().equals("Always") ? "Sometimes" : a.observation();
            assertEquals(rec.get(m.id()), got, f + " under " + m.id() + ": the recorded answer differs");
            stronger |= !got.equals(lkmm);
        }
        assertEquals(stronger, text.contains("(* klm-why:"), f + ": a file says why (klm-why) where a model is stronger than"
                + " its published result, and only there");
        synchronized (ANSWERS) {
            ANSWERS.addAll(answers);
        }
    }

    /** The axiomatic LKMM's answer (klm.lkmm), for the page's column; LitmusFilesTest checks it against the Result line. */
    private static LitmusPage.Answer axiomaticLkmm(Ast.Test t, Path f) {
        long t0 = System.nanoTime();
        try {
            Candidates.Result r = FromLitmus.run(t, Model.named(LitmusPage.AXIOMATIC_LKMM));
            return new LitmusPage.Answer(fromRoot(f), LitmusPage.AXIOMATIC_LKMM, r.verdict().word, r.states(), r.candidates(),
                    (System.nanoTime() - t0) / 1e6, true);
        } catch (FromLitmus.Inexpressible e) {
            return new LitmusPage.Answer(fromRoot(f), LitmusPage.AXIOMATIC_LKMM, "inexpressible", 0, 0, 0, true);
        }
    }

    @Test
    void kernelHoldsEveryTestOfTheKernelsFolderWithItsPublishedResult() throws Exception {
        List<Path> kernel = corpus().stream().filter(f -> f.getParent().getFileName().toString().equals("kernel")).toList();
        assertEquals(KERNEL_TESTS, kernel.size(), "tools/memory-model/litmus-tests/ has " + KERNEL_TESTS + " tests");
        for (Path f : kernel) {
            String text = Files.readString(f);
            Ast.Test t = LitmusReader.parse(text, f.toString());
            assertEquals(f.getFileName().toString(), t.name() + ".litmus", f + ": the file is named after its test");
            assertTrue(t.result().isPresent(), f + ": the kernel's published Result: line");
            assertTrue(text.contains("(* klm-source: https://github.com/torvalds/linux/blob/"), f + ": the kernel's file it was written from");
        }
    }

    /** In a build, the answers for results/litmus.md. */
    @AfterAll
    static void leaveTheAnswers() throws Exception {
        Path file = observation(LitmusPage::answersFile);
        if (file != null && !ANSWERS.isEmpty()) {
            LitmusPage.writeAnswers(file, ANSWERS);
        }
    }

    /** The observation file of this build ({@code klm.observations}, {@code klm.runId}), or null outside a build. */
    static Path observation(java.util.function.BiFunction<Path, String, Path> where) {
        String dir = System.getProperty("klm.observations", "");
        String runId = System.getProperty("klm.runId", "");
        if (dir.isBlank() || runId.isBlank() || dir.contains("${") || runId.contains("${")) {
            return null;
        }
        return where.apply(Path.of(dir), runId);
    }
}
