package klm.lkmm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import klm.lkmm.Candidates.Verdict;
import klm.litmus.LitmusReader;
import org.junit.jupiter.api.Test;

/**
 * Plain C accesses under the axiomatic LKMM: dependencies carried through memory (the bell's
 * {@code carry-dep}), the {@code plain-coherence} axiom, and the {@code data-race} flag, each on a
 * test whose answer follows from linux-kernel.cat by hand.
 */
class PlainAccessesTest {
    private static Candidates.Result run(String text, Model m) {
        return FromLitmus.run(LitmusReader.parse(text, "t.litmus"), m);
    }

    private static Candidates.Result lkmm(String text) {
        return run(text, new Lkmm());
    }

    /** A model named {@code name} whose axioms are {@code violated}. */
    private static Model model(String name, java.util.function.Function<Execution, String> violated) {
        return new Model() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public String violated(Execution x) {
                return violated.apply(x);
            }
        };
    }

    /** P1 of dep+plain: passes y to x by acquire and release. */
    private static final String P1 = "P1(int *x, int *y) {\n int r = smp_load_acquire(y);\n smp_store_release(x, r);\n}\nexists (x=1 /\\ y=1)\n";

    @Test
    void depPlainIsNeverWithoutFlags() {
        Candidates.Result r = FromLitmus.run(LitmusReader.read(Path.of("litmus/kernel/dep+plain.litmus")), new Lkmm());
        assertEquals(Verdict.NEVER, r.verdict(), r.herd());
        assertEquals(List.of(), r.flags(), r.herd());
    }

    @Test
    void droppingTheDependencyAllowsTheCycle() {
        // *z1 = 1 instead of *z1 = a: the write of y no longer depends on the read of x
        Candidates.Result r = lkmm("C nodep\n{}\nP0(int *x, int *y, int *z1, int *z2) {\n int a = READ_ONCE(*x);\n *z1 = 1;\n"
                + " *z2 = *z1;\n if (*z2 == 1)\n  WRITE_ONCE(*y, 1);\n}\n" + P1);
        assertEquals(Verdict.SOMETIMES, r.verdict(), r.herd());
        assertEquals(List.of(), r.flags(), r.herd());
    }

    @Test
    void aPlainLoadReadingAnotherCpusStoreCarriesNoDependency() {
        // P2 also stores 1 to z1: when P0's plain load reads P2's store, the chain from x is broken
        // (carry-dep goes through rfi only), and the two CPUs' plain accesses to z1 race
        Candidates.Result r = lkmm("C other\n{}\nP0(int *x, int *y, int *z1, int *z2) {\n int a = READ_ONCE(*x);\n *z1 = a;\n"
                + " *z2 = *z1;\n if (*z2 == 1)\n  WRITE_ONCE(*y, 1);\n}\n" + P1.replace("exists", "P2(int *z1) {\n *z1 = 1;\n}\nexists"));
        assertEquals(Verdict.SOMETIMES, r.verdict(), r.herd());
        assertEquals(List.of("data-race"), r.flags(), r.herd());
        assertTrue(r.herd().contains("Flag data-race\n"), r.herd());
    }

    @Test
    void anUnorderedPlainWriteAndReadRace() {
        Candidates.Result r = lkmm("C race\n{}\nP0(int *x) {\n *x = 1;\n}\nP1(int *x) {\n int r0 = READ_ONCE(*x);\n}\nexists (1:r0=1)\n");
        assertEquals(Verdict.SOMETIMES, r.verdict(), r.herd());
        assertEquals(List.of("data-race"), r.flags(), r.herd());
    }

    @Test
    void aPlainWritePublishedByReleaseAcquireDoesNotRace() {
        // explanation.txt's message passing with a plain payload: the release and the acquire
        // (with the load under the acquire's control) bound the plain accesses
        Candidates.Result r = lkmm("C mp\n{}\nP0(int *x, int *y) {\n *x = 1;\n smp_store_release(y, 1);\n}\n"
                + "P1(int *x, int *y) {\n int r1 = 0;\n int r0 = smp_load_acquire(y);\n if (r0)\n  r1 = *x;\n}\nexists (1:r0=1 /\\ 1:r1=0)\n");
        assertEquals(Verdict.NEVER, r.verdict(), r.herd());
        assertEquals(List.of(), r.flags(), r.herd());
    }

    @Test
    void plainCoherenceForbidsAPlainReadFromAWriteThatFollowsIt() {
        // P0's plain read of x is bounded by its release, P1's plain write of x by its acquire:
        // reading the later write is wr-incoh. No marked cycle forbids it: hb and pb stop at the
        // plain accesses, so only the plain-coherence axiom does.
        String lb = "C lb\n{}\nP0(int *x, int *y) {\n int r0 = *x;\n smp_store_release(y, 1);\n}\n"
                + "P1(int *x, int *y) {\n int r1 = smp_load_acquire(y);\n *x = 1;\n}\nexists (0:r0=1 /\\ 1:r1=1)\n";
        Candidates.Result r = lkmm(lb);
        assertEquals(Verdict.NEVER, r.verdict(), r.herd());
        Lkmm full = new Lkmm();
        Model withoutPlainCoherence = model("lkmm-without-plain-coherence", x -> {
            String v = full.violated(x);
            return "plain-coherence".equals(v) ? null : v;
        });
        assertEquals(Verdict.SOMETIMES, run(lb, withoutPlainCoherence).verdict());
        // when the acquire reads the initial y, nothing orders P0's read before P1's write: a race
        assertEquals(List.of("data-race"), r.flags(), r.herd());
    }

    @Test
    void aPlainWriteNextToAMarkedAccessOfItsLocationIsFlagged() {
        Candidates.Result r = lkmm("C mixed\n{}\nP0(int *x) {\n *x = 1;\n WRITE_ONCE(*x, 2);\n}\nexists (x=2)\n");
        assertEquals(List.of("mixed-accesses"), r.flags(), r.herd());
        Candidates.Result barrier = lkmm("C mixed\n{}\nP0(int *x) {\n *x = 1;\n barrier();\n WRITE_ONCE(*x, 2);\n}\nexists (x=2)\n");
        assertEquals(List.of(), barrier.flags(), barrier.herd());
    }

    @Test
    void aValueThatJustifiesItsOwnBranchIsACandidate() {
        // LB with a control dependency on each side: x=1 and y=1 only come from writes under ifs
        // that test them. herd7 has this candidate (LKMM then forbids it: ctrl to a write is ppo);
        // a model that checks coherence alone must allow it.
        String lb = "C lb+ctrls\n{}\nP0(int *x, int *y) {\n int r0 = READ_ONCE(*x);\n if (r0 == 1)\n  WRITE_ONCE(*y, 1);\n}\n"
                + "P1(int *x, int *y) {\n int r1 = READ_ONCE(*y);\n if (r1 == 1)\n  WRITE_ONCE(*x, 1);\n}\nexists (0:r0=1 /\\ 1:r1=1)\n";
        Model coherenceOnly = model("coherence-only", x -> null);
        assertEquals(Verdict.SOMETIMES, run(lb, coherenceOnly).verdict());
        assertEquals(Verdict.NEVER, lkmm(lb).verdict());
    }
}
