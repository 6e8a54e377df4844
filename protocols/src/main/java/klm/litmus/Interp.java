package klm.litmus;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import klm.kernel.Barrier;
import klm.kernel.Ptr;
import klm.kernel.SpinLock;
import klm.kernel.Word;
import klm.litmus.Ast.*;

/**
 * The meaning of a thread's statements on the kernel runtime's objects. A value is an
 * {@link Integer} or a location (a {@link Word}, {@link Ptr} or {@link SpinLock}). Each primitive
 * maps by the project's memory-ordering mapping: READ_ONCE/WRITE_ONCE opaque, acquire/release as
 * named, smp_mb() a full fence, xchg/cmpxchg and value-returning atomics fully ordered RMWs,
 * spin_lock ACQUIRE and spin_unlock RELEASE.
 */
final class Interp {
    /** Primitives with no effect on ordering here: RCU read-side sections without a grace period. */
    private static final Set<String> NOOPS = Set.of("rcu_read_lock", "rcu_read_unlock");
    /** Every primitive this interpreter gives a meaning to. */
    static final Set<String> KNOWN = Set.of("READ_ONCE", "WRITE_ONCE", "smp_load_acquire", "smp_store_release", "smp_mb",
            "smp_rmb", "smp_wmb", "smp_mb__before_atomic", "smp_mb__after_atomic", "smp_mb__after_spinlock", "spin_lock",
            "spin_unlock", "spin_trylock", "spin_is_locked", "xchg", "cmpxchg", "rcu_dereference", "rcu_assign_pointer",
            "rcu_read_lock", "rcu_read_unlock", "atomic_read", "atomic_set", "atomic_xchg", "atomic_cmpxchg",
            "atomic_add_return", "atomic_sub_return", "atomic_inc_return", "atomic_dec_return", "atomic_fetch_add",
            "atomic_cmpxchg_acquire", "atomic_add_return_release", "atomic_read_acquire", "atomic_set_release");

    private final Ast.Test t;
    private final Map<String, Object> locs;
    private final Map<String, Object> regs;
    private final int cpu;

    Interp(Ast.Test t, Map<String, Object> locs, Map<String, Object> regs, int cpu) {
        this.t = t;
        this.locs = locs;
        this.regs = regs;
        this.cpu = cpu;
    }

    /** Rejects what is not modelled before anything runs: a call no mapping covers. */
    static void check(Ast.Test t) {
        for (Ast.Thread th : t.threads()) {
            checkStmts(th.body());
        }
    }

    private static void checkStmts(List<Stmt> body) {
        for (Stmt s : body) {
            if (s instanceof Decl d) {
                d.init().ifPresent(e -> checkExpr(e, d.pos()));
            } else if (s instanceof Assign a) {
                checkExpr(a.target(), a.pos());
                checkExpr(a.value(), a.pos());
            } else if (s instanceof ExprStmt e) {
                checkExpr(e.expr(), e.pos());
            } else if (s instanceof If i) {
                checkExpr(i.cond(), i.pos());
                checkStmts(i.then());
                checkStmts(i.otherwise());
            } else if (s instanceof Block b) {
                checkStmts(b.body());
            }
        }
    }

    private static void checkExpr(Expr e, Pos pos) {
        if (e instanceof Call c) {
            if (!KNOWN.contains(c.name())) {
                throw new LitmusException(c.pos(), "'" + c.name() + "' is not modelled by the explorer (no verdict); modelled: "
                        + new java.util.TreeSet<>(KNOWN));
            }
            c.args().forEach(a -> checkExpr(a, c.pos()));
        } else if (e instanceof Deref d) {
            checkExpr(d.target(), pos);
        } else if (e instanceof AddrOf a) {
            checkExpr(a.target(), pos);
        } else if (e instanceof Cast c) {
            checkExpr(c.value(), pos);
        } else if (e instanceof Unary u) {
            checkExpr(u.operand(), pos);
        } else if (e instanceof Binary b) {
            checkExpr(b.left(), pos);
            checkExpr(b.right(), pos);
        }
    }

