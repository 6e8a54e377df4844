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
 * the same final states (every load's value and memory at the end). The programs are where a fence
 * drains several buffered stores, possibly to one location, which is how sleep sets once lost a
 * behaviour under TSO ({@link TsoTest#aStoreAFenceDrainsCanReachMemoryBeforeTheFenceWithSleepSets}).
 */
class TsoRandomProgramsTest {
    private static final int PROGRAMS = 150;
    /** Programs whose walk needs more executions are skipped (counted: most must fit). */
    private static final long WALK = 20_000;

    /** One operation: 0 store, 1 load, 2 smp_mb(), 3 xchg; on location loc with value v. */
    private record Op(int kind, int loc, int v) {
        @Override
        public String toString() {
            return switch (kind) {
                case 0 -> "x" + loc + "=" + v;
                case 1 -> "r=x" + loc;
                case 2 -> "mb";
                default -> "r=xchg(x" + loc + "," + v + ")";
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
                default -> {
                    return p.w[o.loc()].xchg(o.v());
                }
            }
            return 0;
        }, states);
    }

    @Test
    void theDporWithSleepSetsReachesEveryFinalStateTheWalkReaches() {
        assertTrue(Tso.MODEL.sleepSetsSound(), "this test is about the DPOR with sleep sets under TSO");
        Random rnd = new Random(28);
        int compared = 0;
        for (int k = 0; k < PROGRAMS; k++) {
            int cpus = 2 + rnd.nextInt(2);
            Op[][] ops = new Op[cpus][];
            int value = 1;
            for (int c = 0; c < cpus; c++) {
                ops[c] = new Op[1 + rnd.nextInt(cpus == 2 ? 5 : 3)];
                for (int i = 0; i < ops[c].length; i++) {
                    int kind = rnd.nextInt(10);
                    kind = kind < 4 ? 0 : kind < 7 ? 1 : kind < 9 ? 2 : 3;
                    ops[c][i] = new Op(kind, rnd.nextInt(3), value++);
                }
            }
            String text = java.util.Arrays.deepToString(ops);
            if (FinalStates.compare(k, text, states -> program(ops, states), Tso.MODEL, WALK) == null) {
                continue;
            }
            compared++;
        }
        assertTrue(compared >= PROGRAMS * 3 / 4, "only " + compared + " of " + PROGRAMS + " programs fit the walk's " + WALK + " executions");
    }
}
