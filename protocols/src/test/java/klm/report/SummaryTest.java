package klm.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import klm.catalog.Catalog;
import klm.catalog.Selection;
import klm.verdict.Checker;
import klm.verdict.Expectation;
import klm.verdict.Observation;
import klm.verdict.Variant;
import klm.verdict.Verdict;

class SummaryTest {
    @TempDir
    Path tmp;

    private void observe(Variant v, Checker c, Verdict verdict, String outcome, String runId) throws Exception {
        Observation o = Observation.of(v, c);
        o.verdict = verdict;
        if (outcome != null) {
            o.outcomes.add(outcome);
        }
        o.runId = runId;
        o.figure("timeMs", 1234);
        o.trace = "trace of " + v.name();
        o.write(tmp.resolve("obs"));
    }

    @Test
    void writesTheTableAndFailsOnMismatchMissingAndStale() throws Exception {
        Selection sel = Selection.parse("control", "", "quick");
        Variant busted = Catalog.get("control", "busted-lock");
        Variant spin = Catalog.get("control", "spin-lock");
        Variant abba = Catalog.get("control", "abba");
        Variant ordered = Catalog.get("control", "ordered");
        for (Checker c : new Checker[] {Checker.LINCHECK, Checker.JCSTRESS}) {
            observe(busted, c, Verdict.VIOLATION, "LOST_UPDATE", "run1");
            observe(abba, c, Verdict.DEADLOCK, "DEADLOCK", "run1");
            observe(ordered, c, Verdict.CLEAN, null, "run1");
        }
        observe(busted, Checker.LOCKDEP, Verdict.CLEAN, null, "run1");
        observe(spin, Checker.LOCKDEP, Verdict.CLEAN, null, "run1");
        observe(abba, Checker.LOCKDEP, Verdict.DEADLOCK, "CIRCULAR_DEPENDENCY", "run1");
        observe(ordered, Checker.LOCKDEP, Verdict.CLEAN, null, "run1");
        for (Checker c : Checker.explorers()) {
            observe(busted, c, Verdict.VIOLATION, "LOST_UPDATE", "run1");
            observe(spin, c, Verdict.CLEAN, null, "run1");
            observe(abba, c, Verdict.DEADLOCK, "DEADLOCK", "run1");
            observe(ordered, c, Verdict.CLEAN, null, "run1");
        }
        for (Variant v : sel.variants()) { // the other controls: every checker as expected
            if (v == busted || v == spin || v == abba || v == ordered) {
                continue;
            }
            for (Checker c : Checker.values()) {
                Expectation e = v.expected(c);
                if (e.verdict() != Verdict.NOT_RUN) {
                    Verdict seen = e.verdict() == Verdict.NOT_SEEN ? Verdict.CLEAN : e.verdict();
                    observe(v, c, seen, e.outcomes().isEmpty() ? null : e.outcomes().iterator().next(), "run1");
                }
            }
        }
        observe(spin, Checker.LINCHECK, Verdict.VIOLATION, "LOST_UPDATE", "run1"); // a fixed variant found broken
        observe(spin, Checker.JCSTRESS, Verdict.CLEAN, null, "run0");              // stale: from another build

        Summary s = new Summary(sel, tmp.resolve("obs"), "run1");
        assertEquals(2, s.mismatches().size());
        for (Summary.Row r : s.mismatches()) {
            assertEquals("spin-lock", r.variant().name());
        }
        Summary.Row stale = s.mismatches().stream().filter(r -> r.checker() == Checker.JCSTRESS).findFirst().orElseThrow();
        assertEquals(Verdict.MISSING, stale.observed().verdict);
        assertTrue(stale.observed().detail.contains("stale"), stale.observed().detail);

        // what the JCStress stage names before it starts: recorded rows only (the stale JCStress row is not one)
        java.util.List<Summary.Row> early = Summary.recordedMismatches(sel, tmp.resolve("obs"), "run1",
                Checker.allBut(Checker.JCSTRESS));
        assertEquals(1, early.size());
        assertEquals("control/spin-lock, Lincheck: expected CLEAN, observed VIOLATION [LOST_UPDATE]",
                Summary.mismatchLine(early.get(0)));
        assertTrue(Summary.recordedMismatches(sel, tmp.resolve("obs"), "run1", java.util.Set.of(Checker.JCSTRESS)).isEmpty());

        Path results = tmp.resolve("results");
        s.writeTo(results, tmp.resolve("staging"));
        String md = Files.readString(results.resolve("summary.md"));
        assertTrue(md.contains("2 observed verdict(s) differ"), md);
        assertTrue(md.contains("✗ VIOLATION (LOST_UPDATE)"), md);
        String json = Files.readString(results.resolve("summary.json"));
        assertTrue(json.contains("\"allMatch\": false"), json);
        assertTrue(json.contains("\"commit\": "), json);
        assertTrue(json.contains("\"checker\": \"lincheck\""), json);
        assertTrue(json.contains("\"timeMs\": 1234"), json);
        assertTrue(Files.exists(results.resolve("control.md")));
        try (var leftovers = Files.list(tmp.resolve("staging"))) {
            assertFalse(leftovers.findAny().isPresent(), "staging is emptied into results");
        }
    }

    @Test
    void allMatching() throws Exception {
        Selection sel = Selection.parse("control", "abba", "quick");
        Variant abba = Catalog.get("control", "abba");
        observe(abba, Checker.LINCHECK, Verdict.DEADLOCK, "DEADLOCK", "r");
        observe(abba, Checker.JCSTRESS, Verdict.DEADLOCK, "DEADLOCK", "r");
        observe(abba, Checker.LOCKDEP, Verdict.DEADLOCK, "CIRCULAR_DEPENDENCY", "r");
        for (Checker c : Checker.explorers()) {
            observe(abba, c, Verdict.DEADLOCK, "DEADLOCK", "r");
        }
        Summary s = new Summary(sel, tmp.resolve("obs"), "r");
        assertTrue(s.mismatches().isEmpty(), s.consoleTable());
        assertTrue(s.ok());
        assertTrue(s.markdown().contains("Every observed verdict equals the expected one"));
    }

    @Test
    void lincheckFindingAgainstACompleteCleanExplorationFailsTheCrossCheck() throws Exception {
        Selection sel = Selection.parse("control", "spin-lock", "quick");
        Variant spin = Catalog.get("control", "spin-lock");
        observe(spin, Checker.LINCHECK, Verdict.VIOLATION, "LOST_UPDATE", "r");
        Observation ex = Observation.of(spin, Checker.explorers().get(0));
        ex.verdict = Verdict.CLEAN;
        ex.runId = "r";
        ex.figure("executions", 2).figure("complete", true);
        ex.write(tmp.resolve("obs"));
        Summary s = new Summary(sel, tmp.resolve("obs"), "r");
        assertEquals(1, s.crossCheckFailures().size());
        assertTrue(s.crossCheckFailures().get(0).contains("trace of spin-lock"), s.crossCheckFailures().get(0));
        assertFalse(s.ok());
        assertTrue(s.markdown().contains("Cross-check failed"));
        // an incomplete exploration proves nothing, so it cannot contradict Lincheck
        ex.figure("complete", false);
        ex.write(tmp.resolve("obs"));
        assertTrue(new Summary(sel, tmp.resolve("obs"), "r").crossCheckFailures().isEmpty());
    }

    @Test
    void jsonEscapes() {
        assertEquals("\"a\\\"b\\n\"\n", Json.write("a\"b\n"));
        assertEquals(12L, Json.typed("12"));
        assertEquals(true, Json.typed("true"));
        assertEquals(0.5, Json.typed("0.5"));
    }
}
