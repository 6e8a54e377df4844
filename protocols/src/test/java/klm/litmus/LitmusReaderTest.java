package klm.litmus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** The reader: the tree of a kernel test, and each kind of bad input with its own message. */
class LitmusReaderTest {
    static final String MP = """
            C MP+poonceonces

            (*
             * Result: Sometimes
             *
             * Can the counter-intuitive message-passing outcome be prevented with
             * no ordering at all?
             *)

            {}

            P0(int *buf, int *flag)
            {
            	WRITE_ONCE(*buf, 1);
            	WRITE_ONCE(*flag, 1);
            }

            P1(int *buf, int *flag)
            {
            	int r0;
            	int r1;

            	r0 = READ_ONCE(*flag);
            	r1 = READ_ONCE(*buf);
            }

            exists (1:r0=1 /\\ 1:r1=0)
            """;

    @Test
    void readsTheMessagePassingTest() {
        Ast.Test t = LitmusReader.parse(MP, "MP.litmus");
        assertEquals("MP+poonceonces", t.name());
        assertEquals(Optional.of("Sometimes"), t.result());
        assertEquals(2, t.threads().size());
        assertEquals(List.of(new Ast.Param("int *", "buf"), new Ast.Param("int *", "flag")), t.threads().get(0).params());
        assertEquals(new Ast.ExprStmt(new Ast.Call("WRITE_ONCE", List.of(new Ast.Deref(new Ast.Name("buf")), new Ast.Const(1)),
                new Ast.Pos("MP.litmus", 14)), new Ast.Pos("MP.litmus", 14)), t.threads().get(0).body().get(0));
        assertEquals(Ast.Quantifier.EXISTS, t.quantifier());
        assertEquals(new Ast.And(new Ast.Atom(new Ast.Reg(1, "r0"), new Ast.Num(1), true, new Ast.Pos("MP.litmus", 27)),
                new Ast.Atom(new Ast.Reg(1, "r1"), new Ast.Num(0), true, new Ast.Pos("MP.litmus", 27))), t.condition());
    }

    @Test
    void readsInitPointersCastsIfAndNegatedClauses() {
        Ast.Test t = LitmusReader.parse("""
                C T
                { int *p=y; spinlock_t s; 0:r9=3; x=1; }
                P0(int **p, int *x, spinlock_t *s) {
                  int *r0; int r1 = 0;
                  r0 = rcu_dereference(*p);
                  if (r0 == x && !r1) { spin_lock(s); *x = (int)r1; } else r1 = 2;
                }
                locations [x; 0:r1]
                filter (0:r1=0)
                ~exists (0:r0=x \\/ ~(x=2))
                """, "T.litmus");
        assertEquals(4, t.init().size());
        assertEquals(new Ast.Init(Optional.empty(), "p", Optional.of("int *"), Optional.of(new Ast.AddressOf("y")),
                new Ast.Pos("T.litmus", 2)), t.init().get(0));
        assertEquals(Optional.of(0), t.init().get(2).thread());
        assertEquals(Ast.Quantifier.NOT_EXISTS, t.quantifier());
        assertTrue(t.filter().isPresent());
        assertEquals(2, t.locations().size());
        Ast.If i = (Ast.If) t.threads().get(0).body().get(3);
        Ast.Block then = (Ast.Block) i.then().get(0);
        assertEquals(2, then.body().size());
        assertEquals(new Ast.Assign(new Ast.Deref(new Ast.Name("x")), new Ast.Cast("int", new Ast.Name("r1")),
                new Ast.Pos("T.litmus", 6)), then.body().get(1));
        assertEquals(1, i.otherwise().size());
    }

