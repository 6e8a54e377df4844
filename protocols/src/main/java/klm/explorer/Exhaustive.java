package klm.explorer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import klm.kernel.Scheduler;
import klm.scenario.Outcome;
import klm.scenario.ScenarioRun;

/**
 * Every interleaving, without reduction: a depth-first walk over every enabled entity at every
 * state. Exponential, so only for small scenarios; it is the reference the DPOR's reductions are
 * checked against (a reduction must find every outcome this finds).
 */
final class Exhaustive implements Scheduler.Strategy {
    /** Per state: the enabled entities (a mask) and the one chosen. */
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
            int rest = n[0] & ~((2 << n[1]) - 1);
            if (rest != 0) {
                n[1] = Integer.numberOfTrailingZeros(rest);
                return true;
            }
            stack.remove(stack.size() - 1);
        }
        return false;
    }

    @Override
    public int choose(Scheduler s) {
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
            stack.add(new int[] {mask, q});
        }
        depth++;
        return q;
    }

    @Override
    public void terminal(Scheduler s) {}

    /** Every execution's outcome name, with how many executions ended in it, up to {@code max} executions. */
    static Map<String, Integer> outcomes(Supplier<? extends ScenarioRun> scenario, Scheduler.Memory memory, long max) {
        Exhaustive e = new Exhaustive();
        Map<String, Integer> out = new LinkedHashMap<>();
        long n = 0;
        do {
            ScenarioRun run = scenario.get();
            e.beginExecution(memory.entities(run.cpus()));
            run.runControlled(e, memory);
            Outcome o = run.outcome();
            out.merge(o.name(), 1, Integer::sum);
            if (++n >= max) {
                out.put("(stopped after " + max + " executions)", 1);
                break;
            }
        } while (e.nextExecution());
        return out;
    }
}
