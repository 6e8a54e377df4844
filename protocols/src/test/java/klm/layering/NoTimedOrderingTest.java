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

    @Test
    void noTestSleepsToLetAnotherThreadGetSomewhere() throws IOException {
        Path root = Path.of("").toAbsolutePath().getParent();
        List<String> wrong = new ArrayList<>();
        int files = 0;
        for (String module : List.of("protocols", "lincheck", "jcstress")) {
            Path dir = root.resolve(module).resolve("src").resolve("test");
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : s.filter(x -> x.toString().endsWith(".java")).toList()) {
                    files++;
                    List<String> lines = Files.readAllLines(p);
                    for (int i = 0; i < lines.size(); i++) {
                        String l = lines.get(i);
                        String code = l.replaceAll("//.*$", "");
                        if (SLEEP.matcher(code).find() && !l.contains("// not ordering:")) {
                            wrong.add(root.relativize(p) + ":" + (i + 1) + ": " + l.trim());
                        }
                    }
                }
            }
        }
        assertTrue(files > 30, "the check must see the tests (found " + files + " files under " + root + ")");
        assertEquals(List.of(), wrong, "wait for a state the runtime can observe instead (Cpus.await), or say on the line"
                + " why the sleep does not order threads ('// not ordering: ...')");
    }
}
