package klm.explorer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

import klm.kernel.Mutex;
import klm.scenario.Outcome;
import klm.scenario.ScenarioRun;

/**
 * The explorer on programs whose executions can be counted by hand. Counts are of Mazurkiewicz
 * traces (executions up to swapping adjacent independent steps), the number an optimal DPOR
 * explores; where Flanagan-Godefroid DPOR may explore more, the test says so and bounds it.
 */
class ExplorerTest {

    static Supplier<Prog> prog(int cpus, Prog.Body body) {
        return () -> new Prog(cpus, body, p -> Outcome.OK);
    }

    static Explorer.Result explore(Supplier<Prog> s) {
        return Explorer.explore(s, Explorer.Options.DEFAULT);
    }

    @Test
    void independentWritesAreOneExecution() {
        for (int n = 1; n <= 4; n++) {
            Explorer.Result r = explore(prog(n, (p, cpu) -> p.w[cpu].writeOnce(1)));
            assertTrue(r.complete());
            assertEquals(1, r.executions(), n + " CPUs writing distinct locations");
        }
    }

    @Test
    void executionsReuseTheirCpuThreads() {
        // a thread per CPU per execution was most of an execution's time; the workers are kept
        Prog.Body inc = (p, cpu) -> p.w[0].writeOnce(p.w[0].readOnce() + 1);
        explore(prog(3, inc));
        java.util.Set<Thread> before = explorerThreads();
        Explorer.Result r = explore(prog(3, inc));
        assertTrue(r.executions() > 10, "enough executions to tell: " + r.executions());
        assertTrue(before.size() >= 3, "a worker per CPU index (as many as the widest exploration so far): " + before);
        assertEquals(before, explorerThreads(), "the same workers, no new thread per execution");
    }

