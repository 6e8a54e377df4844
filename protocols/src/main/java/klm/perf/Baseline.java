package klm.perf;

import klm.scenario.Outcome;
import klm.verdict.Variant;

/**
 * What a user would write without these tools: the same scenario on plain threads, a fresh machine
 * each round, the same invariant check, in a loop until it fails or the time cap is hit.
 */
public final class Baseline {
    private Baseline() {}

    public record Result(boolean detected, double millis, long rounds, String outcome) {}

    public static Result attempt(Variant v, long capMillis) {
        long t0 = System.nanoTime();
        long cap = t0 + capMillis * 1_000_000L;
        long rounds = 0;
        while (true) {
            Outcome o = v.newRun().runOnThreads();
            rounds++;
            long now = System.nanoTime();
            if (!o.ok()) {
                return new Result(true, (now - t0) / 1e6, rounds, o.name());
            }
            if (now > cap) {
                return new Result(false, (now - t0) / 1e6, rounds, "");
            }
        }
    }
}
