package klm.jcstress.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.openjdk.jcstress.infra.Status;
import org.openjdk.jcstress.infra.collectors.DiskReadCollector;
import org.openjdk.jcstress.infra.collectors.TestResult;

/**
 * Reads JCStress's binary result file ({@code jcstress-results-*.bin.gz}, which JCStress writes in
 * its working directory) through JCStress's own reader, and sums each test's outcome counts over
 * all the configurations it ran in. JCStress 0.16 has no JSON or XML output; this uses its
 * internal {@code DiskReadCollector} / {@code TestResult} API, which ties the harness to 0.16.
 */
final class JcstressResults {
    /** One test, all configurations summed. */
    static final class TestTotals {
        final String test;
        final Map<String, Long> counts = new TreeMap<>();
        int configurations;
        final List<String> errors = new ArrayList<>();

        TestTotals(String test) {
            this.test = test;
        }

        long samples() {
            return counts.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private JcstressResults() {}

    static Path resultFile(Path workDir) throws IOException {
        try (Stream<Path> s = Files.list(workDir)) {
            return s.filter(p -> p.getFileName().toString().startsWith("jcstress-results-")
                    && p.getFileName().toString().endsWith(".bin.gz")).findFirst().orElse(null);
        }
    }

    /** Each result record on its own (one per fork and configuration), in the order JCStress wrote them. */
    static List<TestTotals> readEach(Path resultFile) throws IOException, ClassNotFoundException {
        List<TestTotals> each = new ArrayList<>();
        DiskReadCollector reader = new DiskReadCollector(resultFile.toString(), (TestResult r) -> {
            TestTotals t = new TestTotals(r.getName());
            t.configurations = 1;
            for (String state : r.getStateKeys()) {
                t.counts.merge(state, r.getCount(state), Long::sum);
            }
            if (r.status() != Status.NORMAL) {
                t.errors.add(r.status() + ": " + String.join(" / ", r.getMessages()));
            }
            each.add(t);
        });
        try {
            reader.dump();
        } finally {
            reader.close();
        }
        return each;
    }

    /** Each test's records summed over all the configurations it ran in. */
    static Map<String, TestTotals> read(Path resultFile) throws IOException, ClassNotFoundException {
        Map<String, TestTotals> totals = new TreeMap<>();
        for (TestTotals r : readEach(resultFile)) {
            TestTotals t = totals.computeIfAbsent(r.test, TestTotals::new);
            t.configurations += r.configurations;
            r.counts.forEach((state, n) -> t.counts.merge(state, n, Long::sum));
            t.errors.addAll(r.errors);
        }
        return totals;
    }
}
