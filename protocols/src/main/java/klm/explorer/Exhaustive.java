package klm.explorer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import klm.explorer.engine.State;
import klm.explorer.engine.Strategy;
import klm.explorer.memory.MemoryModel;
import klm.scenario.Outcome;
import klm.scenario.ScenarioRun;

/**
 * Every interleaving, without reduction: a depth-first walk over every enabled entity at every
 * state. Exponential, so only for small scenarios; it is the reference the DPOR's reductions are
 * checked against (a reduction must find every outcome this finds).
 */
public final class Exhaustive implements Strategy {
    /** Per state: the enabled entities (a mask), the one chosen, and, where the model lets a load choose, which write it reads of how many. */
    private final List<int[]> stack = new ArrayList<>();
    private int depth;
    private int entities;

    void beginExecution(int entities) {
        this.entities = entities;
        depth = 0;
    }

    boolean nextExecution() {
        while (!stack.isEmpty()) {
            int[] n = stack.get(stack.size() - 1);
            if (n[2] + 1 < n[3]) {
                n[2]++; // the same step, reading the next older write
                return true;
            }
            int rest = n[0] & ~((2 << n[1]) - 1);
            if (rest != 0) {
                n[1] = Integer.numberOfTrailingZeros(rest);
                n[2] = 0;
                n[3] = 0;
                return true;
            }
            stack.remove(stack.size() - 1);
        }
        return false;
    }

    @Override
    public int choose(State s) {
        int q;
        if (depth < stack.size()) {
            q = stack.get(depth)[1];
        } else {
            int mask = 0;
            for (int p = 0; p < entities; p++) {
                if (s.isEnabled(p)) {
                    mask |= 1 << p;
                }
            }
            q = Integer.numberOfTrailingZeros(mask);
            stack.add(new int[] {mask, q, 0, 0});
        }
        depth++;
        return q;
    }

    @Override
    public int chooseRead(State s, int n) {
        int[] node = stack.get(depth - 1);
        node[3] = n;
        return node[2];
    }

    @Override
    public void terminal(State s) {}

    /** Every execution's outcome name, with how many executions ended in it, up to {@code max} executions. */
    public static Map<String, Integer> outcomes(Supplier<? extends ScenarioRun> scenario, MemoryModel memory, long max) {
        return outcomes(scenario, memory, max, null);
    }

    /** As {@link #outcomes(Supplier, MemoryModel, long)}, ending the walk at the first execution with outcome {@code until} (null: never). */
    public static Map<String, Integer> outcomes(Supplier<? extends ScenarioRun> scenario, MemoryModel memory, long max, String until) {
        Exhaustive e = new Exhaustive();
        Map<String, Integer> out = new LinkedHashMap<>();
        long n = 0;
        do {
            ScenarioRun run = scenario.get();
            e.beginExecution(run.cpus() + memory.extraEntities(run.cpus()));
            Explorer.execute(run, e, memory);
            Outcome o = run.outcome();
            out.merge(o.name(), 1, Integer::sum);
            if (o.name().equals(until)) {
                break; // what the caller asked about is found: the rest of the walk cannot change the answer
            }
            if (++n >= max) {
                out.put("(stopped after " + max + " executions)", 1);
                break;
            }
        } while (e.nextExecution());
        return out;
    }
}
