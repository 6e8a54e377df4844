package klm.explorer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import klm.catalog.Catalog;
import klm.explorer.memory.MemoryModel;
import klm.explorer.memory.MemoryModels;
import klm.kernel.Waits;
import klm.verdict.Variant;

/**
 * The cost of an explorer step, measured: runs a fixed set of complete explorations (catalog
 * variants under sc, tso and ra; the litmus corpus has ./litmus --bench) {@code -Dklm.bench.rounds}
 * times (default 3) and prints, per exploration and per model, the executions started (run to
 * their end plus cut), the time and the executions a second of each round, and the median round.
 * Needs {@code -Dklm.blocking=explorer}. {@code -Dklm.bench.only=TEXT} runs only the explorations
 * whose "protocol/variant model" contains TEXT; {@code -Dklm.bench.cases=a/b sc,c/d tso} runs those
 * instead of the fixed set; {@code -Dklm.bench.budget=N} stops each at N executions (an exploration
 * stopped there is timed, not an error). A benchmark to compare two builds run back to back on the
 * same machine, not a test: nothing here asserts a time.
 */
public final class ExplorerBench {
    private ExplorerBench() {}

    /**
     * The catalog's explorations, each "protocol/variant model" as on the command line
     * ({@code -Dprotocol}, {@code -Dvariant}, {@code -Dklm.memory}); each complete within the
     * default budget.
     */
    static final String[] CASES = {
        "hotplug/homebrew-both sc",
        "hugetlb-free/irq-safe-lock sc",
        "vma-lock/vma-lock-truncate-teardown sc",
        "mmu-notifier/driver-retry-nonblock tso",
        "hugetlb-free/deferred-llist-list tso",
        "vma-lock/vma-lock-truncate-fallback tso",
        "hugetlb-free/deferred-llist-list ra",
        "hotplug/percpu-rwsem ra",
    };

    public static void main(String[] args) {
        if (!Waits.EXPLORING) {
            System.err.println("[klm] the benchmark needs -Dklm.blocking=explorer");
            System.exit(2);
        }
        int rounds = (int) ExplorerDriver.positive("klm.bench.rounds", 3);
        String only = System.getProperty("klm.bench.only", "").trim();
        String given = System.getProperty("klm.bench.cases", "").trim();
        String[] cases = given.isEmpty() ? CASES : given.split(",");
        long budget = ExplorerDriver.positive("klm.bench.budget", Explorer.Options.DEFAULT.maxExecutions());
        boolean budgetGiven = !System.getProperty("klm.bench.budget", "").isBlank();
        // per label: started executions and nanoseconds of each round
        Map<String, long[][]> cells = new LinkedHashMap<>();
        Map<String, String> model = new LinkedHashMap<>();
        long roundWall = System.nanoTime();
        long roundCpu = cpuNanos();
        for (int round = 0; round < rounds; round++) {
            for (String c : cases) {
                if (!only.isEmpty() && !c.contains(only)) {
                    continue;
                }
                String[] variantAndModel = c.trim().split(" +");
                String[] protocolAndVariant = variantAndModel[0].split("/");
                if (variantAndModel.length != 2 || protocolAndVariant.length != 2) {
                    throw new IllegalArgumentException("-Dklm.bench.cases: '" + c.trim()
                            + "' is not 'protocol/variant model' (e.g. 'hotplug/homebrew-both sc'), comma-separated");
                }
                Variant v = Catalog.get(protocolAndVariant[0], protocolAndVariant[1]);
                MemoryModel m = MemoryModels.parse(variantAndModel[1]);
                Explorer.Result r = Explorer.explore(v::newRun, new Explorer.Options(budget, Explorer.Options.DEFAULT.maxSteps(), m));
                record(cells, model, c.trim(), m.id(), round, rounds, r, budgetGiven);
            }
            System.out.printf(Locale.ROOT, "[klm] bench round %d of %d done%n", round + 1, rounds);
            long cpu = cpuNanos();
            long wall = System.nanoTime();
            System.out.printf(Locale.ROOT, "[klm] bench round %d: %,.0f ms wall, %,.0f ms of CPU time (every thread of the JVM)%n", round + 1,
                    (wall - roundWall) / 1e6, (cpu - roundCpu) / 1e6);
            roundWall = wall;
            roundCpu = cpu;
        }
        System.out.printf(Locale.ROOT, "%-55s %6s %10s %s%n", "exploration", "model", "started", "ms (executions a second) per round; median");
        Map<String, long[]> perModel = new LinkedHashMap<>();
        for (Map.Entry<String, long[][]> e : cells.entrySet()) {
            long[][] cell = e.getValue();
            StringBuilder sb = new StringBuilder();
            List<Long> times = new ArrayList<>();
            for (long[] r : cell) {
                sb.append(String.format(Locale.ROOT, "%,.0f (%,.0f)  ", r[1] / 1e6, rate(r[0], r[1])));
                times.add(r[1]);
            }
            times.sort(null);
            long median = times.get(times.size() / 2);
            sb.append(String.format(Locale.ROOT, "median %,.0f ms (%,.0f)", median / 1e6, rate(cell[0][0], median)));
            System.out.printf(Locale.ROOT, "%-55s %6s %,10d %s%n", e.getKey(), model.get(e.getKey()), cell[0][0], sb);
            long[] sum = perModel.computeIfAbsent(model.get(e.getKey()), k -> new long[2]);
            sum[0] += cell[0][0];
            sum[1] += median;
        }
        for (Map.Entry<String, long[]> e : perModel.entrySet()) {
            System.out.printf(Locale.ROOT, "[klm] bench model %-4s %,10d executions started in %,8.0f ms (medians): %,6.0f executions a second%n",
                    e.getKey(), e.getValue()[0], e.getValue()[1] / 1e6, rate(e.getValue()[0], e.getValue()[1]));
        }
    }

    private static void record(Map<String, long[][]> cells, Map<String, String> model, String label, String m, int round,
            int rounds, Explorer.Result r, boolean budgetGiven) {
        if (!r.complete() && !r.found() && !(budgetGiven && r.budgetExhausted())) {
            throw new IllegalStateException(label + ": the exploration did not complete (" + r.executions() + " executions)");
        }
        long[][] cell = cells.computeIfAbsent(label, k -> new long[rounds][2]);
        model.put(label, m);
        cell[round][0] = started(r);
        cell[round][1] = r.timeNanos();
    }

    /** Executions started: run to their end plus cut by sleep sets or at the step bound. */
    private static long started(Explorer.Result r) {
        return r.executions() + r.sleepBlocked() + r.stepBoundHits();
    }

    /** The JVM's CPU time so far (user and system, every thread), or 0 where the platform does not say. */
    private static long cpuNanos() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? Math.max(0, os.getProcessCpuTime())
                : 0;
    }

    private static double rate(long executions, long nanos) {
        return nanos == 0 ? 0 : executions * 1e9 / nanos;
    }
}
