package klm.protocols.control;

import java.util.EnumSet;
import java.util.List;

import klm.kernel.Mutex;
import klm.kernel.SpinLock;
import klm.kernel.WaitQueueHead;
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
 *   <li>{@code no-wake-up} (BUGGY): a waker sets the condition a sleeper waits for and forgets
 *       wake_up(): the sleeper sleeps forever.</li>
 *   <li>{@code wake-up} (FIXED): it calls wake_up().</li>
 *   <li>{@code waitqueue-active-no-barrier} (BUGGY): the waker wakes only if waitqueue_active() sees a
 *       sleeper, with no smp_mb() between its store and that look: a reordering loses the wake-up.</li>
 *   <li>{@code wq-has-sleeper} (FIXED): it uses wq_has_sleeper(), whose smp_mb() pairs with the
 *       sleeper's set_current_state().</li>
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

    /**
     * CPU0 sets a condition and wakes the queue; CPU1 waits for the condition with wait_event(). The
     * waker is the pattern of include/linux/wait.h's comment above waitqueue_active():
     * {@code cond = true; if (wq_has_sleeper(wq)) wake_up(wq);}, or the two ways to get it wrong.
     */
    public static final class WakeRun extends ScenarioRun {
        private final EnumSet<Bug> bugs;
        private final WaitQueueHead wq = WaitQueueHead.sleeping("torture_wq");
        private final Word cond = new Word();

        WakeRun(EnumSet<Bug> bugs) {
            super(2);
            this.bugs = bugs;
        }

        private boolean has(Bug b) {
            return bugs.contains(b);
        }

        @Override
        protected void task(int cpu) {
            if (cpu == 1) {
                wq.waitEvent(() -> cond.readOnce() == 1); // wait_event(wq, READ_ONCE(cond))
                return;
            }
            cond.writeOnce(1); // WRITE_ONCE(cond, 1)
            if (has(Bug.NO_WAKE_UP)) {
                return; // ... and no wake_up()
            }
            if (!has(Bug.WAKE_ONLY_SLEEPERS)) {
                wq.wakeUp(); // wake_up(wq)
                return;
            }
            boolean sleeper;
            if (has(Bug.WAITQUEUE_ACTIVE_WITHOUT_MB)) {
                sleeper = wq.waitqueueActive(); // waitqueue_active(wq): no barrier after the store
            } else {
                sleeper = wq.wqHasSleeper(); // wq_has_sleeper(wq): smp_mb(), then waitqueue_active()
            }
            if (sleeper) {
                wq.wakeUp();
            }
        }

        @Override
        protected Outcome check() {
            return Outcome.OK; // a lost wake-up leaves CPU1 asleep: the explorer reports it as a HANG
        }
    }

    private static final String JC = "klm.jcstress.control.";
    private static final String EXPLORER_ONLY = "a control of the explorer's model of sleeping and waking: on"
            + " real threads the runtime's wait queue is a Java monitor, which cannot lose a wake-up";
    private static final String NO_LOCKS = "no lock is taken, so there is no lock order to validate";

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
                        .lockdep(Expectation.clean()),
                Variant.buggy(NAME, "no-wake-up", () -> EnumSet.of(Bug.NO_WAKE_UP), bugs -> new WakeRun(bugs))
                        .provenance(Provenance.CONTROL)
                        .fixedBy("wake-up")
                        .summary("the waker sets the condition and forgets wake_up(): the sleeper is never woken")
                        .kernel("include/linux/wait.h: wait_event() and wake_up()")
                        .story(
                                "CPU1 reads `cond` (still 0), joins the queue in `prepare_to_wait(torture_wq)`, and "
                                + "reads `cond` again: still 0, so it goes to sleep.",
                                "CPU0 then does `write cond` and returns without calling wake_up().",
                                "Nothing is left to wake CPU1: the explorer ends with it asleep, `waits for a wake-up "
                                + "on torture_wq, asleep in wait_event()` (`HANG`).")
                        .explorer(Expectation.deadlock("HANG"))
                        .lincheck(Expectation.notRun(EXPLORER_ONLY))
                        .lockdep(Expectation.notSeen(NO_LOCKS)),
                Variant.fixed(NAME, "wake-up", () -> EnumSet.noneOf(Bug.class), bugs -> new WakeRun(bugs))
                        .provenance(Provenance.CONTROL)
                        .summary("the waker calls wake_up() after setting the condition")
                        .kernel("include/linux/wait.h: wait_event() and wake_up()")
                        .explorer(Expectation.clean())
                        .lincheck(Expectation.notRun(EXPLORER_ONLY))
                        .lockdep(Expectation.clean()),
                Variant.buggy(NAME, "waitqueue-active-no-barrier", () -> EnumSet.of(Bug.WAKE_ONLY_SLEEPERS,
                        Bug.WAITQUEUE_ACTIVE_WITHOUT_MB), bugs -> new WakeRun(bugs))
                        .provenance(Provenance.CONTROL)
                        .fixedBy("wq-has-sleeper")
                        .summary("the waker looks for sleepers with waitqueue_active() and no smp_mb() after its store")
                        .kernel("include/linux/wait.h: the comment above waitqueue_active()")
                        .explorer(Expectation.notSeen("under sequential consistency the waker's store is seen by the"
                                + " sleeper's check, or the sleeper is on the queue when the waker looks"))
                        .explorer("tso", Expectation.deadlock("HANG").because("x86-TSO: the waker's store of the condition"
                                + " waits in its store buffer while it finds the queue empty; the sleeper joins the queue"
                                + " and reads the old condition, and sleeps with nobody left to wake it"))
                        .lincheck(Expectation.notRun(EXPLORER_ONLY))
                        .lockdep(Expectation.notSeen(NO_LOCKS)),
                Variant.fixed(NAME, "wq-has-sleeper", () -> EnumSet.of(Bug.WAKE_ONLY_SLEEPERS), bugs -> new WakeRun(bugs))
                        .provenance(Provenance.CONTROL)
                        .summary("the waker looks for sleepers with wq_has_sleeper(), whose smp_mb() pairs with"
                                + " set_current_state()")
                        .kernel("include/linux/wait.h: wq_has_sleeper()")
                        .explorer(Expectation.clean())
                        .lincheck(Expectation.notRun(EXPLORER_ONLY))
                        .lockdep(Expectation.clean()));
    }
}
