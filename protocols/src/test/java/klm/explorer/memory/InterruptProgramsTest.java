package klm.explorer.memory;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

import klm.kernel.Kernel;
import klm.kernel.SpinLock;
import klm.kernel.Word;
import klm.scenario.Outcome;
import klm.scenario.ScenarioRun;

/**
 * Interrupts raised by one CPU for another, under every model: the DPOR reaches exactly the final
 * states of the walk over every interleaving (and read choice). When an interrupt arrives is the
 * schedule's choice (its target's interrupt points are steps), and the target's interrupt points
 * read the runtime's record of it as an interrupt controller would, the newest write
 * ({@code Order.DELIVERY}): the walk checks that the DPOR loses no arrival point by it. Every
 * program under ra, where that read matters; the ones the walk can afford under sc and tso.
 */
class InterruptProgramsTest {
    /**
     * The raiser writes data, raises an interrupt on the target whose handler reads the data and
     * records it, and writes again; the target reads around interrupt points (with {@code
     * lockedTask}, under a spin lock the handler also takes, in the form that keeps that interrupt
     * out).
     */
    private static final class Raise extends ScenarioRun {
        private final Word data = new Word();
        private final Word flag = new Word();
        private final Word seen = new Word();
        private final SpinLock lock = new SpinLock("test_lock");
        private final boolean hard;
        private final boolean lockedTask;
        /** The raiser's CPU (the other one is the target); the DPOR's first execution runs CPU0 first. */
        private final int raiser;
        private final Set<String> states;
        private final int[] regs = new int[3];

        Raise(boolean hard, boolean lockedTask, int raiser, Set<String> states) {
            super(2);
            this.hard = hard;
            this.lockedTask = lockedTask;
            this.raiser = raiser;
            this.states = states;
        }

        @Override
        protected boolean usesInterrupts() {
            return true;
        }

        @Override
        protected void task(int cpu) {
            if (cpu == raiser) {
                data.writeOnce(1);
                Runnable handler = () -> {
                    long f = lock.spinLockIrqsave();
                    regs[2] = data.readOnce() + 10 * flag.readOnce();
                    seen.writeOnce(1);
                    lock.spinUnlockIrqrestore(f);
                };
                if (hard) {
                    smp().cpu(1 - raiser).raiseHardirq("test-irq", handler);
                } else {
                    smp().cpu(1 - raiser).raiseSoftirq("TEST", handler);
                }
                flag.writeOnce(1);
                return;
            }
            if (lockedTask && hard) {
                long f = lock.spinLockIrqsave(); // irqs off: the hardirq cannot arrive while the lock is held
                regs[0] = seen.readOnce();
                lock.spinUnlockIrqrestore(f);
            } else if (lockedTask) {
                lock.spinLockBh(); // bottom halves off: the softirq cannot arrive while the lock is held
                regs[0] = seen.readOnce();
                lock.spinUnlockBh();
            } else {
                regs[0] = seen.readOnce();
                Kernel.interruptPoint();
            }
            regs[1] = flag.readOnce() + 10 * seen.readOnce();
        }

        @Override
        protected Outcome check() {
            states.add(java.util.Arrays.toString(regs) + " seen " + seen.readOnce());
            return Outcome.OK;
        }
    }

    /** The walk's budget per program: a walk stopped at it compares nothing. */
    private static final long WALK = 60_000;

    @Test
    void theDporReachesEveryArrivalPointOfAnInterruptUnderEveryModel() {
        int k = 0;
        long dpor = 0;
        java.util.List<String> compared = new java.util.ArrayList<>();
        for (MemoryModel model : MemoryModels.all()) {
            for (boolean hard : new boolean[] {false, true}) {
                for (boolean locked : new boolean[] {false, true}) {
                    if (model != Ra.MODEL && locked || model == Tso.MODEL && !hard) {
                        // kept to what the test command can pay: under tso the walk over every store buffer's
                        // steps is ten to thirty times the others'; the locks' own interleavings are checked
                        // under sc by the random programs with locks
                        continue;
                    }
                    for (int raiser = 0; raiser < 2; raiser++) {
                        if (model == Tso.MODEL && raiser == 1 || locked && raiser == 0) {
                            continue; // the same budget: one raiser where the walk is large
                        }
                        int r = raiser;
                        String text = (hard ? "hardirq" : "softirq") + " raised by CPU" + r
                                + (locked ? ", task under the lock" : ", task with an interrupt point");
                        FinalStates.Cost c = FinalStates.compare(k++, text, states -> (Supplier<ScenarioRun>) () -> new Raise(hard, locked, r, states), model, WALK);
                        assertTrue(c != null, text + " under " + model.id() + ": the walk needs more than " + WALK + " executions");
                        compared.add(model.id() + ": " + text + " (walk " + c.walk() + ")");
                        dpor += c.dpor();
                    }
                }
            }
        }
        System.out.println("InterruptProgramsTest: " + compared.size() + " programs compared (" + String.join("; ", compared)
                + "); the DPOR started " + dpor + " executions");
    }
}
