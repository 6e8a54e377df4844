package klm.litmus;

import java.util.List;
import java.util.Optional;

/**
 * The tree of one litmus test, as written in herd7's C dialect (see the package documentation).
 * Every list is unmodifiable; nothing here interprets the primitives.
 */
public final class Ast {
    private Ast() {}

    /** A place in a litmus file: the file's name as given to the reader, and a line counted from 1. */
    public record Pos(String file, int line) {
        @Override
        public String toString() {
            return file + ":" + line;
        }
    }

    /** What the final clause asks: {@code exists}, {@code ~exists} or {@code forall}. */
    public enum Quantifier {
        EXISTS("exists"), NOT_EXISTS("~exists"), FORALL("forall");

        private final String text;

        Quantifier(String text) {
            this.text = text;
        }

        /** The keyword as written in a file. */
        public String text() {
            return text;
        }
    }

    /**
     * One litmus test.
     *
     * @param name       the name after {@code C}
     * @param result     the {@code Result:} line's word ({@code Never}, {@code Sometimes},
     *                   {@code Always}) if the file has one
     * @param init       the initial-state block, in order
     * @param threads    P0, P1, ... in order of their number
     * @param locations  the {@code locations [...]} clause's entries (empty if none)
     * @param filter     the {@code filter} clause, if any
     * @param quantifier the final clause's quantifier
     * @param condition  the final clause's proposition
     * @param pos        where the test starts ({@code C name})
     */
    public record Test(String name, Optional<String> result, List<Init> init, List<Thread> threads,
                       List<Ref> locations, Optional<Cond> filter, Quantifier quantifier, Cond condition, Pos pos) {
        public Test {
            init = List.copyOf(init);
            threads = List.copyOf(threads);
            locations = List.copyOf(locations);
        }
    }

    /**
     * One entry of the initial-state block. {@code thread} is empty for a shared location and the
     * thread's number for a register ({@code 0:r1=2}); {@code type} is the declared type text
     * ({@code "int"}, {@code "int *"}, {@code "spinlock_t"}, {@code "atomic_t"}) or empty when none
     * is written; {@code value} is empty when none is written (the location starts at 0).
     */
    public record Init(Optional<Integer> thread, String name, Optional<String> type, Optional<Value> value, Pos pos) {}

    /** An initial or final value: a number, or the address of a shared variable ({@code int *p=y}, {@code 1:r0=x}). */
    public sealed interface Value permits Num, AddressOf {}

    /** A number. */
    public record Num(long value) implements Value {
        @Override
        public String toString() {
            return Long.toString(value);
        }
    }

    /** The address of shared variable {@code name}. */
    public record AddressOf(String name) implements Value {
        @Override
        public String toString() {
            return name;
        }
    }

    /** A thread's parameter: its type text as written ({@code "int *"}, {@code "spinlock_t *"}) and its name. */
    public record Param(String type, String name) {}

    /** {@code Pn(params) { body }}. */
    public record Thread(int index, List<Param> params, List<Stmt> body, Pos pos) {
        public Thread {
            params = List.copyOf(params);
            body = List.copyOf(body);
        }
    }

    // ------------------------------------------------------------------ statements

    /** A statement of a thread's body. */
    public sealed interface Stmt permits Decl, Assign, ExprStmt, If, Block {
        Pos pos();
    }

    /** {@code int r0;} or {@code int r0 = e;} ({@code type} is the type text, e.g. {@code "int"}, {@code "int *"}). */
    public record Decl(String type, String name, Optional<Expr> init, Pos pos) implements Stmt {}

    /** {@code target = value;}: {@code target} is a {@link Name} (a register) or a {@link Deref} (a plain store). */
    public record Assign(Expr target, Expr value, Pos pos) implements Stmt {}

    /** An expression evaluated for its effect, e.g. {@code WRITE_ONCE(*x, 1);} or {@code smp_mb();}. */
    public record ExprStmt(Expr expr, Pos pos) implements Stmt {}

    /** {@code if (cond) then else otherwise}; {@code otherwise} is empty when there is no {@code else}. */
    public record If(Expr cond, List<Stmt> then, List<Stmt> otherwise, Pos pos) implements Stmt {
        public If {
            then = List.copyOf(then);
            otherwise = List.copyOf(otherwise);
        }
    }

    /** {@code { ... }} inside a body. */
    public record Block(List<Stmt> body, Pos pos) implements Stmt {
        public Block {
            body = List.copyOf(body);
        }
    }

    // ------------------------------------------------------------------ expressions

    /** An expression of a thread's body. */
    public sealed interface Expr permits Const, Name, Deref, AddrOf, Cast, Unary, Binary, Call {}

    /** A number. */
    public record Const(long value) implements Expr {}

    /** A register, a local or a parameter. */
    public record Name(String name) implements Expr {}

    /** {@code *e}. */
    public record Deref(Expr target) implements Expr {}

    /** {@code &e}. */
    public record AddrOf(Expr target) implements Expr {}

    /** {@code (type) e}, the type text as written (e.g. {@code "int *"}). */
    public record Cast(String type, Expr value) implements Expr {}

    /** {@code !e}, {@code -e}, {@code ~e}. */
    public record Unary(String op, Expr operand) implements Expr {}

    /** {@code a op b}: {@code + - * / % & | ^ == != < <= > >= && ||}. */
    public record Binary(String op, Expr left, Expr right) implements Expr {}

    /** A call of primitive {@code name} (e.g. {@code READ_ONCE}) with its arguments as written. */
    public record Call(String name, List<Expr> args, Pos pos) implements Expr {
        public Call {
            args = List.copyOf(args);
        }
    }

    // ------------------------------------------------------------------ the final clause

    /** A proposition of the final clause or of {@code filter}. */
    public sealed interface Cond permits And, Or, Not, Bool, Atom {}

    /** {@code a /\ b}. */
    public record And(Cond left, Cond right) implements Cond {}

    /** {@code a \/ b}. */
    public record Or(Cond left, Cond right) implements Cond {}

    /** {@code ~a}. */
    public record Not(Cond operand) implements Cond {}

    /** {@code true} or {@code false}. */
    public record Bool(boolean value) implements Cond {}

    /** {@code ref=value} ({@code equal}) or {@code ref!=value}. */
    public record Atom(Ref ref, Value value, boolean equal, Pos pos) implements Cond {}

    /** What an atom or a {@code locations} entry names: a shared location, or a thread's register. */
    public sealed interface Ref permits Loc, Reg {}

    /** Shared location {@code name} ({@code x=1}). */
    public record Loc(String name) implements Ref {
        @Override
        public String toString() {
            return name;
        }
    }

    /** Register {@code name} of thread {@code thread} ({@code 0:r1=1}). */
    public record Reg(int thread, String name) implements Ref {
        @Override
        public String toString() {
            return thread + ":" + name;
        }
    }
}
