package klm.lincheck.perf;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.jetbrains.lincheck.datastructures.Validate;
import org.jetbrains.lincheck.datastructures.verifier.EpsilonVerifier;
import org.junit.jupiter.api.Test;

import klm.catalog.Catalog;
import klm.catalog.Selection;
import klm.lockdep.LockdepDriver;
import klm.perf.Baseline;
import klm.perf.PerfLog;
import klm.scenario.Outcome;
import klm.scenario.ScenarioRun;
import klm.verdict.Checker;
import klm.verdict.Kind;
import klm.verdict.Observation;
import klm.verdict.Variant;
import klm.verdict.Verdict;

/**
 * The performance run's part on real threads with the bounded deadlock detector (-Pperf runs it with
 * klm.blocking=bounded): Lincheck's stress mode, the plain-thread baseline, and lockdep, for every
 * BUGGY variant; N attempts each, each capped in time.
 */
class BoundedPerf {
    static final long CAP_MS = Long.getLong("klm.perf.capMs", 3000);
    static final int STRESS_BATCH = 200;

    /** Lincheck's stress mode on the scenario: each of the CPUs is one operation on its own thread. */
    public static class StressTarget {
        private final ScenarioRun run = Catalog.get(System.getProperty("klm.perf.protocol"),
                System.getProperty("klm.perf.variant")).newRun();
        private final AtomicInteger next = new AtomicInteger();

        public StressTarget() {
            System.setProperty("klm.perf.invocations", Integer.toString(Integer.getInteger("klm.perf.invocations", 0) + 1));
        }

        /** The next CPU's task, on the calling Lincheck thread. */
        @Operation
        public void cpu() {
            run.runCpu(next.getAndIncrement());
        }

        @Validate
        public void invariant() {
            Outcome o = run.outcome();
            if (!o.ok()) {
                throw new AssertionError(o.asFailureMessage());
            }
        }
    }

    @Test
    void measure() throws Exception {
        Selection sel = Selection.fromSystemProperties();
        List<Variant> variants = sel.variants();
        assertFalse(variants.isEmpty());
        PerfLog log = new PerfLog(PerfLog.dir(), "bounded");
        for (Variant v : variants) {
            if (v.kind() != Kind.BUGGY) {
                continue;
            }
            for (int a = 1; a <= PerfLog.attempts(); a++) {
                stressAttempt(log, v, a);
            }
            for (int a = 1; a <= PerfLog.attempts(); a++) {
                Baseline.Result r = Baseline.attempt(v, CAP_MS);
                log.add(v, "baseline", a, r.detected(), r.millis(), r.rounds(), 0, r.outcome());
            }
            boolean lockdepSees = v.expected(Checker.LOCKDEP).verdict() == Verdict.DEADLOCK;
            for (int a = 1; a <= (lockdepSees ? PerfLog.attempts() : 1); a++) {
                long t0 = System.nanoTime();
                Observation o = LockdepDriver.observe(v);
                double ms = (System.nanoTime() - t0) / 1e6;
                boolean found = o.verdict == Verdict.DEADLOCK;
                log.add(v, "lockdep", a, found, ms, 1, 0, found ? String.join(",", o.outcomes) : "silent (not a lock-order bug)");
            }
        }
    }

    private static void stressAttempt(PerfLog log, Variant v, int a) {
        System.setProperty("klm.perf.protocol", v.protocol());
        System.setProperty("klm.perf.variant", v.name());
        System.setProperty("klm.perf.invocations", "0");
        long t0 = System.nanoTime();
        String found = null;
        while ((System.nanoTime() - t0) / 1_000_000 < CAP_MS && found == null) {
            try {
                new StressOptions().threads(v.newRun().cpus()).actorsPerThread(1).actorsBefore(0).actorsAfter(0)
                        .iterations(1).invocationsPerIteration(STRESS_BATCH).minimizeFailedScenario(false)
                        .verifier(EpsilonVerifier.class).check(StressTarget.class);
            } catch (Throwable t) {
                Outcome o = Outcome.parseFailureMessage(String.valueOf(t.getMessage()));
                found = o != null ? o.name() : t.getClass().getSimpleName();
            }
        }
        double ms = (System.nanoTime() - t0) / 1e6;
        log.add(v, "lincheck-stress", a, found != null, ms, Integer.getInteger("klm.perf.invocations", 0), 0,
                found == null ? "" : found);
    }
}