    private static java.util.Set<Thread> explorerThreads() {
        java.util.Set<Thread> out = new java.util.HashSet<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("explorer-cpu")) {
                out.add(t);
            }
        }
        return out;
    }

    @Test
    void twoWritersOfOneLocationAreTwoExecutions() {
        Explorer.Result r = explore(prog(2, (p, cpu) -> p.w[0].writeOnce(cpu)));
        assertTrue(r.complete());
        assertEquals(2, r.executions());
    }

    @Test
    void unlockedCounterHasFourTracesAndLosesAnUpdate() {
        Prog.Body inc = (p, cpu) -> p.w[0].writeOnce(p.w[0].readOnce() + 1);
        // r0 w0 / r1 w1: the reads commute, everything else conflicts: 4 traces of the 6 interleavings.
        Explorer.Result all = explore(prog(2, inc));
        assertTrue(all.complete());
        assertEquals(4, all.executions());
        Explorer.Result found = Explorer.explore(() -> new Prog(2, inc,
                p -> p.w[0].readOnce() == 2 ? Outcome.OK : Outcome.violation("LOST_UPDATE", "counter " + p.w[0].readOnce())),
                Explorer.Options.DEFAULT);
        assertTrue(found.found());
        assertEquals("LOST_UPDATE", found.outcome().name());
        assertFalse(found.complete());
        assertTrue(found.trace().contains("CPU1"), found.trace());
        // the replay string runs the same execution again
        Explorer.Result again = Explorer.replay(() -> new Prog(2, inc,
                p -> p.w[0].readOnce() == 2 ? Outcome.OK : Outcome.violation("LOST_UPDATE", "counter " + p.w[0].readOnce())),
                found.schedule());
        assertEquals("LOST_UPDATE", again.outcome().name());
        assertEquals(found.trace(), again.trace());
    }

    @Test
    void lockedCounterIsCleanAndComplete() {
        Supplier<Prog> s = () -> new Prog(2, (p, cpu) -> {
            p.lock.spinLock();
            p.w[0].writeOnce(p.w[0].readOnce() + 1);
            p.lock.spinUnlock();
        }, p -> p.w[0].readOnce() == 2 ? Outcome.OK : Outcome.violation("LOST_UPDATE", ""));
        Explorer.Result r = Explorer.explore(s, Explorer.Options.DEFAULT);
        assertTrue(r.outcome().ok(), r.trace());
        assertTrue(r.complete());
        // two orders of the critical sections; FG-DPOR with sleep sets may add a few redundant ones
        assertTrue(r.executions() >= 2 && r.executions() <= 6, "executions " + r.executions());
    }

    @Test
    void abbaIsANamedDeadlock() {
        Supplier<Prog> s = prog(2, (p, cpu) -> {
            Mutex first = cpu == 0 ? p.a : p.b;
            Mutex second = cpu == 0 ? p.b : p.a;
            first.mutexLock();
            second.mutexLock();
            second.mutexUnlock();
            first.mutexUnlock();
        });
        Explorer.Result r = explore(s);
        assertEquals("DEADLOCK", r.outcome().name(), r.trace());
        assertTrue(r.outcome().detail().contains("lock_a") && r.outcome().detail().contains("lock_b"), r.outcome().detail());
        assertTrue(r.trace().contains("mutex_lock(lock_b)"), r.trace());
    }

    @Test
    void theCounterexampleShowsUnlocksAndContextDecisionsWithinTheWidth() {
        Supplier<Prog> s = () -> new Prog(2, (p, cpu) -> {
            if (klm.kernel.Kernel.inTask()) {
                p.a.mutexLock();
                p.w[0].writeOnce(p.w[0].readOnce() + 1);
                p.a.mutexUnlock();
            }
            p.w[1].writeOnce(p.w[1].readOnce() + 1); // unlocked: an update can be lost
        }, p -> p.w[1].readOnce() == 2 ? Outcome.OK : Outcome.violation("LOST_UPDATE", "a very long explanation of what"
                + " went wrong, long enough to need more than one line of the table's hundred characters, so it is wrapped"));
        Explorer.Result r = explore(s);
        assertEquals("LOST_UPDATE", r.outcome().name(), r.trace());
        assertTrue(r.trace().contains("(in_task() = true)"), r.trace());
        assertTrue(r.trace().contains("mutex_unlock(lock_a)"), r.trace());
        assertTrue(r.trace().lines().allMatch(l -> l.length() <= 100), r.trace());
    }

    @Test
    void oneLockOrderIsCleanAndComplete() {
        Explorer.Result r = explore(prog(2, (p, cpu) -> {
            p.a.mutexLock();
            p.b.mutexLock();
            p.b.mutexUnlock();
            p.a.mutexUnlock();
        }));
        assertTrue(r.outcome().ok(), r.trace());
        assertTrue(r.complete());
    }

    @Test
    void badReplayStringsSayWhatIsValid() {
        Supplier<Prog> s = prog(2, (p, cpu) -> p.w[cpu].writeOnce(1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Explorer.replay(s, "0x1.zz"));
        assertTrue(e.getMessage().contains("0x5.1x3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Explorer.replay(s, "5x1"));
        assertTrue(e.getMessage().contains("0..1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Explorer.replay(s, "0x1"));
        assertTrue(e.getMessage().contains("does not belong"), e.getMessage());
    }

    @Test
    void aBadMemoryModelNameSaysWhatIsValid() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> klm.explorer.memory.MemoryModels.parse("arm"));
        assertTrue(e.getMessage().contains(klm.explorer.memory.MemoryModels.ids()), e.getMessage());
    }

    @Test
    void anExplorationCutByTheStepBoundIsNeverComplete() {
        Supplier<Prog> counter = Prog.of(2, (p, cpu) -> p.w[0].writeOnce(p.w[0].readOnce() + 1));
        Explorer.Result full = explore(counter);
        assertTrue(full.complete() && full.stepBoundHits() == 0);
        Explorer.Result cut = Explorer.explore(counter, new Explorer.Options(1_000, 2));
        assertFalse(cut.complete(), "every execution needs 4 steps; a bound of 2 cuts them all");
        assertTrue(cut.stepBoundHits() > 0);
        assertEquals(0, cut.executions(), "a cut execution is not counted as run");
        Explorer.Result budget = Explorer.explore(counter, new Explorer.Options(2, 20_000));
        assertFalse(budget.complete(), "the budget ran out before the 4 traces");
        assertTrue(budget.budgetExhausted());
    }

    @Test
    void anExecutionThatEndsWithAnInterruptUndeliveredIsAnErrorNamingIt() {
        // CPU0 finishes with interrupts off; CPU1 raises an interrupt for it that can never be taken
        Supplier<Prog> s = Prog.of(2, (p, cpu) -> {
            if (cpu == 0) {
                klm.kernel.Kernel.localIrqDisable();
            } else {
                p.smp().cpu(0).raiseHardirq("test-irq", () -> { });
            }
        });
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> explore(s));
        assertTrue(e.getMessage().contains("an interrupt raised for CPU0 and not delivered"), e.getMessage());
    }
}
