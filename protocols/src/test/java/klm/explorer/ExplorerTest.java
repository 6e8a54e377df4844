package klm.explorer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

import klm.kernel.Mutex;
import klm.kernel.SpinLock;
import klm.kernel.Word;
import klm.scenario.Outcome;
import klm.scenario.ScenarioRun;

/**
 * The explorer on programs whose executions can be counted by hand. Counts are of Mazurkiewicz
 * traces (executions up to swapping adjacent independent steps), the number an optimal DPOR
 * explores; where Flanagan-Godefroid DPOR may explore more, the test says so and bounds it.
 */
class ExplorerTest {

    /** N CPUs, each does its body; the invariant is given. */
    static final class Prog extends ScenarioRun {
        interface Body {
            void run(Prog p, int cpu);
        }

        interface Check {
            Outcome check(Prog p);
        }

        final Word[] w = new Word[4];
        final SpinLock lock = new SpinLock("test_lock");
        final Mutex a = new Mutex("lock_a");
        final Mutex b = new Mutex("lock_b");
        private final Body body;
        private final Check check;

        Prog(int cpus, Body body, Check check) {
            super(cpus);
            for (int i = 0; i < w.length; i++) {
                w[i] = new Word();
            }
            this.body = body;
            this.check = check;
        }

        @Override
        protected void task(int cpu) {
            body.run(this, cpu);
        }

        @Override
        protected Outcome check() {
            return check.check(this);
        }
    }

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
        // issue 12: a thread per CPU per execution was most of an execution's time; the workers are kept
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

    // ---------------------------------------------------------------- the TSO model (issue 13)

    private static final Explorer.Options TSO = Explorer.Options.DEFAULT.under(klm.explorer.memory.Tso.MODEL);

    /** SB: each CPU stores its flag, then loads the other's; both loads seeing 0 is the store-buffering outcome. */
    private static Supplier<Prog> sb(boolean mb) {
        return () -> new Prog(2, (p, cpu) -> {
            p.w[cpu].writeOnce(1);
            if (mb) {
                klm.kernel.Barrier.smpMb();
            }
            p.w[2 + cpu].writeOnce(p.w[1 - cpu].readOnce());
        }, p -> p.w[2].readOnce() == 0 && p.w[3].readOnce() == 0
                ? Outcome.violation("SB", "both loads read 0") : Outcome.OK);
    }

    @Test
    void storeBufferingIsATsoOutcomeAndNotAnScOne() {
        Explorer.Result sc = explore(sb(false));
        assertTrue(sc.outcome().ok() && sc.complete(), "SC forbids SB: " + sc.trace());
        Explorer.Result tso = Explorer.explore(sb(false), TSO);
        assertEquals("SB", tso.outcome().name(), "TSO allows SB");
        assertTrue(tso.trace().contains("store buffered"), tso.trace());
        assertTrue(tso.schedule().contains("b"), "a store buffer's step is in the replay string: " + tso.schedule());
        Explorer.Result again = Explorer.replay(sb(false), tso.schedule(), klm.explorer.memory.Tso.MODEL);
        assertEquals("SB", again.outcome().name(), again.trace());
        Explorer.Result mb = Explorer.explore(sb(true), TSO);
        assertTrue(mb.outcome().ok() && mb.complete(), "smp_mb() between the store and the load forbids SB: " + mb.trace());
    }

    @Test
    void tsoKeepsStoresInOrder() {
        // MP: CPU0 writes data then flag; CPU1 reads flag then data. TSO never shows flag=1, data=0.
        Supplier<Prog> mp = () -> new Prog(2, (p, cpu) -> {
            if (cpu == 0) {
                p.w[0].writeOnce(1);
                p.w[1].writeOnce(1);
            } else {
                p.w[2].writeOnce(p.w[1].readOnce());
                p.w[3].writeOnce(p.w[0].readOnce());
            }
        }, p -> p.w[2].readOnce() == 1 && p.w[3].readOnce() == 0 ? Outcome.violation("MP", "flag without data") : Outcome.OK);
        Explorer.Result r = Explorer.explore(mp, TSO);
        assertTrue(r.outcome().ok() && r.complete(), r.trace());
    }

    @Test
    void aCpuReadsItsOwnBufferedStoreAndAnRmwDrainsTheBuffer() {
        // CPU0: x = 1; r = x (its own buffered store: 1); CPU1: xchg(y, 1) after its store to x drains it.
        Supplier<Prog> own = () -> new Prog(1, (p, cpu) -> {
            p.w[0].writeOnce(1);
            p.w[1].writeOnce(p.w[0].readOnce());
        }, p -> p.w[1].readOnce() == 1 ? Outcome.OK : Outcome.violation("OWN", "did not read its own store"));
        Explorer.Result r = Explorer.explore(own, TSO);
        assertTrue(r.outcome().ok() && r.complete(), r.trace());
        // SB with an xchg as each CPU's store: the locked instruction drains, so SB is forbidden
        Supplier<Prog> xchg = () -> new Prog(2, (p, cpu) -> {
            p.w[cpu].xchg(1);
            p.w[2 + cpu].writeOnce(p.w[1 - cpu].readOnce());
        }, p -> p.w[2].readOnce() == 0 && p.w[3].readOnce() == 0 ? Outcome.violation("SB", "both 0") : Outcome.OK);
        Explorer.Result x = Explorer.explore(xchg, TSO);
        assertTrue(x.outcome().ok() && x.complete(), x.trace());
    }

