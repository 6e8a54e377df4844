package klm.explorer.memory;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

import klm.explorer.Prog;
import klm.kernel.Barrier;

/**
 * The DPOR with sleep sets under TSO against the walk over every interleaving, on random small
 * programs of stores, loads, {@code xchg} and {@code smp_mb()} over three locations: both must reach
 * the same final states (every load's value and memory at the end). The programs are where a fully
 * ordered step waits for several buffered stores, possibly to one location, and where a CPU's load
 * reads its own buffered store while its buffer's step races with other CPUs' accesses (the DPOR
 * orders a buffer and its own CPU only through the buffer's order-only location).
 */
class TsoRandomProgramsTest {
    private static final int PROGRAMS = 150;
    /** Programs whose walk needs more executions are skipped (counted: most must fit). */
    private static final long WALK = 20_000;

    /**
     * One operation: 0 store, 1 load, 2 smp_mb(), 3 xchg, 4 a store and 5 a load inside
     * spin_lock()/spin_unlock() of one lock; on location loc with value v.
     */
    private record Op(int kind, int loc, int v) {
        @Override
        public String toString() {
            return switch (kind) {
                case 0 -> "x" + loc + "=" + v;
                case 1 -> "r=x" + loc;
                case 2 -> "mb";
                case 3 -> "r=xchg(x" + loc + "," + v + ")";
                case 4 -> "lock{x" + loc + "=" + v + "}";
                default -> "lock{r=x" + loc + "}";
            };
        }
    }

    private static Supplier<Prog> program(Op[][] ops, Set<String> states) {
        return FinalStates.program(java.util.Arrays.stream(ops).mapToInt(o -> o.length).toArray(), (p, cpu, i) -> {
            Op o = ops[cpu][i];
            switch (o.kind()) {
                case 0 -> p.w[o.loc()].writeOnce(o.v());
                case 1 -> {
                    return p.w[o.loc()].readOnce();
                }
                case 2 -> Barrier.smpMb();
                case 3 -> {
                    return p.w[o.loc()].xchg(o.v());
                }
                case 4 -> {
                    p.lock.spinLock();
                    p.w[o.loc()].writeOnce(o.v());
                    p.lock.spinUnlock();
                }
                default -> {
                    p.lock.spinLock();
                    int r = p.w[o.loc()].readOnce();
                    p.lock.spinUnlock();
                    return r;
                }
            }
            return 0;
        }, states);
    }

    @Test
    void theDporWithSleepSetsReachesEveryFinalStateTheWalkReaches() {
        compareRandom(28, PROGRAMS, false, WALK, PROGRAMS * 3 / 4);
    }

    /**
     * The same with a spin lock: a CPU that waits for the lock may have stores in its buffer, and
     * its condition takes the lock (a fully ordered step), so it is enabled only once its buffer's
     * own steps have emptied it; the unlock is a buffered store.
     */
    @Test
    void withASpinLockTheDporReachesEveryFinalStateTheWalkReaches() {
        compareRandom(2028, 50, true, 3_000, 25);
    }

    /**
     * Compares {@code programs} random programs drawn from {@code seed} (with locked sections if
     * {@code locks}: two CPUs of one to three operations, whose walk grows fast), skipping those whose
     * walk needs more than {@code walk} executions; at least {@code least} must be compared.
     */
    private static void compareRandom(long seed, int programs, boolean locks, long walk, int least) {
        assertTrue(Tso.MODEL.sleepSetsSound(), "this test is about the DPOR with sleep sets under TSO");
        Random rnd = new Random(seed);
        int compared = 0;
        for (int k = 0; k < programs; k++) {
            int cpus = locks ? 2 : 2 + rnd.nextInt(2);
            Op[][] ops = new Op[cpus][];
            int value = 1;
            for (int c = 0; c < cpus; c++) {
                ops[c] = new Op[1 + rnd.nextInt(cpus == 2 ? (locks ? 3 : 5) : (locks ? 2 : 3))];
                for (int i = 0; i < ops[c].length; i++) {
                    int kind;
                    if (locks) { // stores and locked sections mostly: a store buffered when the lock is taken
                        int d = rnd.nextInt(20);
                        kind = d < 7 ? 0 : d < 11 ? 1 : d < 12 ? 2 : d < 13 ? 3 : d < 17 ? 4 : 5;
                    } else {
                        int d = rnd.nextInt(10);
                        kind = d < 4 ? 0 : d < 7 ? 1 : d < 9 ? 2 : 3;
                    }
                    ops[c][i] = new Op(kind, rnd.nextInt(3), value++);
                }
            }
            String text = java.util.Arrays.deepToString(ops);
            if (FinalStates.compare(k, text, states -> program(ops, states), Tso.MODEL, walk) == null) {
                continue;
            }
            compared++;
        }
        assertTrue(compared >= least, "only " + compared + " of " + programs + " programs fit the walk's " + walk + " executions");
    }
}
