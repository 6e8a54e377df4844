package klm.verdict;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;

import org.junit.jupiter.api.Test;

class ExpectationTest {
    @Test
    void aFindingMustBeOfTheExpectedKindAndName() {
        Expectation e = Expectation.violation("LOST_UPDATE");
        assertTrue(e.matches(Verdict.VIOLATION, Set.of("LOST_UPDATE")));
        assertFalse(e.matches(Verdict.VIOLATION, Set.of("LOST_UPDATE", "DOUBLE_FREE")), "an unexpected bad outcome is a mismatch");
        assertFalse(e.matches(Verdict.DEADLOCK, Set.of("DEADLOCK")));
        assertFalse(e.matches(Verdict.CLEAN, Set.of()), "a buggy variant that is not found is a mismatch");
        assertFalse(e.matches(Verdict.VIOLATION, Set.of()));
    }

    @Test
    void cleanAndNotSeenBothNeedNothingFound() {
        assertTrue(Expectation.clean().matches(Verdict.CLEAN, Set.of()));
        assertFalse(Expectation.clean().matches(Verdict.VIOLATION, Set.of("X")));
        assertTrue(Expectation.notSeen("SC only").matches(Verdict.CLEAN, Set.of()));
        assertFalse(Expectation.notSeen("SC only").matches(Verdict.VIOLATION, Set.of("BOTH_INSIDE")),
                "seeing what we said cannot be seen means our reasoning is wrong");
    }

    @Test
    void errorsAndMissingNeverMatch() {
        for (Expectation e : new Expectation[] {Expectation.clean(), Expectation.deadlock(), Expectation.notSeen("x")}) {
            assertFalse(e.matches(Verdict.ERROR, Set.of()));
            assertFalse(e.matches(Verdict.MISSING, Set.of()));
        }
        assertTrue(Expectation.notRun("later").matches(Verdict.NOT_RUN, Set.of()));
    }
}
