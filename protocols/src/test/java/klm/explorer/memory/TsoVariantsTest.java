package klm.explorer.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import klm.catalog.Catalog;
import klm.explorer.Explorer;
import klm.verdict.Variant;

/**
 * The TSO model on the protocol that needs it: the percpu rw-semaphore's
 * store-buffering bug is a counterexample under TSO and none under SC, its fix is clean after a
 * complete TSO exploration, and an interleaving bug stays a bug under TSO.
 */
class TsoVariantsTest {
    private static final Explorer.Options TSO = Explorer.Options.DEFAULT.under(Tso.MODEL);

    private static Variant variant(String id) {
        return Catalog.all().stream().filter(v -> v.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void theMissingReaderBarrierIsAStoreBufferingBugUnderTsoOnly() {
        Variant buggy = variant("hotplug/percpu-rwsem-no-reader-barrier");
        Explorer.Result sc = Explorer.explore(buggy::newRun, Explorer.Options.DEFAULT);
        assertTrue(sc.outcome().ok() && sc.complete(), "SC cannot show it: " + sc.trace());
        Explorer.Result tso = Explorer.explore(buggy::newRun, TSO);
        assertEquals("BOTH_INSIDE", tso.outcome().name(), tso.trace());
        assertTrue(tso.trace().replaceAll("[\\s|]+", "").contains("storebuffered:cpu_hotplug_lock.readCount[0]=1"), tso.trace());
        Explorer.Result again = Explorer.replay(buggy::newRun, tso.schedule(), Tso.MODEL);
        assertEquals("BOTH_INSIDE", again.outcome().name());

        Variant fixed = variant("hotplug/percpu-rwsem");
        Explorer.Result clean = Explorer.explore(fixed::newRun, TSO);
        assertTrue(clean.outcome().ok() && clean.complete(), "barriers A-D hold under TSO: " + clean.trace());
    }

    @Test
    void anInterleavingBugStaysABugUnderTso() {
        Variant v = variant("mmu-notifier/remove-unlocked-seq-read");
        assertEquals("USE_AFTER_FREE", Explorer.explore(v::newRun, TSO).outcome().name());
        Variant fix = variant("mmu-notifier/remove-locked-seq-read");
        Explorer.Result r = Explorer.explore(fix::newRun, TSO);
        assertTrue(r.outcome().ok() && r.complete(), r.trace());
    }
}
