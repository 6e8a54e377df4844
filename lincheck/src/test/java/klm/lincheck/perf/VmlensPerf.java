package klm.lincheck.perf;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import com.vmlens.api.AllInterleavings;
import com.vmlens.api.AllInterleavingsBuilder;

import klm.catalog.Catalog;
import klm.perf.PerfLog;
import klm.scenario.Outcome;
import klm.verdict.Variant;

/**
 * The performance run's peer: VMLens, which claims the explorer's job on the JVM
 * (its {@code AllInterleavings} loop runs a test once per thread interleaving it considers
 * different), run through the same scenarios as every other method. Run only by -Pperf, in a
 * fork of the vmlens-maven-plugin (its agent instruments the classes), with the runtime in its
 * blocking mode for model checkers ({@code klm.blocking=lincheck}: a wait is a monitor wait, a
 * spin is a loop of reads, no clock).
 *
 * <p>Per variant: the interleavings until the first bad outcome (BUGGY) or until VMLens says
 * there are no more (FIXED), and the wall time, capped at {@link #MAX_INTERLEAVINGS} and at
 * {@link #TIME_CAP_S} seconds. A variant that is still running at the time cap is recorded as
 * "no answer" and the part stops there: its threads cannot be taken back from the agent.
 */
class VmlensPerf {
    /** The controls and two mmu-notifier variants, a bug and its fix. */
    static final List<String> VARIANTS = List.of("control/busted-lock", "control/spin-lock", "control/ordered",
            "mmu-notifier/driver-no-retry", "mmu-notifier/driver-retry-under-lock", "control/abba");
    static final int MAX_INTERLEAVINGS = 20_000;
    static final long TIME_CAP_S = 300;

    @Test
    void measure() throws Exception {
        assertFalse(VARIANTS.isEmpty());
        PerfLog log = new PerfLog(PerfLog.dir(), "vmlens");
        for (String id : VARIANTS) {
            String[] pv = id.split("/");
            Variant v = Catalog.get(pv[0], pv[1]);
            AtomicLong interleavings = new AtomicLong();
            AtomicReference<Outcome> bad = new AtomicReference<>();
            AtomicReference<Throwable> broke = new AtomicReference<>();
            AtomicReference<Boolean> exhausted = new AtomicReference<>(false);
            Thread driver = new Thread(() -> {
                try (AllInterleavings all = new AllInterleavingsBuilder().withMaximumIterations(MAX_INTERLEAVINGS)
                        .build("klm " + id)) {
                    while (all.hasNext()) {
                        interleavings.incrementAndGet();
                        Outcome out = v.newRun().runOnThreads();
                        if (!out.ok()) {
                            bad.set(out);
                            break;
                        }
                    }
                    exhausted.set(bad.get() == null && interleavings.get() < MAX_INTERLEAVINGS);
                } catch (Throwable t) {
                    broke.set(t);
                }
            }, "vmlens-" + id);
            driver.setDaemon(true);
            long t0 = System.nanoTime();
            driver.start();
            driver.join(TimeUnit.SECONDS.toMillis(TIME_CAP_S));
            double ms = (System.nanoTime() - t0) / 1e6;
            boolean found = bad.get() != null;
            String note;
            if (driver.isAlive()) {
                note = "no answer within " + TIME_CAP_S + " s (" + interleavings.get() + " interleavings started)";
            } else if (broke.get() != null) {
                Throwable t = broke.get();
                note = "VMLens failed: " + t.getClass().getSimpleName() + ": " + String.valueOf(t.getMessage()).lines().findFirst().orElse("");
            } else if (found) {
                note = bad.get().name();
            } else {
                note = (exhausted.get() ? "VMLens ended its loop" : "stopped at the cap")
                        + String.format(java.util.Locale.ROOT, " after %,d interleavings (%.0f ms)", interleavings.get(), ms);
            }
            System.out.printf("[klm] perf vmlens %s: %s, %d interleaving(s), %.1f ms%n", id, note, interleavings.get(), ms);
            log.add(v, "vmlens", 1, found, ms, interleavings.get(), 0, note);
            if (driver.isAlive()) {
                System.out.println("[klm] perf vmlens: stopping here; the remaining variants are not measured");
                break;
            }
        }
    }
}