    /** The test's locations as runtime objects, and an empty register map per thread (with the init block's registers). */
    static void setUp(Ast.Test t, Map<String, Object> locs, List<Map<String, Object>> regs) {
        Map<String, String> types = new HashMap<>();
        for (Ast.Thread th : t.threads()) {
            for (Param p : th.params()) {
                types.putIfAbsent(p.name(), p.type());
            }
        }
        for (Init i : t.init()) {
            if (i.thread().isEmpty()) {
                types.put(i.name(), i.type().map(s -> s + " *").orElse(
                        i.value().filter(v -> v instanceof AddressOf).isPresent() ? "int * *" : types.getOrDefault(i.name(), "int *")));
            }
        }
        for (Map.Entry<String, String> e : types.entrySet()) {
            String ty = e.getValue().replace(" ", "");
            Object o = ty.startsWith("spinlock_t") ? new SpinLock(e.getKey()) : ty.endsWith("**") ? new Ptr<Object>() : new Word();
            locs.put(e.getKey(), o);
        }
        for (Init i : t.init()) {
            if (i.thread().isEmpty() && i.value().isPresent()) {
                Object o = locs.get(i.name());
                Value v = i.value().get();
                if (o instanceof Ptr<?> p) {
                    @SuppressWarnings("unchecked") Ptr<Object> q = (Ptr<Object>) p;
                    q.setPlain(v instanceof AddressOf a ? locs.get(a.name()) : Integer.valueOf((int) ((Num) v).value()));
                } else if (o instanceof Word w) {
                    if (!(v instanceof Num n)) {
                        throw new LitmusException(i.pos(), "'" + i.name() + "' is an int but starts as the address of " + v);
                    }
                    w.setPlain((int) n.value());
                }
            }
        }
        for (int k = 0; k < t.threads().size(); k++) {
            Map<String, Object> r = new HashMap<>();
            for (Init i : t.init()) {
                if (i.thread().isPresent() && i.thread().get() == k) {
                    Value v = i.value().orElse(new Num(0));
                    r.put(i.name(), v instanceof AddressOf a ? locs.get(a.name()) : Integer.valueOf((int) ((Num) v).value()));
                }
            }
            regs.add(r);
        }
    }

    /** A location's value after the execution. */
    static Object finalValue(Object loc) {
        if (loc instanceof Word w) {
            return w.plain();
        }
        if (loc instanceof Ptr<?> p) {
            Object v = p.plain();
            return v == null ? Integer.valueOf(0) : v;
        }
        return 0;
    }

    static boolean holds(Cond c, LitmusRunner.Run r) {
        if (c instanceof And a) {
            return holds(a.left(), r) && holds(a.right(), r);
        } else if (c instanceof Or o) {
            return holds(o.left(), r) || holds(o.right(), r);
        } else if (c instanceof Not n) {
            return !holds(n.operand(), r);
        } else if (c instanceof Bool b) {
            return b.value();
        }
        Atom a = (Atom) c;
        Object have = a.ref() instanceof Loc l ? finalValue(r.locs.get(l.name()))
                : r.regs.get(((Reg) a.ref()).thread()).getOrDefault(((Reg) a.ref()).name(), 0);
        Object want = a.value() instanceof AddressOf ad ? r.locs.get(ad.name()) : Integer.valueOf((int) ((Num) a.value()).value());
        boolean eq = have instanceof Integer ? have.equals(want) : have == want;
        return eq == a.equal();
    }

    // ------------------------------------------------------------------ statements

    void run(List<Stmt> body) {
        for (Stmt s : body) {
            if (s instanceof Decl d) {
                regs.put(d.name(), d.init().isPresent() ? eval(d.init().get()) : Integer.valueOf(0));
            } else if (s instanceof Assign a) {
                Object v = eval(a.value());
                if (a.target() instanceof Name n) {
                    if (locs.containsKey(n.name()) && !regs.containsKey(n.name())) {
                        throw new LitmusException(a.pos(), "assigns to parameter '" + n.name() + "' (a pointer); write *" + n.name());
                    }
                    regs.put(n.name(), v);
                } else {
                    Object loc = loc(((Deref) a.target()).target(), a.pos());
                    storePlain(loc, v, a.pos());
                }
            } else if (s instanceof ExprStmt e) {
                eval(e.expr());
            } else if (s instanceof If i) {
                run(truth(eval(i.cond())) ? i.then() : i.otherwise());
            } else if (s instanceof Block b) {
                run(b.body());
            }
        }
    }

