package klm.explorer;

import java.util.List;
import java.util.function.Supplier;

import klm.explorer.engine.Execution;
import klm.explorer.engine.State;
import klm.explorer.engine.Strategy;
import klm.explorer.memory.MemoryModel;
import klm.explorer.memory.MemoryModels;
import klm.scenario.Outcome;
import klm.scenario.ScenarioRun;

/**
 * The explorer: a stateless model checker inside the kernel runtime. It runs a scenario again and
 * again as controlled executions ({@link Execution}), one per schedule, under a memory model
 * ({@link MemoryModel}), choosing
 * the schedules by dynamic partial-order reduction with sleep sets ({@link Dpor}), until every
 * execution up to equivalence has been run (a <em>complete</em> exploration), a bad outcome is
 * found (the first counterexample stops it), or a budget runs out.
 *
 * <p>Needs the JVM to run in explorer mode ({@code -Dklm.blocking=explorer}).
 */
public final class Explorer {
    private Explorer() {}

    /** Budgets: executions, and steps per execution (an execution over it is cut and counted, never silently dropped). */
    public record Options(long maxExecutions, int maxSteps, MemoryModel memory) {
        public static final Options DEFAULT = new Options(2_000_000, 20_000);

        public Options(long maxExecutions, int maxSteps) {
            this(maxExecutions, maxSteps, MemoryModels.strongest());
        }

        /** The same budgets under another memory model. */
        public Options under(MemoryModel m) {
            return new Options(maxExecutions, maxSteps, m);
        }
    }

    /** What an exploration found. */
    public record Result(
            /** OK if no execution went wrong, else the first bad outcome. */
            Outcome outcome,
            /** Executions run to their end (not counting cut ones). */
            long executions,
            /** Executions cut because every enabled CPU was in the sleep set (equivalent to one already run). */
            long sleepBlocked,
            /** Executions cut at the step bound: the exploration is then not complete. */
            long stepBoundHits,
            /** Executions that ended with no CPU able to move (deadlocks, including the one reported). */
            long blocked,
            /** Every execution up to equivalence was run (no step bound hit, no budget exhausted, nothing found before the end). */
            boolean complete,
            /** The budget of executions ran out. */
            boolean budgetExhausted,
            long timeNanos,
            /** Index (1-based) of the execution that found the counterexample, or 0. */
            long firstCounterexample,
            /** The counterexample's table, or empty. */
            String trace,
            /** The counterexample's replay string, or empty. */
            String schedule,
            /** The id of the memory model explored ("sc"). */
            String memory) {

        public boolean found() {
            return !outcome.ok();
        }

        public double millis() {
            return timeNanos / 1e6;
        }
    }

    /** Explores every execution of the scenario (fresh from {@code scenario} for each). */
    public static Result explore(Supplier<? extends ScenarioRun> scenario, Options options) {
        long t0 = System.nanoTime();
        Dpor dpor = new Dpor(options.maxSteps());
        long executions = 0;
        long sleepBlocked = 0;
        long boundHits = 0;
        long blocked = 0;
        long attempts = 0;
        boolean more = true;
        while (more) {
            if (attempts >= options.maxExecutions()) {
                return new Result(Outcome.OK, executions, sleepBlocked, boundHits, blocked, false, true,
                        System.nanoTime() - t0, 0, "", "", mem(options.memory()));
            }
            attempts++;
            ScenarioRun run = scenario.get();
            MemoryModel model = options.memory();
            dpor.beginExecution(run.cpus() + model.extraEntities(run.cpus()), run.cpus(), model.sleepSetsSound(), model.loadsFollowReadsFrom(),
                    model.entitiesCommuteWithTheirCpu());
            Execution s = execute(run, dpor, model);
            if (s.cut()) {
                if (dpor.hitStepBound) {
                    boundHits++;
                } else {
                    sleepBlocked++;
                }
            } else {
                executions++;
                if (s.deadlock() != null) {
                    blocked++;
                }
                Outcome out = run.outcome();
                if (!out.ok()) {
                    String table = Trace.table(dpor.steps, s, run, ending(out));
                    return new Result(out, executions, sleepBlocked, boundHits, blocked, false, false,
                            System.nanoTime() - t0, executions, table, Trace.schedule(dpor.steps, run.cpus(), options.memory()),
                            mem(options.memory()));
                }
            }
            more = dpor.nextExecution();
        }
        return new Result(Outcome.OK, executions, sleepBlocked, boundHits, blocked, boundHits == 0, false,
                System.nanoTime() - t0, 0, "", "", mem(options.memory()));
    }