    // ---------------------------------------------------------------- the release/acquire model (issue 13)

    private static final Explorer.Options RA = Explorer.Options.DEFAULT.under(klm.explorer.memory.Ra.MODEL);

    /** MP: data then flag; the reader takes flag then data; {@code release} publishes the flag with smp_store_release(). */
    private static Supplier<Prog> mp(boolean release) {
        return () -> new Prog(2, (p, cpu) -> {
            if (cpu == 0) {
                p.w[0].writeOnce(1);
                if (release) {
                    p.w[1].storeRelease(1);
                } else {
                    p.w[1].writeOnce(1);
                }
            } else {
                int flag = release ? p.w[1].loadAcquire() : p.w[1].readOnce();
                p.w[2].writeOnce(flag);
                p.w[3].writeOnce(p.w[0].readOnce());
            }
        }, p -> p.w[2].readOnce() == 1 && p.w[3].readOnce() == 0 ? Outcome.violation("MP", "flag without data") : Outcome.OK);
    }

    @Test
    void underRaAStaleReadIsAChoiceTheTraceAndTheReplayStringName() {
        Explorer.Result r = Explorer.explore(mp(false), RA);
        assertEquals("MP", r.outcome().name(), "RA lets the reader see the flag before the data");
        assertTrue(r.trace().contains("reads an old write"), r.trace());
        assertTrue(r.schedule().matches(".*\\dr1.*"), "the stale read is an 'r' run of the replay string: " + r.schedule());
        Explorer.Result again = Explorer.replay(mp(false), r.schedule(), klm.explorer.memory.Ra.MODEL);
        assertEquals("MP", again.outcome().name(), again.trace());
        Explorer.Result fixed = Explorer.explore(mp(true), RA);
        assertTrue(fixed.outcome().ok() && fixed.complete(), "release/acquire forbids it: " + fixed.trace());
        // an 'r' run outside RA, and a read past the oldest write, are named errors
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Explorer.replay(mp(false), r.schedule()));
        assertTrue(e.getMessage().contains("-Dklm.memory=ra"), e.getMessage());
        String tooOld = r.schedule().replaceFirst("r1", "r9");
        e = assertThrows(IllegalArgumentException.class, () -> Explorer.replay(mp(false), tooOld, klm.explorer.memory.Ra.MODEL));
        assertTrue(e.getMessage().contains("older one"), e.getMessage());
    }

    @Test
    void aBadMemoryModelNameSaysWhatIsValid() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> klm.explorer.memory.MemoryModels.parse("arm"));
        assertTrue(e.getMessage().contains("sc, tso, ra"), e.getMessage());
    }

    /** Under TSO the DPOR must reach every outcome the walk over every interleaving reaches. */
    private static void sameOutcomesAsEveryInterleaving(Supplier<Prog> scenario, String bad) {
        java.util.Map<String, Integer> all = Exhaustive.outcomes(scenario, klm.explorer.memory.Tso.MODEL, 200_000);
        assertFalse(all.keySet().stream().anyMatch(k -> k.startsWith("(stopped")), "the exhaustive walk must end: " + all);
        Explorer.Result r = Explorer.explore(scenario, TSO);
        if (all.containsKey(bad)) {
            assertEquals(bad, r.outcome().name(), "every interleaving reaches " + bad + " (" + all + "); the DPOR must too");
        } else {
            assertTrue(r.outcome().ok() && r.complete(), "no interleaving reaches " + bad + " (" + all + "): " + r.trace());
        }
    }

    @Test
    void underTsoTheDporFindsWhatEveryInterleavingFinds() {
        sameOutcomesAsEveryInterleaving(sb(false), "SB");
        sameOutcomesAsEveryInterleaving(sb(true), "SB");
        // a lost update under a lock released by a buffered store, and not under a real lock
        for (boolean locked : new boolean[] {false, true}) {
            sameOutcomesAsEveryInterleaving(() -> new Prog(2, (p, cpu) -> {
                if (locked) {
                    p.lock.spinLock();
                }
                p.w[0].writeOnce(p.w[0].readOnce() + 1);
                if (locked) {
                    p.lock.spinUnlock();
                }
            }, p -> p.w[0].readOnce() == 2 ? Outcome.OK : Outcome.violation("LOST", "counter " + p.w[0].readOnce())), "LOST");
        }
    }
}
