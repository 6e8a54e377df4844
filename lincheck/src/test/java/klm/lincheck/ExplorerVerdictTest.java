package klm.lincheck;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import klm.catalog.Selection;
import klm.explorer.ExplorerDriver;
import klm.verdict.Checker;
import klm.verdict.Variant;

/**
 * The explorer's column of the results table: every selected variant's scenario explored to
 * completeness under the controlled scheduler (its own fork: {@code klm.blocking=explorer}). A
 * BUGGY variant must be found with the expected outcome; a FIXED one must come out CLEAN after a
 * complete exploration (an exploration stopped by a budget is an ERROR, never a CLEAN). It lives
 * in this module for the same reason as lockdep's: its failures do not stop the summary.
 */
class ExplorerVerdictTest {

    static List<Variant> selected() {
        return Selection.fromSystemProperties().variants();
    }

    /**
     * {@code -Dklm.replay=SCHEDULE} with one selected variant: runs that one execution again and
     * prints its table before the verdict. A bad string fails the test with what is valid.
     */
    @org.junit.jupiter.api.Test
    void replay() {
        String schedule = System.getProperty("klm.replay", "").trim();
        if (schedule.isEmpty()) {
            return;
        }
        List<Variant> sel = selected();
        org.junit.jupiter.api.Assertions.assertEquals(1, sel.size(), () -> "-Dklm.replay needs exactly one variant"
                + " (-Dprotocol=P -Dvariant=V); the selection has " + sel.size());
        Variant v = sel.get(0);
        klm.explorer.Explorer.Result r;
        try {
            r = klm.explorer.Explorer.replay(v::newRun, schedule, ExplorerDriver.memory());
        } catch (IllegalArgumentException e) {
            throw new AssertionError(v.id() + ": bad replay string: " + e.getMessage());
        }
        System.out.println("[klm] replay of " + v.id() + " (" + schedule + "): " + r.outcome().name() + "\n" + r.trace());
    }

    /** Every selected variant under every registered memory model: one column each. */
    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> cells() {
        return klm.explorer.memory.MemoryModels.all().stream()
                .flatMap(m -> selected().stream().map(v -> org.junit.jupiter.params.provider.Arguments.of(m.id(), v)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cells")
    void explorerVerdict(String model, Variant v) throws Exception {
        klm.explorer.memory.MemoryModel m = klm.explorer.memory.MemoryModels.parse(model);
        check(v, klm.explorer.memory.MemoryModels.column(m), m);
    }

    private static void check(Variant v, Checker column, klm.explorer.memory.MemoryModel memory) throws Exception {
        Selection sel = Selection.fromSystemProperties();
        VerdictRecorder.check(v, column, () -> klm.explorer.ExplorationPins.check(v.id(), memory.id(),
                ExplorerDriver.observe(v, ExplorerDriver.options(sel.mode()).under(memory))));
    }
}
