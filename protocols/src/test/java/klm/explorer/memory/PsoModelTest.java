package klm.explorer.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

import klm.catalog.Catalog;
import klm.explorer.Explorer;
import klm.explorer.Litmus;
import klm.explorer.Prog;
import klm.scenario.Outcome;
import klm.verdict.Checker;
import klm.verdict.Variant;

/**
 * A fourth memory model defined only in this test ({@link Pso}) and registered for its duration
 * gets its own results column, its replay letter, its verdict expectations (defaulting to the next
 * stronger model's) and its answers to every litmus test, without a main file knowing it.
 */
class PsoModelTest {
    /** MP with relaxed stores: data then flag; the reader takes flag then data. */
    private static Supplier<Prog> mp(boolean wmb) {
        return () -> new Prog(2, (p, cpu) -> {
            if (cpu == 0) {
                p.w[0].writeOnce(1);
                if (wmb) {
                    klm.kernel.Barrier.smpWmb();
                }
                p.w[1].writeOnce(1);
            } else {
                int flag = p.w[1].loadAcquire();
                p.w[2].writeOnce(flag);
                p.w[3].writeOnce(p.w[0].readOnce());
            }
        }, p -> p.w[2].readOnce() == 1 && p.w[3].readOnce() == 0 ? Outcome.violation("MP", "flag without data") : Outcome.OK);
    }

    @Test
    void aModelOfATestIsAColumnAReplayLetterAndAnswersLitmusTests() throws Exception {
        assertFalse(MemoryModels.ids().contains("pso"));
        try (AutoCloseable registered = MemoryModels.register(Pso.MODEL)) {
            assertEquals(Pso.MODEL, MemoryModels.parse("pso"));
            Checker column = MemoryModels.column(Pso.MODEL);
            assertTrue(Checker.values().contains(column), "its own column");
            assertEquals("explorer-pso", column.key());
            assertEquals(MemoryModels.column(Tso.MODEL), column.fallback(), "expectations default to TSO's");
            Variant v = Catalog.all().stream().filter(x -> x.id().equals("hotplug/percpu-rwsem-no-reader-barrier")).findFirst().orElseThrow();
            assertEquals(v.expected(MemoryModels.column(Tso.MODEL)), v.expected(column));

            // stores to different locations pass each other: MP shows under PSO, not under TSO; smp_wmb() forbids it
            Explorer.Result tso = Explorer.explore(mp(false), Explorer.Options.DEFAULT.under(Tso.MODEL));
            assertTrue(tso.outcome().ok() && tso.complete(), tso.trace());
            Explorer.Result pso = Explorer.explore(mp(false), Explorer.Options.DEFAULT.under(Pso.MODEL));
            assertEquals("MP", pso.outcome().name(), pso.trace());
            assertTrue(pso.schedule().matches(".*p\\d+x\\d.*"), "its buffers' steps by its letter: " + pso.schedule());
            assertEquals("MP", Explorer.replay(mp(false), pso.schedule(), Pso.MODEL).outcome().name());
            Explorer.Result wmb = Explorer.explore(mp(true), Explorer.Options.DEFAULT.under(Pso.MODEL));
            assertTrue(wmb.outcome().ok() && wmb.complete(), wmb.trace());

            // its answer to every litmus test: complete, never weaker than LKMM
            for (Litmus.Test t : Litmus.all()) {
                Litmus.Observed o = Litmus.run(t, Pso.MODEL);
                assertTrue(o.complete(), t + " under pso");
                assertFalse(Litmus.weaker(t, o), t + ": pso allows what LKMM forbids");
                assertFalse(Boolean.FALSE.equals(o.exhaustiveAgrees()), t + ": the DPOR and every interleaving disagree under pso");
            }
        }
        assertFalse(MemoryModels.ids().contains("pso"), "gone when the test ends");
    }
}
