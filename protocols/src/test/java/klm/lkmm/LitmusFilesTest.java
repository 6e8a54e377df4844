package klm.lkmm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import klm.litmus.Ast;
import klm.litmus.LitmusReader;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every litmus file of the corpus (protocols/litmus/, found by walking the folder, so files added
 * later are included) that carries a published {@code Result:} line, answered by the axiomatic
 * LKMM through {@link FromLitmus}: the answer must be the published one. A file using a construct
 * klm.lkmm cannot express (plain accesses, RCU grace periods, ...) is not answered: its test is
 * skipped with the construct, file and line as the reason, and {@link #inexpressibleFilesAreListed}
 * prints the list.
 */
class LitmusFilesTest {
    static List<Path> corpus() throws IOException {
        try (Stream<Path> s = Files.walk(Path.of("litmus"))) {
            return s.filter(f -> f.toString().endsWith(".litmus")).sorted().toList();
        }
    }

    /** The published answer of {@code t} under LKMM, or the reason it is not checked. */
    static String check(Path f) {
        Ast.Test t = LitmusReader.read(f);
        String published = t.result().orElse(null);
        if (published == null) {
            return null;
        }
        Candidates.Result r = FromLitmus.run(t, new Lkmm());
        return r.verdict().word.equals(published) ? "" : f + ": published " + published + ", the axiomatic LKMM answers "
                + r.verdict().word + "\n" + r.herd();
    }

    @TestFactory
    Stream<DynamicTest> everyPublishedResultAsPublished() throws IOException {
        List<Path> files = corpus();
        assertTrue(files.size() >= 6, "the corpus must be found under " + Path.of("litmus").toAbsolutePath());
        return files.stream().map(f -> DynamicTest.dynamicTest(f.toString(), () -> {
            String problem;
            try {
                problem = check(f);
            } catch (FromLitmus.Inexpressible e) {
                Assumptions.abort("not answered by klm.lkmm: " + e.getMessage());
                return;
            }
            Assumptions.assumeTrue(problem != null, f + " has no Result: line");
            assertEquals("", problem);
        }));
    }

    @Test
    void inexpressibleFilesAreListed() throws IOException {
        List<String> listed = new ArrayList<>();
        int answered = 0;
        for (Path f : corpus()) {
            try {
                if (check(f) != null) {
                    answered++;
                }
            } catch (FromLitmus.Inexpressible e) {
                listed.add(f + " (" + e.construct() + "): " + e.getMessage());
            }
        }
        System.out.println("LKMM answered " + answered + " corpus files with a Result: line; not expressible in klm.lkmm: "
                + listed.size() + (listed.isEmpty() ? "" : "\n  " + String.join("\n  ", listed)));
        assertTrue(answered >= 6, "the mmu-notifier files and the kernel's first five must be answered");
    }

    /** The finding's file and its acquire variant: LKMM's own answers, not copied from herd7. */
    @Test
    void driverRetryFilesAsLkmmAnswersThem() {
        assertEquals(Candidates.Verdict.SOMETIMES,
                FromLitmus.run(LitmusReader.read(Path.of("litmus/klm/mmu-notifier-driver-retry.litmus")), new Lkmm()).verdict());
        assertEquals(Candidates.Verdict.NEVER,
                FromLitmus.run(LitmusReader.read(Path.of("litmus/klm/mmu-notifier-driver-retry-acquire.litmus")), new Lkmm()).verdict());
    }

    private static Program program(String body) {
        return FromLitmus.program(LitmusReader.parse("C t\n{}\n" + body, "t.litmus"));
    }

    @Test
    void primitivesAsLinuxKernelDefDefinesThem() {
        Program p = program("P0(int *x, atomic_t *a, spinlock_t *s) {\n int r0; int r1;\n r0 = xchg_acquire(x, 2) + 1;\n"
                + " atomic_inc(a);\n r1 = atomic_dec_and_test(a);\n spin_lock(s);\n smp_store_mb(*x, 3);\n spin_unlock(s);\n}\n"
                + "exists (0:r0=1)");
        String code = p.threads().get(0).toString();
        assertTrue(code.contains("Rmw[reg=tmp#1, op=XCHG, addr=AddrOf[loc=x], operand=Const[value=2], expected=null, order=ACQUIRE,"
                + " returnsValue=true, returnsNew=false]"), code);
        assertTrue(code.contains("Assign[reg=r0, e=Bin[op=+, left=Reg[name=tmp#1], right=Const[value=1]]]"), code);
        assertTrue(code.contains("Rmw[reg=null, op=ADD, addr=AddrOf[loc=a], operand=Const[value=1], expected=null, order=RELAXED,"
                + " returnsValue=false, returnsNew=false]"), code);
        assertTrue(code.contains("Rmw[reg=r1, op=SUB, addr=AddrOf[loc=a], operand=Const[value=1], expected=null, order=FULL,"
                + " returnsValue=true, returnsNew=true], Assign[reg=r1, e=Bin[op===, left=Reg[name=r1], right=Const[value=0]]]"), code);
        assertTrue(code.contains("Store[addr=AddrOf[loc=x], value=Const[value=3], annotation=ONCE], Fence[kind=MB]"), code);
    }

    @Test
    void plainAccessesAreUnannotatedLoadsAndStores() {
        String code = program("P0(int *x, int *y) {\n int r0;\n r0 = *x + 1;\n *y = r0;\n}\nexists (0:r0=1)").threads().get(0).toString();
        assertTrue(code.contains("Load[reg=tmp#1, addr=AddrOf[loc=x], annotation=PLAIN], Assign[reg=r0, e=Bin[op=+, left=Reg[name=tmp#1],"
                + " right=Const[value=1]]], Store[addr=AddrOf[loc=y], value=Reg[name=r0], annotation=PLAIN]"), code);
    }

    @Test
    void whatLkmmHereCannotExpressIsAnErrorNamingIt() {
        FromLitmus.Inexpressible gp = assertThrows(FromLitmus.Inexpressible.class,
                () -> program("P0(int *x) {\n WRITE_ONCE(*x, 1);\n synchronize_rcu();\n}\nexists (x=1)"));
        assertEquals("t.litmus:5: synchronize_rcu cannot be expressed by the axiomatic models (klm.lkmm): RCU grace periods and"
                + " SRCU (linux-kernel.cat's rcu-fence and srcu relations) are not modelled", gp.getMessage());
        FromLitmus.Inexpressible unknown = assertThrows(FromLitmus.Inexpressible.class,
                () -> program("P0(int *x) {\n atomic_inc_relaxed(x);\n}\nexists (x=1)"));
        assertTrue(unknown.getMessage().contains("atomic_inc_relaxed"), unknown.getMessage());
    }

    @Test
    void theLocationsClauseIsShownInTheStates() {
        Candidates.Result r = FromLitmus.run(LitmusReader.parse("C t\n{}\nP0(int *x, int *y) {\n int r0;\n WRITE_ONCE(*x, 1);\n"
                + " r0 = READ_ONCE(*y);\n}\nP1(int *y) {\n WRITE_ONCE(*y, 1);\n}\nlocations [x;]\nexists (0:r0=1)", "t.litmus"), new Lkmm());
        assertEquals(List.of("0:r0=0; x=1;", "0:r0=1; x=1;"), r.stateLines());
        assertFalse(r.verdict() == Candidates.Verdict.NEVER);
    }
}
