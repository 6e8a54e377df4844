package klm.lkmm;

import java.util.List;
import java.util.Map;

/**
 * A litmus program as the enumeration of candidate executions reads it: locations with their
 * initial values, each thread's statements, and the final clause. Values are {@code long}s; the
 * address of a location is the value {@link #address} gives, so registers may hold pointers and an
 * access may go through one. The litmus reader's syntax tree is translated into this, and the
 * test generator builds it directly. {@code shown} holds the entries of a litmus test's
 * {@code locations [...]} clause ({@link RegIs} or {@link LocIs}, their values unused): the
 * states list them beside what the final clause names, as herd7's do.
 */
public record Program(String name, Map<String, Expr> init, List<List<Stmt>> threads, Quantifier quantifier, Cond condition, Cond filter,
                      List<Cond> shown) {
    public Program {
        shown = List.copyOf(shown);
    }

    /** A program with no {@code locations} clause. */
    public Program(String name, Map<String, Expr> init, List<List<Stmt>> threads, Quantifier quantifier, Cond condition, Cond filter) {
        this(name, init, threads, quantifier, condition, filter, List.of());
    }

    /** The value that is the address of the location with index {@code loc}. */
    public static long address(int loc) {
        return ADDRESS_BASE + loc;
    }

    /** Addresses are at and above this value; plain integers below it. */
    public static final long ADDRESS_BASE = 1L << 40;

    /** The final clause's quantifier: exists, ~exists, forall. */
    public enum Quantifier { EXISTS, NOT_EXISTS, FORALL }

    /** An expression over registers, constants and location addresses. */
    public sealed interface Expr {}

    public record Const(long value) implements Expr {}

    public record Reg(String name) implements Expr {}

    /** {@code &x}, or a pointer parameter {@code x} of a thread. */
    public record AddrOf(String loc) implements Expr {}

    /** A binary operator: + - * & | ^ == != < <= > >= && ||. */
    public record Bin(String op, Expr left, Expr right) implements Expr {
        /** The operator applied to two values (a comparison or logical operator gives 1 or 0). */
        public static long apply(String op, long a, long b) {
            return switch (op) {
                case "+" -> a + b;
                case "-" -> a - b;
                case "*" -> a * b;
                case "&" -> a & b;
                case "|" -> a | b;
                case "^" -> a ^ b;
                case "==" -> a == b ? 1 : 0;
                case "!=" -> a != b ? 1 : 0;
                case "<" -> a < b ? 1 : 0;
                case "<=" -> a <= b ? 1 : 0;
                case ">" -> a > b ? 1 : 0;
                case ">=" -> a >= b ? 1 : 0;
                case "&&" -> a != 0 && b != 0 ? 1 : 0;
                case "||" -> a != 0 || b != 0 ? 1 : 0;
                default -> throw new IllegalArgumentException("unknown operator '" + op + "'; valid: + - * & | ^ == != < <= > >= && ||");
            };
        }
    }

    /** {@code !e}. */
    public record Not(Expr e) implements Expr {}

    /** A statement of a thread. */
    public sealed interface Stmt {}

    /** {@code reg = READ_ONCE(*addr)} ({@link Tag#ONCE}), {@code smp_load_acquire} ({@link Tag#ACQUIRE}). */
    public record Load(String reg, Expr addr, Tag annotation) implements Stmt {}

    /** {@code WRITE_ONCE(*addr, value)} ({@link Tag#ONCE}), {@code smp_store_release} ({@link Tag#RELEASE}). */
    public record Store(Expr addr, Expr value, Tag annotation) implements Stmt {}

    /** A fence: smp_mb ({@link Tag#MB}), smp_rmb, smp_wmb, smp_mb__before_atomic, ... */
    public record Fence(Tag kind) implements Stmt {}

    /** How an RMW orders: relaxed, acquire, release, or fully ordered (an smp_mb() on each side). */
    public enum Order { RELAXED, ACQUIRE, RELEASE, FULL }

    /** The RMW operations: xchg, cmpxchg, and the arithmetic ones. */
    public enum RmwOp { XCHG, CMPXCHG, ADD, SUB, AND, OR, XOR }

    /**
     * An atomic RMW on {@code *addr}: {@code reg} (null if the result is not kept) receives the old
     * value ({@code returnsNew} false: xchg, cmpxchg, atomic_fetch_*) or the new one
     * (atomic_*_return); {@code returnsValue} false is a non-returning atomic (atomic_inc), whose
     * read is {@code 'noreturn}. For cmpxchg, {@code expected} is the value compared.
     */
    public record Rmw(String reg, RmwOp op, Expr addr, Expr operand, Expr expected, Order order, boolean returnsValue, boolean returnsNew) implements Stmt {}

    /** spin_lock(lock). */
    public record Lock(Expr lock) implements Stmt {}

    /** spin_unlock(lock). */
    public record Unlock(Expr lock) implements Stmt {}

    /** {@code reg = spin_trylock(lock)}: 1 if it took the lock. */
    public record TryLock(String reg, Expr lock) implements Stmt {}

    /** {@code reg = spin_is_locked(lock)}. */
    public record IsLocked(String reg, Expr lock) implements Stmt {}

    /** {@code reg = e} on registers only. */
    public record Assign(String reg, Expr e) implements Stmt {}

    /** {@code if (cond) then else otherwise}. */
    public record If(Expr cond, List<Stmt> then, List<Stmt> otherwise) implements Stmt {}

    /** A condition of the final clause. */
    public sealed interface Cond {}

    public record And(Cond left, Cond right) implements Cond {}

    public record Or(Cond left, Cond right) implements Cond {}

    public record NotCond(Cond c) implements Cond {}

    public record True() implements Cond {}

    /** {@code thread:reg=value}. */
    public record RegIs(int thread, String reg, Expr value) implements Cond {}

    /** {@code loc=value}: the location's final value. */
    public record LocIs(String loc, Expr value) implements Cond {}
}
