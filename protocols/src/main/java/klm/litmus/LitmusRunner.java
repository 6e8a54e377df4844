package klm.litmus;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Function;

import klm.explorer.Explorer;
import klm.kernel.Barrier;
import klm.kernel.Ptr;
import klm.explorer.memory.MemoryModel;
import klm.explorer.memory.MemoryModels;
import klm.kernel.SpinLock;
import klm.kernel.Word;
import klm.litmus.Ast.*;
import klm.scenario.Outcome;
import klm.scenario.ScenarioRun;

/**
 * Runs a litmus test under the explorer's memory models: the tree is interpreted on the kernel
 * runtime's objects ({@link Word} for an int, {@link Ptr} for a pointer, {@link SpinLock} for a
 * spinlock_t), each primitive mapped by the project's memory-ordering mapping. The exploration
 * records every final state; the answer is herd7's ({@code Never}, {@code Sometimes},
 * {@code Always}), and for a witness a second exploration stops at a state satisfying the clause
 * to give the counterexample's table and replay string.
 */
public final class LitmusRunner {
    private LitmusRunner() {}

    /** The explorer's memory models: the one place this package names them. */
    public static List<MemoryModel> models() {
        return MemoryModels.all();
    }

    /** The model whose id is {@code id}, or an error listing the valid ones. */
    public static MemoryModel model(String id) {
        for (MemoryModel m : models()) {
            if (m.id().equals(id)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown memory model '" + id + "'; valid: "
                + models().stream().map(MemoryModel::id).toList());
    }

    /** What one model answers for one test. */
    public record Answer(Ast.Test test, String model, Map<String, Long> states, long positive, long negative,
                         String observation, boolean complete, long executions, double millis, String witnessTrace,
                         String witnessSchedule) {
        /** herd7's report, followed by the witness's table and replay string when there is one. */
        public String report() {
            StringBuilder sb = new StringBuilder();
            sb.append("Test ").append(test.name()).append(" Allowed (model ").append(model).append(")\n");
            sb.append("States ").append(states.size()).append('\n');
            states.keySet().forEach(s -> sb.append(s).append('\n'));
            boolean ok = observation.equals("Never") ? test.quantifier() == Quantifier.NOT_EXISTS
                    : test.quantifier() == Quantifier.EXISTS || observation.equals("Always");
            sb.append(ok ? "Ok" : "No").append('\n');
            sb.append("Witnesses\nPositive: ").append(positive).append(" Negative: ").append(negative).append('\n');
            sb.append("Condition ").append(test.quantifier().text()).append(" (").append(Cond2.text(test.condition())).append(")\n");
            sb.append("Observation ").append(test.name()).append(' ').append(observation).append(' ').append(positive)
                    .append(' ').append(negative).append('\n');
            sb.append(String.format(Locale.ROOT, "Time %s %.3f%n", test.name(), millis / 1000));
            if (!complete) {
                sb.append("(the exploration did not complete: no answer Never can be given)\n");
            }
            if (!witnessTrace.isEmpty()) {
                sb.append("Witness under ").append(model).append(":\n").append(witnessTrace).append('\n')
                        .append("replay: ").append(witnessSchedule).append('\n');
            }
            return sb.toString();
        }
    }

    /** Runs {@code t} under {@code m}. */
    public static Answer run(Ast.Test t, MemoryModel m) {
        Interp.check(t);
        Map<String, Long> states = new ConcurrentSkipListMap<>();
        Map<String, Boolean> holds = new HashMap<>();
        Explorer.Result all = Explorer.explore(() -> new Run(t, states, holds, false), Explorer.Options.DEFAULT.under(m));
        long pos = 0;
        long neg = 0;
        for (Map.Entry<String, Long> e : states.entrySet()) {
            if (holds.get(e.getKey())) {
                pos += e.getValue();
            } else {
                neg += e.getValue();
            }
        }
        boolean complete = all.complete() && all.outcome().ok();
        String obs = pos == 0 ? (complete ? "Never" : "Unknown") : neg == 0 && complete ? "Always" : "Sometimes";
        String trace = "";
        String schedule = "";
        if (pos > 0) {
            Explorer.Result w = Explorer.explore(() -> new Run(t, new HashMap<>(), new HashMap<>(), true),
                    Explorer.Options.DEFAULT.under(m));
            trace = w.trace();
            schedule = w.schedule();
        }
        if (!all.outcome().ok()) {
            throw new LitmusException(t.pos(), "the exploration under " + m.id() + " went wrong: " + all.outcome());
        }
        return new Answer(t, m.id(), states, pos, neg, obs, complete, all.executions(), all.millis(), trace, schedule);
    }

    /**
     * The final states of {@code t} under {@code m} as the exhaustive walk (klm.explorer.Exhaustive, every
     * interleaving and every read choice, no reduction) reaches them, up to {@code max} executions; the DPOR's
     * states are {@link Answer#states()}. Null if the walk stopped at {@code max}.
     */
    public static java.util.Set<String> exhaustiveStates(Ast.Test t, MemoryModel m, long max) {
        Interp.check(t);
        Map<String, Long> states = new ConcurrentSkipListMap<>();
        Map<String, Integer> outcomes = klm.explorer.Exhaustive.outcomes(() -> new Run(t, states, new HashMap<>(), false), m, max);
        if (outcomes.keySet().stream().anyMatch(k -> k.startsWith("(stopped"))) {
            return null;
        }
        return states.keySet();
    }

    /** Writes a condition back in the file's syntax. */
    static final class Cond2 {
        static String text(Cond c) {
            if (c instanceof And a) {
                return text(a.left()) + " /\\ " + text(a.right());
            } else if (c instanceof Or o) {
                return "(" + text(o.left()) + " \\/ " + text(o.right()) + ")";
            } else if (c instanceof Not n) {
                return "~(" + text(n.operand()) + ")";
            } else if (c instanceof Bool b) {
                return Boolean.toString(b.value());
            }
            Atom a = (Atom) c;
            return a.ref() + (a.equal() ? "=" : "!=") + a.value();
        }
    }

    /** One execution: the test's locations and each thread's registers. */
    static final class Run extends ScenarioRun {
        private final Ast.Test t;
        private final Map<String, Long> states;
        private final Map<String, Boolean> holds;
        private final boolean stopAtWitness;
        final Map<String, Object> locs = new LinkedHashMap<>();
        final List<Map<String, Object>> regs = new ArrayList<>();

        Run(Ast.Test t, Map<String, Long> states, Map<String, Boolean> holds, boolean stopAtWitness) {
            super(t.threads().size());
            this.t = t;
            this.states = states;
            this.holds = holds;
            this.stopAtWitness = stopAtWitness;
            Interp.setUp(t, locs, regs);
        }

        @Override
        protected void task(int cpu) {
            new Interp(t, locs, regs.get(cpu), cpu).run(t.threads().get(cpu).body());
        }

        @Override
        protected Outcome check() {
            Map<String, String> state = new TreeMap<>();
            for (Map.Entry<String, Object> e : locs.entrySet()) {
                if (!(e.getValue() instanceof SpinLock)) {
                    state.put(e.getKey(), show(Interp.finalValue(e.getValue())));
                }
            }
            for (int i = 0; i < regs.size(); i++) {
                for (Map.Entry<String, Object> e : regs.get(i).entrySet()) {
                    state.put(i + ":" + e.getKey(), show(e.getValue()));
                }
            }
            StringBuilder sb = new StringBuilder();
            state.forEach((k, v) -> sb.append(k).append('=').append(v).append("; "));
            String key = sb.toString().strip();
            boolean h = Interp.holds(t.condition(), this);
            boolean filtered = t.filter().map(f -> Interp.holds(f, this)).orElse(true);
            if (!filtered) {
                return Outcome.OK;
            }
            synchronized (states) {
                states.merge(key, 1L, Long::sum);
                holds.put(key, h);
            }
            boolean witness = t.quantifier() == Quantifier.FORALL ? !h : h;
            return stopAtWitness && witness ? Outcome.violation("EXISTS", "the final clause of " + t.name() + " holds: " + key)
                    : Outcome.OK;
        }

        private String show(Object v) {
            if (v instanceof Integer || v instanceof Long) {
                return v.toString();
            }
            for (Map.Entry<String, Object> e : locs.entrySet()) {
                if (e.getValue() == v) {
                    return e.getKey();
                }
            }
            return String.valueOf(v);
        }
    }
}
