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
 * No test orders threads by letting time pass: a test that sleeps to let another thread get
 * somewhere fails on a loaded machine. Tests wait for an observable state instead (the runtime
 * says when a CPU is blocked in a wait or asleep on a queue: see the kernel tests' Cpus helper), or
 * run under the explorer, where the order is chosen. A sleep that is not there to order threads
 * says why on its line, after {@code // not ordering:}.
 */
class NoTimedOrderingTest {
    private static final Pattern SLEEP = Pattern.compile("\\b(sleep|parkNanos|parkUntil)\\s*\\(");
    /** An assertion on a clock: how long something took decides the test. */
    private static final Pattern TIMED_ASSERTION = Pattern.compile("\\bassert\\w*\\s*\\(.*\\b(nanoTime|currentTimeMillis)\\s*\\(");

    @Test
    void noTestSleepsToLetAnotherThreadGetSomewhere() throws IOException {
        List<String> wrong = scan(SLEEP, "// not ordering:");
        assertEquals(List.of(), wrong, "wait for a state the runtime can observe instead (Cpus.await), or say on the line"
                + " why the sleep does not order threads ('// not ordering: ...')");
    }

    /**
     * No test asserts how long something took: "reported at once, not after the timeout" is told by
     * what was reported (the backstop's report names klm.wait.timeout.ms, a halted CPU throws
     * MachineHalted), never by a bound on the elapsed time, which load stretches. Speed belongs to
     * the performance run.
     */
    @Test
    void noTestAssertsOnElapsedTime() throws IOException {
        List<String> wrong = scan(TIMED_ASSERTION, null);
        assertEquals(List.of(), wrong, "assert on what happened (the report's words, the error thrown), not on how long it took");
    }

    /** The test sources' lines (comments cut) that match {@code p}, unless the line carries {@code excuse}. */
    private static List<String> scan(Pattern p, String excuse) throws IOException {
        Path root = Path.of("").toAbsolutePath().getParent();
        List<String> wrong = new ArrayList<>();
        int files = 0;
        for (String module : List.of("protocols", "lincheck", "jcstress")) {
            Path dir = root.resolve(module).resolve("src").resolve("test");
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path f : s.filter(x -> x.toString().endsWith(".java")).toList()) {
                    files++;
                    List<String> lines = Files.readAllLines(f);
                    for (int i = 0; i < lines.size(); i++) {
                        String l = lines.get(i);
                        String code = l.replaceAll("//.*$", "");
                        if (p.matcher(code).find() && (excuse == null || !l.contains(excuse))) {
                            wrong.add(root.relativize(f) + ":" + (i + 1) + ": " + l.trim());
                        }
                    }
                }
            }
        }
        assertTrue(files > 30, "the check must see the tests (found " + files + " files under " + root + ")");
        return wrong;
    }
}