    private static boolean truth(Object v) {
        return v instanceof Integer n ? n != 0 : v != null;
    }

    private static int num(Object v, Pos pos) {
        if (v instanceof Integer n) {
            return n;
        }
        throw new LitmusException(pos, "an arithmetic operation on a pointer is not modelled");
    }

    /** The location a pointer-valued expression denotes. */
    private Object loc(Expr e, Pos pos) {
        Object v = eval(e);
        if (v instanceof Word || v instanceof Ptr || v instanceof SpinLock) {
            return v;
        }
        throw new LitmusException(pos, "'" + e + "' is not a pointer to a location");
    }

    /** The location of a READ_ONCE/WRITE_ONCE argument, written {@code *x}. */
    private Object derefArg(Expr e, Pos pos) {
        if (e instanceof Deref d) {
            return loc(d.target(), pos);
        }
        throw new LitmusException(pos, "expected '*pointer' as the location argument, found " + e);
    }

    @SuppressWarnings("unchecked")
    private void storePlain(Object loc, Object v, Pos pos) {
        if (loc instanceof Word w) {
            w.setPlain(num(v, pos));
        } else {
            ((Ptr<Object>) loc).setPlain(v);
        }
    }

    private Object eval(Expr e) {
        if (e instanceof Const c) {
            return Integer.valueOf((int) c.value());
        }
        if (e instanceof Name n) {
            if (regs.containsKey(n.name())) {
                return regs.get(n.name());
            }
            if (locs.containsKey(n.name())) {
                return locs.get(n.name());
            }
            throw new LitmusException(t.pos(), "P" + cpu + " uses '" + n.name() + "', which is neither a register nor a parameter");
        }
        if (e instanceof Deref d) {
            Object loc = loc(d.target(), t.pos());
            return loc instanceof Word w ? Integer.valueOf(w.plain()) : ((Ptr<?>) loc).plain();
        }
        if (e instanceof AddrOf a) {
            if (a.target() instanceof Deref d) {
                return eval(d.target());
            }
            throw new LitmusException(t.pos(), "'&' of " + a.target() + " is not modelled");
        }
        if (e instanceof Cast c) {
            return eval(c.value());
        }
        if (e instanceof Unary u) {
            Object v = eval(u.operand());
            return switch (u.op()) {
                case "!" -> truth(v) ? 0 : 1;
                case "-" -> -num(v, t.pos());
                default -> ~num(v, t.pos());
            };
        }
        if (e instanceof Binary b) {
            if (b.op().equals("&&")) {
                return truth(eval(b.left())) && truth(eval(b.right())) ? 1 : 0;
            }
            if (b.op().equals("||")) {
                return truth(eval(b.left())) || truth(eval(b.right())) ? 1 : 0;
            }
            Object l = eval(b.left());
            Object r = eval(b.right());
            if (b.op().equals("==") || b.op().equals("!=")) {
                boolean eq = l instanceof Integer ? l.equals(r) : l == r;
                return eq == b.op().equals("==") ? 1 : 0;
            }
            int x = num(l, t.pos());
            int y = num(r, t.pos());
            return switch (b.op()) {
                case "+" -> x + y;
                case "-" -> x - y;
                case "*" -> x * y;
                case "/" -> x / y;
                case "%" -> x % y;
                case "&" -> x & y;
                case "|" -> x | y;
                case "^" -> x ^ y;
                case "<" -> x < y ? 1 : 0;
                case "<=" -> x <= y ? 1 : 0;
                case ">" -> x > y ? 1 : 0;
                default -> x >= y ? 1 : 0;
            };
        }
        return call((Call) e);
    }

