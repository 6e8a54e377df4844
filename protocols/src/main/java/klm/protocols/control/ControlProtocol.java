package klm.protocols.control;

import java.util.EnumSet;
import java.util.List;

import klm.kernel.Mutex;
import klm.kernel.SpinLock;
import klm.kernel.Word;
import klm.scenario.Outcome;
import klm.scenario.ScenarioRun;
import klm.verdict.Expectation;
import klm.verdict.Provenance;
import klm.verdict.Variant;

/**
 * The controls: deliberately broken and correct locking, run through every checker like any
 * protocol, so that a checker that silently stopped finding bugs turns the build red. Modeled on
 * kernel/locking/locktorture.c: {@code lock_busted} is a lock whose lock and unlock do nothing.
 *
 * <ul>
 *   <li>{@code busted-lock} (BUGGY): two CPUs increment a counter twice each under lock_busted: an update is lost.</li>
 *   <li>{@code spin-lock} (FIXED): the same under a real spin_lock.</li>
 *   <li>{@code abba} (BUGGY): CPU0 takes A then B, CPU1 takes B then A: deadlock.</li>
 *   <li>{@code ordered} (FIXED): both take A then B.</li>
 * </ul>
 */
public final class ControlProtocol {
    private ControlProtocol() {}

    public static final String NAME = "control";

    /**
     * Two CPUs each add one to a shared counter inside the lock (READ_ONCE, then WRITE_ONCE), twice,
     * as locktorture's writers take the lock again and again: a lock that breaks when its holder
     * takes it again right after its unlock (while the other CPU waits) fails here.
     */
    public static final class CounterRun extends ScenarioRun {
        static final int ROUNDS = 2;

        private final EnumSet<Bug> bugs;
        private final SpinLock lock = new SpinLock("torture_spinlock");
        private final Word counter = new Word();

        CounterRun(EnumSet<Bug> bugs) {
            super(2);
            this.bugs = bugs;
        }

        private boolean has(Bug b) {
            return bugs.contains(b);
        }

        @Override
        protected void task(int cpu) {
            for (int i = 0; i < ROUNDS; i++) {
                tortureWriteLock();
                int v = counter.readOnce();
                counter.writeOnce(v + 1);
                tortureWriteUnlock();
            }
        }

        /** cur_ops->writelock(): torture_spin_lock_write_lock(), or lock_busted's, which does nothing. */
        private void tortureWriteLock() {
            if (!has(Bug.LOCK_BUSTED)) {
                lock.spinLock();
            }
        }

        /** cur_ops->writeunlock(). */
        private void tortureWriteUnlock() {
            if (!has(Bug.LOCK_BUSTED)) {
                lock.spinUnlock();
            }
        }

        @Override
        protected Outcome check() {
            int c = counter.readOnce();
            int expected = 2 * ROUNDS;
            return c == expected ? Outcome.OK
                    : Outcome.violation("LOST_UPDATE", "counter is " + c + " after " + expected + " locked increments");
        }
    }

    /** CPU0 takes A then B; CPU1 takes B then A with {@link Bug#ABBA}, else A then B. */
    public static final class LockOrderRun extends ScenarioRun {
        private final Mutex a = new Mutex("torture_mutex_a");
        private final Mutex b = new Mutex("torture_mutex_b");
        private final EnumSet<Bug> bugs;

        LockOrderRun(EnumSet<Bug> bugs) {
            super(2);
            this.bugs = bugs;
        }

        private boolean has(Bug b) {
            return bugs.contains(b);
        }

        @Override
        protected void task(int cpu) {
            Mutex first = a;
            Mutex second = b;
            if (has(Bug.ABBA) && cpu == 1) {
                first = b; // the inverted order
                second = a;
            }
            first.mutexLock();
            second.mutexLock();
            second.mutexUnlock();
            first.mutexUnlock();
        }

        @Override
        protected Outcome check() {
            return Outcome.OK;
        }
    }

    private static final String JC = "klm.jcstress.control.";

    public static List<Variant> variants() {
        return List.of(
                Variant.buggy(NAME, "busted-lock", () -> EnumSet.of(Bug.LOCK_BUSTED), bugs -> new CounterRun(bugs))
                        .provenance(Provenance.CONTROL)
                        .fixedBy("spin-lock")
                        .summary("locktorture's lock_busted: lock() and unlock() do nothing; two locked increments race")
                        .kernel("kernel/locking/locktorture.c: lock_busted_ops")
                        .story(
                                "CPU0 reads `counter` and writes it back (its first increment), then reads it "
                                + "for its second.",
                                "CPU1 runs both its increments meanwhile; lock_busted's lock and unlock do "
                                + "nothing, so no row of the table is a lock.",
                                "CPU0 writes back the value it read before CPU1's increments: `counter is 2 "
                                + "after 4 locked increments` (`LOST_UPDATE`).")
                        .lincheck(Expectation.violation("LOST_UPDATE"))
                        .jcstress(Expectation.violation("LOST_UPDATE"), JC + "BustedLockTest")
                        .lockdep(Expectation.notSeen("lock_busted takes no lock at all, so there is no lock order to"
                                + " validate: an unprotected race is not lockdep's to see")),
                Variant.fixed(NAME, "spin-lock", () -> EnumSet.noneOf(Bug.class), bugs -> new CounterRun(bugs))
                        .provenance(Provenance.CONTROL)
                        .summary("the same increments under spin_lock()")
                        .kernel("kernel/locking/locktorture.c: spin_lock_ops")
                        .lincheck(Expectation.clean())
                        .jcstress(Expectation.clean(), JC + "SpinLockTest")
                        .lockdep(Expectation.clean()),
                Variant.buggy(NAME, "abba", () -> EnumSet.of(Bug.ABBA), bugs -> new LockOrderRun(bugs))
                        .provenance(Provenance.CONTROL)
                        .fixedBy("ordered")
                        .summary("CPU0 takes mutex A then B, CPU1 takes B then A")
                        .kernel("the textbook AB-BA inversion lockdep was written for")
                        .story(
                                "CPU0 takes `mutex_lock(torture_mutex_a)`.",
                                "CPU1 takes `mutex_lock(torture_mutex_b)`.",
                                "Each then waits for the mutex the other holds, and the detector names the "
                                + "cycle: `holds torture_mutex_a`, `holds torture_mutex_b` (`DEADLOCK`).")
                        .lincheck(Expectation.deadlock("DEADLOCK"))
                        .jcstress(Expectation.deadlock("DEADLOCK"), JC + "AbbaTest")
                        .lockdep(Expectation.deadlock("CIRCULAR_DEPENDENCY")),
                Variant.fixed(NAME, "ordered", () -> EnumSet.noneOf(Bug.class), bugs -> new LockOrderRun(bugs))
                        .provenance(Provenance.CONTROL)
                        .summary("both CPUs take mutex A then B")
                        .kernel("one lock order for everyone")
                        .lincheck(Expectation.clean())
                        .jcstress(Expectation.clean(), JC + "OrderedTest")
                        .lockdep(Expectation.clean()));
    }
}
