package klm.lincheck;

import java.util.Locale;

import org.jetbrains.lincheck.Lincheck;

import klm.scenario.Outcome;
import klm.verdict.Checker;
import klm.verdict.Observation;
import klm.verdict.Variant;
import klm.verdict.Verdict;

/**
 * Runs one variant's scenario under Lincheck's model checker ({@code runConcurrentTest}) and turns
 * what Lincheck says into an {@link Observation}: the kind of failure and its outcome name, the
 * invocation and time of the first counterexample, or how many invocations a clean run explored.
 *
 * <p>Lincheck snapshots and restores static fields between invocations, so the invocation counter
 * lives in a system property (measured: a static AtomicInteger reads 0 after the run).
 */
public final class LincheckDriver {
    private LincheckDriver() {}

    static final String COUNTER = "klm.lincheck.invocation";
    /** The first failure our own check raised in this run, and its invocation (system properties for the same reason). */
    static final String FIRST_FAILURE = "klm.lincheck.firstFailure";
    static final String FIRST_FAILURE_AT = "klm.lincheck.firstFailureAt";

    public static Observation check(Variant v, int invocations) {
        Observation o = Observation.of(v, Checker.LINCHECK);
        System.setProperty(COUNTER, "0");
        System.clearProperty(FIRST_FAILURE);
        System.clearProperty(FIRST_FAILURE_AT);
        long t0 = System.nanoTime();
        try {
            Lincheck.runConcurrentTest(invocations, () -> {
                System.setProperty(COUNTER, Integer.toString(Integer.getInteger(COUNTER, 0) + 1));
                Outcome out = v.newRun().runOnThreads();
                if (!out.ok()) {
                    if (System.getProperty(FIRST_FAILURE) == null) {
                        System.setProperty(FIRST_FAILURE, out.asFailureMessage());
                        System.setProperty(FIRST_FAILURE_AT, Integer.toString(Integer.getInteger(COUNTER, 0)));
                    }
                    throw new AssertionError(out.asFailureMessage());
                }
            });
            int explored = Integer.getInteger(COUNTER, 0);
            o.verdict = Verdict.CLEAN;
            o.figure("invocations", explored).figure("requested", invocations)
                    .figure("complete", explored < invocations).figure("timeMs", millisSince(t0));
            o.detail = explored < invocations
                    ? "every interleaving explored in " + explored + " invocations"
                    : "nothing found in " + invocations + " invocations (the bound; not exhaustive)";
        } catch (Throwable e) {
            long ms = millisSince(t0);
            String msg = String.valueOf(e.getMessage());
            String first = System.getProperty(FIRST_FAILURE);
            int invocation = Integer.getInteger(COUNTER, 0);
            if (Outcome.parseFailureMessage(msg) == null && first != null && !msg.contains("has hung")) {
                // Our check failed in an invocation, then Lincheck broke while collecting that counterexample's
                // trace (seen: IndexOutOfBoundsException in its replay). The verdict was found; the trace is missing.
                classify(o, e, first);
                invocation = Integer.getInteger(FIRST_FAILURE_AT, 0);
                o.figure("traceMissing", e.getClass().getSimpleName());
                o.detail += " (found at invocation " + invocation + "; Lincheck then failed to collect the trace: "
                        + e.getClass().getSimpleName() + ": " + msg.lines().findFirst().orElse("") + ")";
                o.figure("firstFailureInvocation", invocation).figure("requested", invocations).figure("timeMs", ms);
                o.trace = "Lincheck found this outcome at invocation " + invocation + " but failed while collecting its trace:\n"
                        + stackTrace(e);
                return o;
            }
            classify(o, e, msg);
            o.figure("firstFailureInvocation", invocation).figure("requested", invocations)
                    .figure("timeMs", ms);
            o.trace = msg;
        }
        return o;
    }

    /** Sorts a Lincheck failure into our verdicts: our own outcome marker first, then Lincheck's hang report. */
    static void classify(Observation o, Throwable e, String msg) {
        Outcome ours = Outcome.parseFailureMessage(msg);
        if (ours != null) {
            o.verdict = switch (ours.category()) {
                case VIOLATION -> Verdict.VIOLATION;
                case DEADLOCK -> Verdict.DEADLOCK;
                default -> Verdict.ERROR;
            };
            o.outcomes.add(ours.name());
            o.detail = ours.detail();
            return;
        }
        if (msg.contains("has hung")) {
            // Lincheck's own deadlock report: "All unfinished threads are in deadlock" (monitors) or a livelock
            // (spin loops, park loops), both after its hang detection.
            o.verdict = Verdict.DEADLOCK;
            o.outcomes.add("DEADLOCK");
            String lower = msg.toLowerCase(Locale.ROOT);
            o.detail = "Lincheck: concurrent test has hung"
                    + (lower.contains("livelock") ? " (threads spin forever: livelock)"
                    : lower.contains("deadlock") ? " (all unfinished threads are in deadlock)" : "");
            return;
        }
        o.verdict = Verdict.ERROR;
        o.detail = e.getClass().getSimpleName() + ": " + msg.lines().findFirst().orElse("");
    }

    private static String stackTrace(Throwable e) {
        java.io.StringWriter w = new java.io.StringWriter();
        e.printStackTrace(new java.io.PrintWriter(w));
        return w.toString();
    }

    private static long millisSince(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }
}
