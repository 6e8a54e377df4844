package klm.layering;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The explorer's layering, checked on the sources: the kernel runtime knows the explorer only
 * through its door (klm.kernel.Exploration, Explored, CpuControl) and imports nothing of it; and
 * outside the memory package nothing asks which memory model runs: no model class, no model's id
 * as a literal, no test of a model's state. The protocols' catalogs may name a model by its id in
 * an expectation (that is data), and so may the memory package's own tests.
 */
class LayeringTest {
    private static final Path ROOT = Path.of("").toAbsolutePath();
    /** A reference to one model: its class, or its id as a string literal. */
    private static final Pattern MODEL = Pattern.compile(
            "\\b(Sc|Tso|Ra|Pso|Views)\\.(MODEL|class)\\b|\\bnew (Sc|Tso|Ra|Views)\\(|\"(sc|tso|ra|pso)\"|Memory\\.(SC|TSO|RA)\\b|EXPLORER_(TSO|RA)");

    private static List<Path> sources(String dir) throws IOException {
        Path d = ROOT.resolve(dir);
        if (!Files.isDirectory(d)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(d)) {
            return s.filter(p -> p.toString().endsWith(".java")).toList();
        }
    }

    private static String rel(Path p) {
        return ROOT.relativize(p).toString().replace('\\', '/');
    }

    @Test
    void theRuntimeImportsNothingOfTheExplorer() throws IOException {
        List<String> wrong = new ArrayList<>();
        for (Path p : sources("src/main/java/klm/kernel")) {
            String s = Files.readString(p);
            if (s.contains("klm.explorer") || Pattern.compile("\\b(Tso|Views|Ra|Sc|MemoryModel)\\b").matcher(s).find()) {
                wrong.add(rel(p));
            }
        }
        assertEquals(List.of(), wrong, "klm.kernel must reach the explorer only through Exploration/Explored/CpuControl");
        assertTrue(sources("src/main/java/klm/kernel").size() > 20, "the check must see the runtime's sources from " + ROOT);
    }

    /**
     * The vocabulary the protocols import (klm.verdict) imports no checker, no protocol and not the
     * report; the protocols import neither the report, the catalog nor a checker.
     */
    @Test
    void theVocabularyAndTheProtocolsImportNothingAboveThem() throws IOException {
        List<String> wrong = new ArrayList<>();
        Pattern above = Pattern.compile("\\bklm\\.(report|catalog|explorer|lockdep|soak|perf|protocols)\\.");
        for (Path p : sources("src/main/java/klm/verdict")) {
            if (above.matcher(Files.readString(p)).find()) {
                wrong.add(rel(p));
            }
        }
        Pattern aboveProtocols = Pattern.compile("\\bklm\\.(report|catalog|explorer|lockdep|soak|perf)\\.");
        for (Path p : sources("src/main/java/klm/protocols")) {
            if (aboveProtocols.matcher(Files.readString(p)).find()) {
                wrong.add(rel(p));
            }
        }
        assertEquals(List.of(), wrong, "a dependency that runs upward");
        assertTrue(sources("src/main/java/klm/verdict").size() >= 8, "the check must see the vocabulary's sources");
    }

    @Test
    void nothingOutsideTheMemoryPackageAsksWhichModelRuns() throws IOException {
        List<String> wrong = new ArrayList<>();
        List<Path> all = new ArrayList<>(sources("src/main/java"));
        all.addAll(sources("src/test/java"));
        for (String module : List.of("lincheck", "jcstress")) { // the sibling modules of this one
            all.addAll(sources(ROOT.getParent().resolve(module).resolve("src").toString()));
        }
        for (Path p : all) {
            String r = rel(p);
            // klm.lkmm is the axiomatic reference: it has SC and TSO of its own, and its calibration pairs
            // each explorer model with its reference by id, which is what it is for
            if (r.contains("klm/explorer/memory/") || r.contains("src/main/java/klm/protocols/") || r.contains("klm/lkmm/")
                    || r.endsWith("LkmmCalibrationTest.java")
                    || r.endsWith("LayeringTest.java")) {
                continue;
            }
            List<String> lines = Files.readAllLines(p);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                String code = line.replaceAll("//.*$", "");
                String t = code.trim();
                if (!t.startsWith("*") && !t.startsWith("/*") && MODEL.matcher(code).find()) {
                    wrong.add(r + ":" + (i + 1) + ": " + line.trim());
                }
            }
        }
        assertEquals(List.of(), wrong, "outside klm.explorer.memory, ask the MemoryModel, never which model it is");
    }
}