    /**
     * Runs the one execution a replay string names and returns its outcome and table. A string
     * that is malformed, or names a CPU that cannot move at that step, or ends before the
     * execution does, is an {@link IllegalArgumentException} saying so.
     */
    public static Result replay(Supplier<? extends ScenarioRun> scenario, String schedule) {
        return replay(scenario, schedule, MemoryModels.strongest());
    }

    /** As {@link #replay(Supplier, String)}, under memory model {@code memory} (its entities by its letter: "b0"). */
    public static Result replay(Supplier<? extends ScenarioRun> scenario, String schedule, MemoryModel memory) {
        long t0 = System.nanoTime();
        ScenarioRun run = scenario.get();
        int[] choices = Trace.parseSchedule(schedule, run.cpus(), memory);
        Replay r = new Replay(choices);
        Execution s = execute(run, r, memory);
        if (r.error != null) {
            throw new IllegalArgumentException(r.error);
        }
        if (r.depth < choices.length) {
            throw new IllegalArgumentException("the execution ended after " + r.depth + " steps but the replay string has "
                    + choices.length + "; it does not belong to this variant");
        }
        Outcome out = run.outcome();
        String table = Trace.table(r.steps, s, run, out.ok() ? "OK" : ending(out));
        return new Result(out, 1, 0, 0, s.deadlock() != null ? 1 : 0, false, false, System.nanoTime() - t0,
                out.ok() ? 0 : 1, table, Trace.schedule(r.steps, run.cpus(), memory), mem(memory));
    }

    /** The line after "=>": the outcome's name and detail (once, where the detail already starts with the name). */
    private static String ending(Outcome out) {
        return out.detail().startsWith(out.name() + ":") ? out.detail() : out.name() + ": " + out.detail();
    }

    private static String mem(MemoryModel m) {
        return m.id();
    }

    /** Runs one execution of {@code run}'s CPUs, driven by {@code strategy}, under {@code model}. */
    static Execution execute(ScenarioRun run, Strategy strategy, MemoryModel model) {
        return Execution.run(run.smp(), run.controlledBodies(), strategy, model);
    }

    /** Follows a given schedule. */
    private static final class Replay implements Strategy {
        final int[] choices;
        int depth;
        String error;
        final List<Trace.Step> steps = new java.util.ArrayList<>();

        Replay(int[] choices) {
            this.choices = choices;
        }

        @Override
        public int choose(State s) {
            if (error != null) {
                return CUT;
            }
            if (depth >= choices.length) {
                error = "the replay string ends after " + choices.length + " steps but the execution goes on; it does not belong to this variant";
                return CUT;
            }
            int q = Trace.entityOf(choices[depth]);
            if (!s.isEnabled(q)) {
                error = "step " + (depth + 1) + " of the replay string runs " + s.cpuName(q) + ", which cannot move at that point; it does not belong to this variant";
                return CUT;
            }
            steps.add(new Trace.Step(q, s.label(q), s.decisions(q), s.context(q), s.footprint(q)));
            depth++;
            return q;
        }

        @Override
        public int chooseRead(State s, int n) {
            int k = Trace.readOf(choices[depth - 1]);
            if (k >= n) {
                error = "step " + depth + " of the replay string reads the write " + k + " before the newest, but "
                        + s.cpuName(Trace.entityOf(choices[depth - 1])) + " can read only " + (n - 1)
                        + (n - 1 == 1 ? " older one" : " older ones") + " there; it does not belong to this variant";
                k = 0;
            }
            steps.set(depth - 1, steps.get(depth - 1).reading(k));
            return k;
        }

        @Override
        public void terminal(State s) {}
    }
}