    @Test
    void malformedFileNamesFileLineAndWhatWasExpected() {
        LitmusException e = assertThrows(LitmusException.class, () -> LitmusReader.parse(MP.replace("WRITE_ONCE(*flag, 1);",
                "WRITE_ONCE(*flag, 1)"), "MP.litmus"));
        assertEquals("MP.litmus:16: expected ';' after a statement, found '}'", e.getMessage());
        e = assertThrows(LitmusException.class, () -> LitmusReader.parse("X86 SB\n{}", "SB.litmus"));
        assertTrue(e.getMessage().startsWith("SB.litmus:1: a C litmus test starts with 'C name'"), e.getMessage());
        e = assertThrows(LitmusException.class, () -> LitmusReader.parse(MP.replace("exists", ""), "MP.litmus"));
        assertTrue(e.getMessage().startsWith("MP.litmus:27: expected the final clause"), e.getMessage());
    }

    @Test
    void anExistsClauseNamingAnUnknownRegisterIsItsOwnError() {
        LitmusException e = assertThrows(LitmusException.class, () -> LitmusReader.parse(MP.replace("1:r1=0", "1:r7=0"), "MP.litmus"));
        assertEquals("MP.litmus:27: the condition names register '1:r7', which P1 does not declare or assign (its registers are [r0, r1])",
                e.getMessage());
        e = assertThrows(LitmusException.class, () -> LitmusReader.parse(MP.replace("1:r1=0", "2:r1=0"), "MP.litmus"));
        assertTrue(e.getMessage().contains("names thread 2"), e.getMessage());
        e = assertThrows(LitmusException.class, () -> LitmusReader.parse(MP.replace("1:r1=0", "z=0"), "MP.litmus"));
        assertTrue(e.getMessage().contains("names location 'z'"), e.getMessage());
    }

    @Test
    void anUnmodelledPrimitiveIsNamedWithFileAndLine() {
        Ast.Test t = LitmusReader.parse(MP.replace("WRITE_ONCE(*flag, 1);", "synchronize_rcu();"), "MP.litmus");
        LitmusException e = assertThrows(LitmusException.class, () -> Interp.check(t));
        assertTrue(e.getMessage().startsWith("MP.litmus:15: 'synchronize_rcu' is not modelled by the explorer (no verdict)"),
                e.getMessage());
    }

    /**
     * The three kinds of bad file, read from disk as {@code ./litmus} reads them: each error names what is
     * wrong, the file and the line, and what would be valid, and no two kinds read alike.
     */
    @Test
    void eachBadFileOnDiskGetsItsOwnErrorWithFileLineAndWhatIsValid(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path malformed = dir.resolve("malformed.litmus");
        java.nio.file.Files.writeString(malformed, MP.replace("r0 = READ_ONCE(*flag);", "r0 = READ_ONCE(*flag)"));
        java.nio.file.Path primitive = dir.resolve("primitive.litmus");
        java.nio.file.Files.writeString(primitive, MP.replace("WRITE_ONCE(*flag, 1);", "smp_frobnicate(flag);"));
        java.nio.file.Path register = dir.resolve("register.litmus");
        java.nio.file.Files.writeString(register, MP.replace("1:r0=1", "1:r5=1"));

        LitmusException bad = assertThrows(LitmusException.class, () -> LitmusReader.read(malformed));
        assertEquals(malformed + ":24: expected ';' after a statement, found 'r1'", bad.getMessage());

        Ast.Test t = LitmusReader.read(primitive); // it reads; running it is refused before anything runs
        LitmusException unknown = assertThrows(LitmusException.class, () -> Interp.check(t));
        assertTrue(unknown.getMessage().startsWith(primitive + ":15: 'smp_frobnicate' is not modelled by the explorer"
                + " (no verdict); modelled: ["), unknown.getMessage());
        assertTrue(unknown.getMessage().contains("READ_ONCE") && unknown.getMessage().contains("smp_store_release"),
                unknown.getMessage());

        LitmusException reg = assertThrows(LitmusException.class, () -> LitmusReader.read(register));
        assertEquals(register + ":27: the condition names register '1:r5', which P1 does not declare or assign"
                + " (its registers are [r0, r1])", reg.getMessage());
    }
}
