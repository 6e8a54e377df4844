package klm.perf;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import klm.perf.PerfLog.Attempt;

/** The report's Fray section and its list of where the explorer is not the fastest, read from rows only. */
class PerfReportTest {
    private static Attempt row(String variant, String kind, String method, boolean found, double ms, long count, String note) {
        return new Attempt("control", variant, kind, method, 1, found, ms, count, 0, note);
    }

    @Test
    void namesWhereAnotherMethodIsFasterAndWhatFrayMissed() {
        List<PerfReport.Stat> stats = PerfReport.stats(List.of(
                row("busted-lock", "BUGGY", "explorer", true, 0.8, 2, "LOST_UPDATE"),
                row("busted-lock", "BUGGY", "fray-pos", false, 5000, 1000, "1,000 rounds clean"),
                row("busted-lock", "BUGGY", "fray-random", false, 5000, 1000, "1,000 rounds clean"),
                row("busted-lock", "BUGGY", "fray-pos-volatile", true, 0.5, 2, "LOST_UPDATE"),
                row("busted-lock", "BUGGY", "fray-random-volatile", true, 30, 2, "LOST_UPDATE"),
                row("spin-lock", "FIXED", "fray-pos-volatile", false, 4000, 1000, "1,000 rounds clean"),
                row("abba", "BUGGY", "explorer", true, 1.2, 2, "DEADLOCK"),
                row("abba", "BUGGY", "lockdep", true, 0.5, 1, "CIRCULAR_DEPENDENCY")));
        String fray = PerfReport.fray(stats, Map.of("fray.rounds", "1000"));
        assertTrue(fray.contains("missed 1 bug(s) in every attempt of both schedulers: control/busted-lock"), fray);
        assertTrue(fray.contains("**fray-pos-volatile** found 1 of the 1 bugs"), fray);
        assertTrue(fray.contains("1,000 rounds clean"), fray);
        String not = PerfReport.notAhead(stats);
        assertTrue(not.contains("| control/busted-lock | 0.80 ms | fray-pos-volatile | 0.50 ms (1/1) |"), not);
        assertTrue(not.contains("| control/abba | 1.20 ms | lockdep | 0.50 ms (1/1) |"), not);
        assertFalse(not.contains("fray-random-volatile"), "a slower method is not listed: " + not);
    }

    @Test
    void saysSoWhenTheExplorerIsFastestEverywhere() {
        List<PerfReport.Stat> stats = PerfReport.stats(List.of(
                row("abba", "BUGGY", "explorer", true, 1.2, 2, "DEADLOCK"),
                row("abba", "BUGGY", "baseline", true, 400, 30, "DEADLOCK")));
        assertTrue(PerfReport.notAhead(stats).contains("below every other method's median"));
        assertTrue(PerfReport.fray(stats, Map.of()).isEmpty(), "no Fray rows, no Fray section");
    }
}
