package klm.explorer.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

import klm.explorer.Exhaustive;
import klm.explorer.Explorer;
import klm.explorer.Prog;
import klm.kernel.Barrier;
import klm.scenario.Outcome;

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
        return () -> {
            int[][] regs = new int[ops.length][];
            for (int c = 0; c < ops.length; c++) {
                regs[c] = new int[ops[c].length];
            }
            return new Prog(ops.length, (p, cpu) -> {
                for (int i = 0; i < ops[cpu].length; i++) {
                    Op o = ops[cpu][i];
                    switch (o.kind()) {
                        case 0 -> p.w[o.loc()].writeOnce(o.v());
                        case 1 -> regs[cpu][i] = p.w[o.loc()].readOnce();
                        case 2 -> Barrier.smpMb();
                        default -> regs[cpu][i] = p.w[o.loc()].xchg(o.v());
                    }
                }
            }, p -> {
                StringBuilder sb = new StringBuilder();
                for (int[] r : regs) {
                    sb.append(java.util.Arrays.toString(r));
                }
                sb.append(" mem ").append(p.w[0].readOnce()).append(',').append(p.w[1].readOnce()).append(',').append(p.w[2].readOnce());
                states.add(sb.toString());
                return Outcome.OK;
            });
        };
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
            Set<String> walk = new ConcurrentSkipListSet<>();
            Map<String, Integer> outcomes = Exhaustive.outcomes(program(ops, walk), Tso.MODEL, WALK);
            if (outcomes.keySet().stream().anyMatch(o -> o.startsWith("(stopped"))) {
                continue;
            }
            Set<String> dpor = new ConcurrentSkipListSet<>();
            Explorer.Result r = Explorer.explore(program(ops, dpor), Explorer.Options.DEFAULT.under(Tso.MODEL));
            assertTrue(r.complete(), text + ": the DPOR did not complete");
            Set<String> missed = new TreeSet<>(walk);
            missed.removeAll(dpor);
            Set<String> invented = new TreeSet<>(dpor);
            invented.removeAll(walk);
            assertEquals(Set.of(), missed, "program " + k + " " + text + ": final states every interleaving reaches and the DPOR"
                    + " under TSO does not (" + r.executions() + " executions, " + r.sleepBlocked() + " cut by sleep sets)");
            assertEquals(Set.of(), invented, "program " + k + " " + text + ": final states the DPOR under TSO reaches and no interleaving does");
            compared++;
        }
        assertTrue(compared >= PROGRAMS * 3 / 4, "only " + compared + " of " + PROGRAMS + " programs fit the walk's " + WALK + " executions");
    }
}
