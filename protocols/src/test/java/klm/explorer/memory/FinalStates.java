package klm.explorer.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.function.Function;
import java.util.function.Supplier;

import klm.explorer.Exhaustive;
import klm.explorer.Explorer;
import klm.explorer.Prog;
import klm.scenario.Outcome;
import klm.scenario.ScenarioRun;

/**
 * The random-program tests' comparison: the final states the DPOR reaches under a model against
 * those of the walk over every interleaving (and read choice), which must be exactly equal.
 */
final class FinalStates {
    private FinalStates() {}

    /** Runs operation {@code i} of CPU {@code cpu} of a random program; returns the value it read (0 if none). */
    interface Op {
        int run(Prog p, int cpu, int i);
    }

    /**
     * A program of {@code lengths[c]} operations on CPU c, each run by {@code op}: a run adds its
     * final state (every operation's value read, then memory of the first three words) to
     * {@code states}.
     */
    static Supplier<Prog> program(int[] lengths, Op op, Set<String> states) {
        return () -> {
            int[][] regs = new int[lengths.length][];
            for (int c = 0; c < lengths.length; c++) {
                regs[c] = new int[lengths[c]];
            }
            return new Prog(lengths.length, (p, cpu) -> {
                for (int i = 0; i < lengths[cpu]; i++) {
                    regs[cpu][i] = op.run(p, cpu, i);
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

    /**
     * The model the walk runs under for a comparison under {@code model}: the same, except that
     * under RA the walk takes the order of full barriers from the schedule (every order of every
     * two barriers, as the global fence view does), which RA's DPOR checks on the graph instead.
     */
    static MemoryModel walked(MemoryModel model) {
        return model == Ra.MODEL ? Ra.FENCE_ORDER_ENUMERATED : model;
    }

    /** What one comparison cost: executions the DPOR started (run and cut) and the walk ran. */
    record Cost(long dpor, long walk) {}

    /**
     * Compares program {@code k} ({@code text}; {@code program} makes a run that adds its final
     * state to the set given) under {@code model}; null when the walk needs more than {@code walkCap}
     * executions (nothing compared), else what it cost. Fails naming the program and the states
     * one side reached and the other did not.
     */
    static Cost compare(int k, String text, Function<Set<String>, Supplier<? extends ScenarioRun>> program, MemoryModel model, long walkCap) {
        Set<String> walk = new ConcurrentSkipListSet<>();
        Map<String, Integer> outcomes = Exhaustive.outcomes(program.apply(walk), walked(model), walkCap);
        if (outcomes.keySet().stream().anyMatch(o -> o.startsWith("(stopped"))) {
            return null;
        }
        Set<String> dpor = new ConcurrentSkipListSet<>();
        Explorer.Result r = Explorer.explore(program.apply(dpor), Explorer.Options.DEFAULT.under(model));
        assertTrue(r.complete(), "program " + k + " " + text + ": the DPOR did not complete: " + r.outcome() + "\n" + r.trace());
        Set<String> missed = new TreeSet<>(walk);
        missed.removeAll(dpor);
        Set<String> invented = new TreeSet<>(dpor);
        invented.removeAll(walk);
        String m = model.id().toUpperCase(java.util.Locale.ROOT);
        assertEquals(Set.of(), missed, "program " + k + " " + text + ": final states the walk over every interleaving"
                + (model.readChoices() ? " and read choice" : "") + " reaches and the DPOR under " + m + " does not ("
                + r.executions() + " executions, " + r.sleepBlocked() + " cut by sleep sets)");
        assertEquals(Set.of(), invented, "program " + k + " " + text + ": final states the DPOR under " + m + " reaches and no interleaving does");
        return new Cost(r.executions() + r.sleepBlocked(), outcomes.values().stream().mapToLong(Integer::longValue).sum());
    }
}
