package klm.explorer;

import java.util.Locale;

import klm.verdict.Checker;
import klm.verdict.Observation;
import klm.verdict.RunMode;
import klm.verdict.SelectionException;
import klm.verdict.Variant;
import klm.verdict.Verdict;

/**
 * The explorer's column: explores one variant's scenario and turns the result into an
 * {@link Observation}. A complete exploration with nothing found is CLEAN; an exploration stopped
 * by its execution budget or by the step bound is an ERROR that says so and what to do (never a
 * silent CLEAN); a bad outcome is the verdict of its category, with the counterexample's table
 * and replay string as the trace.
 */
public final class ExplorerDriver {
    private ExplorerDriver() {}

    /** Execution budget per variant: quick mode's keeps the test command short; thorough's is 10x. */
    public static Explorer.Options options(RunMode mode) {
        long budget = positive("klm.explorer.budget", mode == RunMode.THOROUGH ? 2_000_000 : 200_000);
        long steps = positive("klm.explorer.maxSteps", 20_000);
        return new Explorer.Options(budget, (int) Math.min(Integer.MAX_VALUE, steps), memory());
    }

    /** {@code -Dklm.memory=ID}, one of the registered memory models (default: the strongest); anything else is a clear error. */
    public static klm.explorer.memory.MemoryModel memory() {
        try {
            return klm.explorer.memory.MemoryModels.parse(System.getProperty("klm.memory", ""));
        } catch (IllegalArgumentException e) {
            throw new SelectionException("-Dklm.memory: " + e.getMessage());
        }
    }

    /** A positive number from a system property; empty means the default; anything else is a clear error. */
    static long positive(String property, long dflt) {
        String v = System.getProperty(property, "").trim();
        if (v.isEmpty()) {
            return dflt;
        }
        try {
            long n = Long.parseLong(v.replace("_", "").replace(",", ""));
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new SelectionException("-D" + property + "=" + v + " is not a positive whole number (default " + dflt + ")");
    }

    public static Observation observe(Variant v, RunMode mode) {
        return observe(v, options(mode));
    }

    public static Observation observe(Variant v, Explorer.Options options) {
        Observation o = Observation.of(v, klm.explorer.memory.MemoryModels.column(options.memory()));
        Explorer.Result r;
        try {
            r = Explorer.explore(v::newRun, options);
        } catch (RuntimeException e) {
            o.verdict = Verdict.ERROR;
            o.detail = v.id() + ": the explorer failed: " + e.getMessage();
            return o;
        }
        figures(o, r);
        if (r.found()) {
            o.verdict = switch (r.outcome().category()) {
                case VIOLATION -> Verdict.VIOLATION;
                case DEADLOCK -> Verdict.DEADLOCK;
                default -> Verdict.ERROR;
            };
            o.outcomes.add(r.outcome().name());
            o.detail = r.outcome().detail();
            o.trace = r.trace() + "replay: -Dklm.replay=" + r.schedule() + "\n";
        } else if (r.budgetExhausted()) {
            o.verdict = Verdict.ERROR;
            o.detail = v.id() + ": exploration NOT complete: the budget of " + String.format(Locale.ROOT, "%,d", options.maxExecutions())
                    + " executions ran out; raise it with -Dklm.explorer.budget=N or run -Dmode=thorough";
        } else if (!r.complete()) {
            o.verdict = Verdict.ERROR;
            o.detail = v.id() + ": exploration NOT complete: " + r.stepBoundHits() + " execution(s) hit the bound of "
                    + options.maxSteps() + " steps (a retry loop that does not end?); raise it with -Dklm.explorer.maxSteps=N";
        } else {
            o.verdict = Verdict.CLEAN;
            o.detail = "complete: every execution up to equivalence, " + String.format(Locale.ROOT, "%,d", r.executions())
                    + " executions";
        }
        return o;
    }

    private static void figures(Observation o, Explorer.Result r) {
        o.figure("executions", r.executions()).figure("complete", r.complete()).figure("memory", r.memory())
                .figure("timeMs", Math.round(r.millis()))
                .figure("sleepBlocked", r.sleepBlocked()).figure("stepBoundHits", r.stepBoundHits())
                .figure("blocked", r.blocked());
        if (r.found()) {
            o.figure("firstCounterexample", r.firstCounterexample()).figure("schedule", r.schedule());
        }
    }
}
