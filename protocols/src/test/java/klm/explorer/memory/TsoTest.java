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
 * instruction waits for its buffer to drain, and the DPOR (with sleep sets under TSO) finds what the walk over every
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
    void aCpuReadsItsOwnBufferedStoreAndAnRmwWaitsForTheBuffer() {
        // CPU0: x = 1; r = x (its own buffered store: 1); then SB with xchg, which waits for the buffer to drain.
        Supplier<Prog> own = () -> new Prog(1, (p, cpu) -> {
            p.w[0].writeOnce(1);
            p.w[1].writeOnce(p.w[0].readOnce());
        }, p -> p.w[1].readOnce() == 1 ? Outcome.OK : Outcome.violation("OWN", "did not read its own store"));
        Explorer.Result r = Explorer.explore(own, TSO);
        assertTrue(r.outcome().ok() && r.complete(), r.trace());
        // SB with an xchg as each CPU's store: the locked instruction waits for the buffer, so SB is forbidden
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
     * A fence after two buffered stores to one location, and a reader that was put to sleep before
     * the stores were made. CPU1 loads z (a step the reader's load of y commutes with), then buffers
     * y = 1 and y = 2, then smp_mb(); CPU0 loads y. Reading 1 needs CPU1's buffer to write y = 1
     * and CPU0 to load before y = 2 arrives. When a fence drained its buffer inside its own step,
     * the buffer's pending step vanished without racing with anything and, with sleep sets, CPU0's
     * load (asleep after CPU1's load of z) never saw y = 1. Now the fence waits until the buffer's
     * own steps have written both stores, and each of them races with the load.
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
    void aStoreBeforeAFenceCanBeSeenBeforeTheNextOneWithSleepSets() {
        assertTrue(Tso.MODEL.sleepSetsSound(), "this test is about the DPOR with sleep sets under TSO");
        sameOutcomesAsEveryInterleaving(fenceDrainsTwoStores(), "MIDDLE");
    }

    /**
     * The rule that a fully ordered step waits for its buffer, on programs shaped for it, compared
     * by final states (every load's value, memory at the end) with the walk over every
     * interleaving: a fence after several buffered stores to one location and to others, read by
     * another CPU in between; an xchg and a spin lock taken after buffered stores; a CPU that waits
     * for a spin lock with a store buffered (its condition takes the lock, so it is enabled only
     * once its buffer has drained). Each load's value is written to a word of its own, so a state
     * the DPOR lost shows.
     */
    @Test
    void aFullyOrderedStepAfterBufferedStoresReachesWhatEveryInterleavingReaches() {
        // CPU0: x=1; y=2; x=3; smp_mb(); r z.  CPU1: z=4; r x; r y; r x
        compare(0, "fence after x, y, x", new int[] {5, 4}, (p, cpu, i) -> {
            if (cpu == 0) {
                switch (i) {
                    case 0 -> p.w[0].writeOnce(1);
                    case 1 -> p.w[1].writeOnce(2);
                    case 2 -> p.w[0].writeOnce(3);
                    case 3 -> klm.kernel.Barrier.smpMb();
                    default -> {
                        return p.w[2].readOnce();
                    }
                }
                return 0;
            }
            return switch (i) {
                case 0 -> {
                    p.w[2].writeOnce(4);
                    yield 0;
                }
                case 1, 3 -> p.w[0].readOnce();
                default -> p.w[1].readOnce();
            };
        });
        // CPU0: x=1; x=2; r = xchg(y, 3); r z.  CPU1: z=5; r y; r x; r = xchg(x, 6)
        compare(1, "xchg after x, x", new int[] {4, 4}, (p, cpu, i) -> {
            if (cpu == 0) {
                return switch (i) {
                    case 0, 1 -> {
                        p.w[0].writeOnce(i + 1);
                        yield 0;
                    }
                    case 2 -> p.w[1].xchg(3);
                    default -> p.w[2].readOnce();
                };
            }
            return switch (i) {
                case 0 -> {
                    p.w[2].writeOnce(5);
                    yield 0;
                }
                case 1 -> p.w[1].readOnce();
                case 2 -> p.w[0].readOnce();
                default -> p.w[0].xchg(6);
            };
        });
        // each CPU: its flag = 1; spin_lock; r the other's flag; spin_unlock; r the other's flag (the waiter has its flag buffered)
        compare(2, "spin lock after a buffered store", new int[] {3, 3}, (p, cpu, i) -> {
            switch (i) {
                case 0 -> p.w[cpu].writeOnce(1);
                case 1 -> {
                    p.lock.spinLock();
                    int r = p.w[1 - cpu].readOnce();
                    p.w[2 + cpu].writeOnce(10 + r);
                    p.lock.spinUnlock();
                    return r;
                }
                default -> {
                    return p.w[1 - cpu].readOnce();
                }
            }
            return 0;
        });
    }

    private static void compare(int k, String text, int[] lengths, FinalStates.Op op) {
        FinalStates.Cost c = FinalStates.compare(k, text, states -> FinalStates.program(lengths, op, states), Tso.MODEL, 200_000);
        assertTrue(c != null, text + ": the walk must end");
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
