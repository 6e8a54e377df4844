package klm.lkmm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link Calibration#strongerCause} on the minimal test of each class of RA-stronger answers that
 * docs/DESIGN.md shows ("RA stronger than LKMM"), and the rewrites it rests on: each class is
 * decided by LKMM alone, so this needs no explorer.
 */
class StrongerCauseTest {
    private static Program program(String name) {
        return Generator.all().stream().filter(t -> t.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no generated test " + name)).program();
    }

    @Test
    void eachClassOnItsMinimalTest() {
        Map<String, String> expected = Map.of(
                "LB+o-o+o-o", Calibration.LOAD_BUFFERING,
                "WRC+X+acq-o+o-mb-o", Calibration.STORE_VIEW,
                "ISA2+o-mb-o+o-o+o-mb-o", Calibration.WRITE_AFTER_READ,
                "WRC+X+o-o+o-mb-o", Calibration.SC_FENCE);
        expected.forEach((name, cause) -> assertEquals(cause, Calibration.strongerCause(program(name)), name));
    }

    @Test
    void theWriteAfterReadRewriteIsWhatLkmmNeeds() {
        // the middle CPU's store made control-dependent on its read: LKMM forbids the outcome
        assertEquals(Candidates.Verdict.SOMETIMES, Candidates.run(program("ISA2+o-mb-o+o-o+o-mb-o"), new Lkmm()).verdict());
        assertEquals(Candidates.Verdict.NEVER, Candidates.run(program("ISA2+o-mb-o+o-ctrl-o+o-mb-o"), new Lkmm()).verdict());
    }
}
