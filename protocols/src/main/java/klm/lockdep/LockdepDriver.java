package klm.lockdep;

import klm.scenario.Outcome;
import klm.scenario.ScenarioRun;
import klm.verdict.Checker;
import klm.verdict.Observation;
import klm.verdict.Variant;
import klm.verdict.Verdict;

/**
 * lockdep's column: a variant's paths run once each, single-threaded, one after the other, with the
 * validator attached. A report is a predicted deadlock (verdict DEADLOCK, the report's kind as the
 * outcome); silence is CLEAN. The paths themselves never deadlock this way, which is the point.
 * Then the paths run once more in lockdep's contention pass (a trylock fails until its lock has been
 * taken by a blocking call), so that the paths that only run under contention are validated too;
 * that pass's own outcome does not count (figure {@code contentionPass}), only what lockdep reports.
 */
public final class LockdepDriver {
    private LockdepDriver() {}

    public static Observation observe(Variant v) {
        Observation o = Observation.of(v, Checker.LOCKDEP);
        Lockdep lockdep = Lockdep.attach();
        long t0 = System.nanoTime();
        try {
            ScenarioRun run = v.newRun();
            Outcome outcome = run.runSequentially();
            lockdep.contentionPass(true);
            Outcome contended = v.newRun().runSequentially();
            lockdep.contentionPass(false);
            o.figure("contentionPass", contended.name());
            o.figure("timeMs", (System.nanoTime() - t0) / 1_000_000);
            LockdepReport first = lockdep.first();
            if (first != null) {
                o.verdict = Verdict.DEADLOCK;
                o.outcomes.add(first.kind().name());
                o.detail = first.headline();
                o.trace = first.text();
                o.figure("reports", lockdep.reports().size());
            } else if (outcome.category() == Outcome.Category.OK) {
                o.verdict = Verdict.CLEAN;
                o.detail = "silent";
            } else {
                o.verdict = Verdict.ERROR;
                o.detail = "the single-threaded run itself failed: " + outcome.name() + ": " + outcome.detail();
            }
        } finally {
            lockdep.detach();
        }
        return o;
    }
}
