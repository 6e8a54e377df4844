package klm.protocols.control;

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

    /** The lock interface the counter scenario is written against. */
    interface TortureLock {
        void lock();

        void unlock();
    }

    /** locktorture's lock_busted: torture_lock_busted_write_lock() and _unlock() do nothing. */
    static final TortureLock LOCK_BUSTED = new TortureLock() {
        @Override
        public void lock() {}

        @Override
        public void unlock() {}
    };

    /** locktorture's spin_lock ops: a real spinlock_t. */
    static TortureLock spinLock() {
        SpinLock lock = new SpinLock("torture_spinlock");
        return new TortureLock() {
            @Override
            public void lock() {
                lock.spinLock();
            }

            @Override
            public void unlock() {
                lock.spinUnlock();
            }
        };
    }

    /**
     * Two CPUs each add one to a shared counter inside the lock (READ_ONCE, then WRITE_ONCE), twice,
     * as locktorture's writers take the lock again and again: a lock that breaks when its holder
     * takes it again right after its unlock (while the other CPU waits) fails here.
     */
    public static final class CounterRun extends ScenarioRun {
        static final int ROUNDS = 2;

        private final TortureLock lock;
        private final Word counter = new Word();

        CounterRun(TortureLock lock) {
            super(2);
            this.lock = lock;
        }

        @Override
        protected void task(int cpu) {
            for (int i = 0; i < ROUNDS; i++) {
                lock.lock();
                int v = counter.readOnce();
                counter.writeOnce(v + 1);
                lock.unlock();
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

    /** CPU0 takes A then B; CPU1 takes B then A when {@code inverted} (ABBA), else A then B. */
    public static final class LockOrderRun extends ScenarioRun {
        private final Mutex a = new Mutex("torture_mutex_a");
        private final Mutex b = new Mutex("torture_mutex_b");
        private final boolean inverted;

        LockOrderRun(boolean inverted) {
            super(2);
            this.inverted = inverted;
        }

        @Override
        protected void task(int cpu) {
            Mutex first = cpu == 1 && inverted ? b : a;
            Mutex second = first == a ? b : a;
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
                Variant.buggy(NAME, "busted-lock", () -> new CounterRun(LOCK_BUSTED))
                        .provenance(Provenance.CONTROL)
                        .fixedBy("spin-lock")
                        .summary("locktorture's lock_busted: lock() and unlock() do nothing; two locked increments race")
                        .kernel("kernel/locking/locktorture.c: lock_busted_ops")
                        .lincheck(Expectation.violation("LOST_UPDATE"))
                        .jcstress(Expectation.violation("LOST_UPDATE"), JC + "BustedLockTest")
                        .lockdep(Expectation.notSeen("lock_busted takes no lock at all, so there is no lock order to"
                                + " validate: an unprotected race is not lockdep's to see")),
                Variant.fixed(NAME, "spin-lock", () -> new CounterRun(spinLock()))
                        .provenance(Provenance.CONTROL)
                        .summary("the same increments under spin_lock()")
                        .kernel("kernel/locking/locktorture.c: spin_lock_ops")
                        .lincheck(Expectation.clean())
                        .jcstress(Expectation.clean(), JC + "SpinLockTest")
                        .lockdep(Expectation.clean()),
                Variant.buggy(NAME, "abba", () -> new LockOrderRun(true))
                        .provenance(Provenance.CONTROL)
                        .fixedBy("ordered")
                        .summary("CPU0 takes mutex A then B, CPU1 takes B then A")
                        .kernel("the textbook AB-BA inversion lockdep was written for")
                        .lincheck(Expectation.deadlock("DEADLOCK"))
                        .jcstress(Expectation.deadlock("DEADLOCK"), JC + "AbbaTest")
                        .lockdep(Expectation.deadlock("CIRCULAR_DEPENDENCY")),
                Variant.fixed(NAME, "ordered", () -> new LockOrderRun(false))
                        .provenance(Provenance.CONTROL)
                        .summary("both CPUs take mutex A then B")
                        .kernel("one lock order for everyone")
                        .lincheck(Expectation.clean())
                        .jcstress(Expectation.clean(), JC + "OrderedTest")
                        .lockdep(Expectation.clean()));
    }
}
