package klm.explorer.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

import klm.explorer.Exhaustive;
import klm.explorer.Explorer;
import klm.explorer.Prog;
import klm.scenario.Outcome;

/**
 * The x86-TSO model end to end, on programs small enough to reason about: store buffering shows
 * and smp_mb() forbids it, stores stay in order, a CPU reads its own buffered store, a locked
 * instruction drains, and the DPOR (with sleep sets under TSO) finds what the walk over every
 * interleaving finds. {@link TsoRulesTest} checks each rule on its own.
 */
class TsoTest {
    private static Explorer.Result explore(Supplier<Prog> s) {
        return Explorer.explore(s, Explorer.Options.DEFAULT);
    }

    private static final Explorer.Options TSO = Explorer.Options.DEFAULT.under(Tso.MODEL);

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
        Explorer.Result again = Explorer.replay(sb(false), tso.schedule(), Tso.MODEL);
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

    /** Under TSO the DPOR must reach every outcome the walk over every interleaving reaches. */
    private static void sameOutcomesAsEveryInterleaving(Supplier<Prog> scenario, String bad) {
        java.util.Map<String, Integer> all = Exhaustive.outcomes(scenario, Tso.MODEL, 200_000);
        assertFalse(all.keySet().stream().anyMatch(k -> k.startsWith("(stopped")), "the exhaustive walk must end: " + all);
        Explorer.Result r = Explorer.explore(scenario, TSO);
        if (all.containsKey(bad)) {
            assertEquals(bad, r.outcome().name(), "every interleaving reaches " + bad + " (" + all + "); the DPOR must too");
        } else {
            assertTrue(r.outcome().ok() && r.complete(), "no interleaving reaches " + bad + " (" + all + "): " + r.trace());
        }
    }

    /**
     * A fence that drains two buffered stores to one location, and a reader that was put to sleep
     * before the stores were made. CPU1 loads z (a step the reader's load of y commutes with), then
     * buffers y = 1 and y = 2, then smp_mb() drains both in its step; CPU0 loads y. Reading 1 needs
     * CPU1's buffer to write y = 1 on its own, before the fence: after the fence the buffer is empty
     * and its pending step is gone, so no later state shows that step racing with anything. With
     * sleep sets, CPU0's load sleeps after CPU1's load of z (it was explored first), and the only
     * execution whose race would show the buffer's step (CPU0 loading y before the fence) is the
     * one the sleep set cuts; unless the fence's state schedules the buffer it consumed, reading 1
     * is never explored.
     */
    private static Supplier<Prog> fenceDrainsTwoStores() {
        return () -> new Prog(2, (p, cpu) -> {
            if (cpu == 0) {
                p.w[2].writeOnce(p.w[1].readOnce());
            } else {
                p.w[3].writeOnce(p.w[0].readOnce());
                p.w[1].writeOnce(1);
                p.w[1].writeOnce(2);
                klm.kernel.Barrier.smpMb();
            }
        }, p -> p.w[2].readOnce() == 1 ? Outcome.violation("MIDDLE", "CPU0 read y = 1, the store the fence drained first")
                : Outcome.OK);
    }

    @Test
    void aStoreAFenceDrainsCanReachMemoryBeforeTheFenceWithSleepSets() {
        assertTrue(Tso.MODEL.sleepSetsSound(), "this test is about the DPOR with sleep sets under TSO");
        sameOutcomesAsEveryInterleaving(fenceDrainsTwoStores(), "MIDDLE");
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
