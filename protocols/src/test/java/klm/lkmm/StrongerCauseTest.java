package klm.lkmm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
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
                "ISA2+o-mb-o+o-o+o-mb-o", Calibration.LOAD_BUFFERING);
        expected.forEach((name, cause) -> assertEquals(cause, Calibration.strongerCause(program(name)), name));
    }

    /**
     * The classes are LKMM's answers on rewritten programs, whatever the RA model answers: the last
     * tests of the store-view and SC-fence classes, on which the RA model now agrees with LKMM
     * (a lock passes on the unlocking CPU's own writes only; a lone xchg()'s barriers order
     * nothing), still fall where the rewrites put them.
     */
    @Test
    void theRewritesDecideTheClassWithoutTheExplorer() {
        assertEquals(Calibration.STORE_VIEW, Calibration.strongerCause(program("4.ISA2+o-rel+l-o-o-ul+l-o-o-ul+acq-o")));
        assertEquals(Calibration.STORE_VIEW, Calibration.strongerCause(program("WRC+X+acq-o+o-mb-o")));
        assertEquals(Calibration.SC_FENCE, Calibration.strongerCause(program("WRC+X+o-o+o-mb-o")));
    }

    @Test
    void loadBufferingIsWhatLkmmNeedsWithLoadsOrderedBeforeWrites() {
        // the write after a read between two full barriers: LKMM allows it, and forbids it once the
        // middle CPU's store is control-dependent on its read, as the generated ctrl variant has it
        assertEquals(Candidates.Verdict.SOMETIMES, Candidates.run(program("ISA2+o-mb-o+o-o+o-mb-o"), new Lkmm()).verdict());
        assertEquals(Candidates.Verdict.NEVER, Candidates.run(program("ISA2+o-mb-o+o-ctrl-o+o-mb-o"), new Lkmm()).verdict());
        assertTrue(Calibration.needsLoadBuffering(program("ISA2+o-mb-o+o-o+o-mb-o")));
        assertTrue(Calibration.needsLoadBuffering(program("LB+o-o+o-o")));
        // the class takes only what the rewrite explains: with the loads ordered, LKMM still allows these
        for (String other : List.of("WRC+X+acq-o+o-mb-o", "WRC+X+o-o+o-mb-o", "4.ISA2+o-rel+l-o-o-ul+l-o-o-ul+o-mb-o", "MP+o-o+o-o")) {
            assertFalse(Calibration.needsLoadBuffering(program(other)), other);
        }
    }

    @Test
    void theRewriteOrdersEveryEarlierLoadBeforeEachWriteLkmmLeavesUnordered() {
        Program.Expr x = new Program.AddrOf("x"), y = new Program.AddrOf("y");
        Program.Stmt r0 = new Program.Load("r0", x, Tag.ONCE), r1 = new Program.Load("r1", y, Tag.ACQUIRE);
        Program.Stmt once = new Program.Store(y, new Program.Const(1), Tag.ONCE);
        Program.Stmt release = new Program.Store(x, new Program.Const(1), Tag.RELEASE);
        List<Program.Stmt> got = Calibration.loadsBeforeWrites(List.of(once, r0, r1, once, release), new ArrayList<>());
        Program.Expr both = new Program.Bin("&&", same("r0"), same("r1"));
        assertEquals(List.of(once, r0, r1, new Program.If(both, List.of(once), List.of()), release), got,
                "a store before any load and a release stay; a relaxed store after two loads depends on both");
    }

    private static Program.Expr same(String reg) {
        return new Program.Bin("==", new Program.Reg(reg), new Program.Reg(reg));
    }
}