    @SuppressWarnings("unchecked")
    private Object call(Call c) {
        List<Expr> a = c.args();
        Pos p = c.pos();
        switch (c.name()) {
            case "READ_ONCE", "rcu_dereference" -> {
                Object loc = derefArg(a.get(0), p);
                return loc instanceof Word w ? Integer.valueOf(w.readOnce()) : ((Ptr<Object>) loc).readOnce();
            }
            case "WRITE_ONCE" -> {
                Object loc = derefArg(a.get(0), p);
                Object v = eval(a.get(1));
                if (loc instanceof Word w) {
                    w.writeOnce(num(v, p));
                } else {
                    ((Ptr<Object>) loc).writeOnce(v);
                }
                return 0;
            }
            case "rcu_assign_pointer" -> {
                Object loc = derefArg(a.get(0), p);
                ((Ptr<Object>) loc).storeRelease(eval(a.get(1)));
                return 0;
            }
            case "smp_load_acquire", "atomic_read_acquire" -> {
                Object loc = loc(a.get(0), p);
                return loc instanceof Word w ? Integer.valueOf(w.loadAcquire()) : ((Ptr<Object>) loc).loadAcquire();
            }
            case "smp_store_release", "atomic_set_release" -> {
                Object loc = loc(a.get(0), p);
                Object v = eval(a.get(1));
                if (loc instanceof Word w) {
                    w.storeRelease(num(v, p));
                } else {
                    ((Ptr<Object>) loc).storeRelease(v);
                }
                return 0;
            }
            case "atomic_read" -> {
                return ((Word) loc(a.get(0), p)).readOnce();
            }
            case "atomic_set" -> {
                ((Word) loc(a.get(0), p)).writeOnce(num(eval(a.get(1)), p));
                return 0;
            }
            case "smp_mb", "smp_mb__before_atomic", "smp_mb__after_atomic" -> {
                Barrier.smpMb();
                return 0;
            }
            case "smp_mb__after_spinlock" -> {
                Barrier.smpMbAfterSpinlock();
                return 0;
            }
            case "smp_rmb" -> {
                Barrier.smpRmb();
                return 0;
            }
            case "smp_wmb" -> {
                Barrier.smpWmb();
                return 0;
            }
            case "spin_lock" -> {
                ((SpinLock) loc(a.get(0), p)).spinLock();
                return 0;
            }
            case "spin_unlock" -> {
                ((SpinLock) loc(a.get(0), p)).spinUnlock();
                return 0;
            }
            case "spin_trylock" -> {
                return ((SpinLock) loc(a.get(0), p)).spinTrylock() ? 1 : 0;
            }
            case "spin_is_locked" -> {
                return ((SpinLock) loc(a.get(0), p)).spinIsLocked() ? 1 : 0;
            }
            case "xchg", "atomic_xchg" -> {
                Object loc = loc(a.get(0), p);
                Object v = eval(a.get(1));
                return loc instanceof Word w ? Integer.valueOf(w.xchg(num(v, p))) : ((Ptr<Object>) loc).xchg(v);
            }
            case "cmpxchg", "atomic_cmpxchg" -> {
                Object loc = loc(a.get(0), p);
                Object o = eval(a.get(1));
                Object n = eval(a.get(2));
                return loc instanceof Word w ? Integer.valueOf(w.cmpxchg(num(o, p), num(n, p))) : ((Ptr<Object>) loc).cmpxchg(o, n);
            }
            case "atomic_cmpxchg_acquire" -> {
                return ((Word) loc(a.get(0), p)).cmpxchgAcquire(num(eval(a.get(1)), p), num(eval(a.get(2)), p));
            }
            case "atomic_add_return" -> {
                int d = num(eval(a.get(0)), p);
                return ((Word) loc(a.get(1), p)).addReturn(d);
            }
            case "atomic_add_return_release" -> {
                int d = num(eval(a.get(0)), p);
                return ((Word) loc(a.get(1), p)).addReturnRelease(d);
            }
            case "atomic_sub_return" -> {
                int d = num(eval(a.get(0)), p);
                return ((Word) loc(a.get(1), p)).addReturn(-d);
            }
            case "atomic_fetch_add" -> {
                int d = num(eval(a.get(0)), p);
                return ((Word) loc(a.get(1), p)).addReturn(d) - d;
            }
            case "atomic_inc_return" -> {
                return ((Word) loc(a.get(0), p)).incReturn();
            }
            case "atomic_dec_return" -> {
                return ((Word) loc(a.get(0), p)).decReturn();
            }
            default -> {
                if (NOOPS.contains(c.name())) {
                    return 0;
                }
                throw new LitmusException(p, "'" + c.name() + "' is not modelled by the explorer (no verdict)");
            }
        }
    }
}
