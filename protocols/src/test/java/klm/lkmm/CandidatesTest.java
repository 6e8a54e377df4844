package klm.lkmm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import klm.lkmm.Candidates.Result;
import klm.lkmm.Candidates.Verdict;
import klm.lkmm.Program.AddrOf;
import klm.lkmm.Program.And;
import klm.lkmm.Program.Const;
import klm.lkmm.Program.Expr;
import klm.lkmm.Program.Fence;
import klm.lkmm.Program.If;
import klm.lkmm.Program.Load;
import klm.lkmm.Program.LocIs;
import klm.lkmm.Program.Lock;
import klm.lkmm.Program.Quantifier;
import klm.lkmm.Program.Reg;
import klm.lkmm.Program.RegIs;
import klm.lkmm.Program.Rmw;
import klm.lkmm.Program.Stmt;
import klm.lkmm.Program.Store;
import klm.lkmm.Program.Unlock;
import org.junit.jupiter.api.Test;

/** Whole programs through the enumeration of candidate executions, against LKMM's published answers. */
class CandidatesTest {
    private static Expr at(String x) {
        return new AddrOf(x);
    }

    private static Stmt write(String x, long v, Tag t) {
        return new Store(at(x), new Const(v), t);
    }

    private static Stmt read(String r, String x, Tag t) {
        return new Load(r, at(x), t);
    }

    private static Program.Cond regs(long a, long b) {
        return new And(new RegIs(0, "r0", new Const(a)), new RegIs(1, "r0", new Const(b)));
    }

    private static Result lkmm(String name, List<List<Stmt>> threads, Program.Cond c) {
        return Candidates.run(new Program(name, Map.of(), threads, Quantifier.EXISTS, c, null), new Lkmm());
    }

    @Test
    void storeBuffering() {
        List<List<Stmt>> sb = List.of(List.of(write("x", 1, Tag.ONCE), read("r0", "y", Tag.ONCE)),
                List.of(write("y", 1, Tag.ONCE), read("r0", "x", Tag.ONCE)));
        Result r = lkmm("SB+poonceonces", sb, regs(0, 0));
        assertEquals(Verdict.SOMETIMES, r.verdict());
        assertEquals(4, r.states());
        assertEquals(1, r.positive());
        assertEquals(3, r.negative());
        assertEquals("""
                Test SB+poonceonces (lkmm)
                States 4
                0:r0=0; 1:r0=0;
                0:r0=0; 1:r0=1;
                0:r0=1; 1:r0=0;
                0:r0=1; 1:r0=1;
                Ok
                Witnesses
                Positive: 1 Negative: 3
                Observation SB+poonceonces Sometimes 1 3
                """, r.herd());
        assertEquals(Verdict.NEVER, Candidates.run(new Program("SB", Map.of(), sb, Quantifier.EXISTS, regs(0, 0), null), new Sc()).verdict());
        List<List<Stmt>> sbmb = List.of(List.of(write("x", 1, Tag.ONCE), new Fence(Tag.MB), read("r0", "y", Tag.ONCE)),
                List.of(write("y", 1, Tag.ONCE), new Fence(Tag.MB), read("r0", "x", Tag.ONCE)));
        assertEquals(Verdict.NEVER, lkmm("SB+fencembonceonces", sbmb, regs(0, 0)).verdict());
    }

    @Test
    void controlDependencyAndFence() {
        // LB+fencembonceonce+ctrlonceonce: Never
        List<List<Stmt>> lb = List.of(
                List.of(read("r0", "x", Tag.ONCE), new If(new Reg("r0"), List.of(write("y", 1, Tag.ONCE)), List.of())),
                List.of(read("r0", "y", Tag.ONCE), new Fence(Tag.MB), write("x", 1, Tag.ONCE)));
        assertEquals(Verdict.NEVER, lkmm("LB+fencembonceonce+ctrlonceonce", lb, regs(1, 1)).verdict());
        List<List<Stmt>> lbNoDep = List.of(
                List.of(read("r0", "x", Tag.ONCE), write("y", 1, Tag.ONCE)),
                List.of(read("r0", "y", Tag.ONCE), new Fence(Tag.MB), write("x", 1, Tag.ONCE)));
        assertEquals(Verdict.SOMETIMES, lkmm("LB+fencembonceonce+poonceonce", lbNoDep, regs(1, 1)).verdict());
    }

    @Test
    void atomicIncrementsAndLocks() {
        Stmt inc = new Rmw(null, Program.RmwOp.ADD, at("x"), new Const(1), null, Program.Order.RELAXED, false, false);
        Result r = lkmm("inc", List.of(List.of(inc), List.of(inc)), new LocIs("x", new Const(2)));
        assertEquals(Verdict.ALWAYS, r.verdict());
        // MP+polocks: Never
        List<List<Stmt>> mp = List.of(
                List.of(write("x", 1, Tag.ONCE), new Lock(at("s")), write("y", 1, Tag.ONCE), new Unlock(at("s"))),
                List.of(new Lock(at("s")), read("r0", "y", Tag.ONCE), new Unlock(at("s")), read("r1", "x", Tag.ONCE)));
        Program.Cond c = new And(new RegIs(1, "r0", new Const(1)), new RegIs(1, "r1", new Const(0)));
        Result locks = lkmm("MP+polocks", mp, c);
        assertEquals(Verdict.NEVER, locks.verdict());
        assertTrue(locks.negative() > 0, "some execution completes");
    }

    @Test
    void quantifiersAndFilter() {
        List<List<Stmt>> sb = List.of(List.of(write("x", 1, Tag.ONCE), read("r0", "y", Tag.ONCE)),
                List.of(write("y", 1, Tag.ONCE), read("r0", "x", Tag.ONCE)));
        Program.Cond both = regs(0, 0);
        // ~exists: the same witnesses, "ok" when there is none
        Result notExists = Candidates.run(new Program("SB", Map.of(), sb, Quantifier.NOT_EXISTS, both, null), new Lkmm());
        assertEquals(Verdict.SOMETIMES, notExists.verdict());
        assertEquals(false, notExists.ok());
        assertEquals(true, Candidates.run(new Program("SB", Map.of(), sb, Quantifier.NOT_EXISTS, both, null), new Sc()).ok());
        // forall: every allowed execution must satisfy it
        Program.Cond someOne = new Program.Or(new RegIs(0, "r0", new Const(1)), new RegIs(1, "r0", new Const(1)));
        Result forall = Candidates.run(new Program("SB", Map.of(), sb, Quantifier.FORALL, someOne, null), new Sc());
        assertEquals(Verdict.ALWAYS, forall.verdict());
        assertEquals(true, forall.ok());
        // a filter keeps only the executions it holds in: with P0 reading 0, the outcome is then 1 of 2
        Result filtered = Candidates.run(new Program("SB", Map.of(), sb, Quantifier.EXISTS, both, new RegIs(0, "r0", new Const(0))), new Lkmm());
        assertEquals(1, filtered.positive());
        assertEquals(1, filtered.negative());
    }
}
