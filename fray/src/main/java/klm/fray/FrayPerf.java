package klm.fray;

import java.util.List;

import org.pastalab.fray.core.observers.TimelineCoverageType;
import org.pastalab.fray.core.randomness.ControlledRandomProvider;
import org.pastalab.fray.core.scheduler.POSScheduler;
import org.pastalab.fray.core.scheduler.RandomScheduler;
import org.pastalab.fray.core.scheduler.Scheduler;
import org.pastalab.fray.junit.plain.FrayInTestLauncher;

import klm.catalog.Catalog;
import klm.kernel.AccessMode;
import klm.kernel.Waits;
import klm.perf.PerfLog;
import klm.scenario.Outcome;
import klm.verdict.Kind;
import klm.verdict.Variant;

/**
 * One configuration of the peer Fray (a scheduler, and the runtime's access mode), run inside a JVM
 * that {@link FrayLauncher} started on the Fray-instrumented JDK 25 with Fray's agents. Arguments:
 * the scheduler ({@code pos} or {@code random}), the log's part name, then the variants
 * ({@code protocol/variant}). Per BUGGY variant, N attempts of Fray's loop over the scenario on plain
 * threads (the runtime in its blocking mode for model checkers) for up to R rounds, each recording the
 * round of the first failure and the wall time of the call; per FIXED variant, one loop of its rounds.
 * A round is one run of the scenario, with the invariant checked at its end as the baseline checks it.
 */
public final class FrayPerf {
    private FrayPerf() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 3 || !List.of("pos", "random").contains(args[0])) {
            throw new IllegalArgumentException("usage: FrayPerf pos|random PART PROTOCOL/VARIANT...");
        }
        if (Waits.MODE != Waits.Mode.LINCHECK) {
            throw new IllegalStateException("Fray's runs need -Dklm.blocking=lincheck (waits that really block), not " + Waits.MODE);
        }
        String method = "fray-" + args[0] + (AccessMode.VOLATILE ? "-volatile" : "");
        PerfLog log = new PerfLog(PerfLog.dir(), args[1]);
        int rounds = Integer.getInteger("klm.fray.rounds", 1000);
        int fixedRounds = Integer.getInteger("klm.fray.fixedRounds", 1000);
        int attempts = Integer.getInteger("klm.fray.attempts", 5);
        for (int i = 2; i < args.length; i++) {
            String[] pv = args[i].split("/", 2);
            Variant v = Catalog.get(pv[0], pv[1]);
            System.out.println("[klm] fray start " + v.id());
            boolean buggy = v.kind() == Kind.BUGGY;
            for (int a = 1; a <= (buggy ? attempts : 1); a++) {
                System.out.println("[klm] fray attempt " + v.id() + " " + a);
                attempt(log, method, v, a, args[0], buggy ? rounds : fixedRounds);
            }
            System.out.println("[klm] fray done " + v.id());
        }
        System.out.flush();
        // Fray leaves threads of its own: end the JVM rather than wait for them
        System.exit(0);
    }

    private static void attempt(PerfLog log, String method, Variant v, int a, String scheduler, int rounds) {
        long[] round = {0};
        Runnable test = () -> {
            round[0]++;
            Outcome o = v.newRun().runOnThreads();
            if (!o.ok()) {
                throw new AssertionError(o.asFailureMessage());
            }
        };
        Scheduler s = scheduler.equals("pos") ? new POSScheduler() : new RandomScheduler();
        long t0 = System.nanoTime();
        Throwable failure = null;
        try {
            FrayInTestLauncher.INSTANCE.launchFray(test, s, new ControlledRandomProvider(), rounds,
                    Integer.getInteger("klm.fray.attemptCapS", 60), false, TimelineCoverageType.NONE, c -> kotlin.Unit.INSTANCE);
        } catch (Throwable t) {
            failure = t;
        }
        double ms = (System.nanoTime() - t0) / 1e6;
        String note;
        if (failure == null) {
            note = String.format(java.util.Locale.ROOT, "%,d rounds clean", round[0]);
        } else {
            Throwable root = failure;
            while (root.getCause() != null && root.getCause() != root && !(root instanceof AssertionError)) {
                root = root.getCause();
            }
            Outcome o = Outcome.parseFailureMessage(String.valueOf(root.getMessage()));
            note = o != null ? o.name()
                    : root.getClass().getSimpleName() + ": " + String.valueOf(root.getMessage()).lines().findFirst().orElse("");
        }
        log.add(v, method, a, failure != null, ms, round[0], 0, note);
    }
}
