package klm.lkmm;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import klm.litmus.Ast;
import klm.litmus.Ast.Pos;
import klm.lkmm.Program.AddrOf;
import klm.lkmm.Program.Assign;
import klm.lkmm.Program.Bin;
import klm.lkmm.Program.Const;
import klm.lkmm.Program.Expr;
import klm.lkmm.Program.Fence;
import klm.lkmm.Program.If;
import klm.lkmm.Program.IsLocked;
import klm.lkmm.Program.Load;
import klm.lkmm.Program.Lock;
import klm.lkmm.Program.Not;
import klm.lkmm.Program.Order;
import klm.lkmm.Program.Reg;
import klm.lkmm.Program.Rmw;
import klm.lkmm.Program.RmwOp;
import klm.lkmm.Program.Stmt;
import klm.lkmm.Program.Store;
import klm.lkmm.Program.TryLock;
import klm.lkmm.Program.Unlock;

/**
 * A litmus test as the litmus reader gives it ({@link Ast.Test}) translated into the
 * {@link Program} the axiomatic models answer. Each primitive is translated as the kernel's
 * tools/memory-model/linux-kernel.def defines it (READ_ONCE {@code __load{once}},
 * smp_store_release {@code __store{release}}, xchg {@code __xchg{mb}}, atomic_inc
 * {@code __atomic_op}, ...). A call that returns a value inside a larger expression is run first,
 * into a register of its own ({@code tmp#n}, a name no C identifier can clash with), so that the
 * dependencies flow through it as they do in herd7. A plain C access ({@code *p = v}, {@code *p}
 * read in an expression) is a {@link Tag#PLAIN} store or load, herd7's unannotated access.
 *
 * <p>What {@link Candidates} and {@link Lkmm} cannot express is an {@link Inexpressible} error
 * naming the construct, the file and the line, never an answer: RCU grace periods and SRCU, a
 * call whose short-circuit evaluation matters, {@code /} and {@code %}, a call of a primitive
 * linux-kernel.def does not define.
 */
public final class FromLitmus {
    /** A construct of the test that the axiomatic models here cannot express: no answer is given. */
    public static final class Inexpressible extends RuntimeException {
        private final String construct;

        Inexpressible(Pos pos, String construct, String why) {
            super(pos + ": " + construct + " cannot be expressed by the axiomatic models (klm.lkmm): " + why);
            this.construct = construct;
        }

        /** The construct, as a short name ({@code synchronize_rcu}, {@code plain access}). */
        public String construct() {
            return construct;
        }
    }

    /** The primitives of linux-kernel.def that name RCU grace periods or SRCU: refused. */
    private static final Set<String> RCU_GP = Set.of("synchronize_rcu", "synchronize_rcu_expedited", "srcu_read_lock",
            "srcu_read_unlock", "synchronize_srcu", "synchronize_srcu_expedited", "smp_mb__after_srcu_read_unlock");

    private final Ast.Test t;
    private final Set<String> locations = new HashSet<>();
    private Set<String> regs;
    private int temps;

    private FromLitmus(Ast.Test t) {
        this.t = t;
    }

    /** The program of {@code t}; an {@link Inexpressible} error for what the models cannot express. */
    public static Program program(Ast.Test t) {
        return new FromLitmus(t).translate();
    }

    /** Answers {@code t} under the axiomatic {@code model}. */
    public static Candidates.Result run(Ast.Test t, Model model) {
        return Candidates.run(program(t), model);
    }

    private Program translate() {
        for (Ast.Init i : t.init()) {
            if (i.thread().isEmpty()) {
                locations.add(i.name());
            }
        }
        for (Ast.Thread th : t.threads()) {
            for (Ast.Param p : th.params()) {
                locations.add(p.name());
            }
        }
        Map<String, Expr> init = new LinkedHashMap<>();
        for (Ast.Init i : t.init()) {
            if (i.thread().isEmpty() && i.value().isPresent()) {
                init.put(i.name(), value(i.value().get()));
            }
        }
        List<List<Stmt>> threads = new ArrayList<>();
        for (Ast.Thread th : t.threads()) {
            regs = new HashSet<>();
            List<Stmt> out = new ArrayList<>();
            // a register the initial-state block sets ({@code 0:r1=2}) is set before the thread's code
            for (Ast.Init i : t.init()) {
                if (i.thread().isPresent() && i.thread().get() == th.index()) {
                    regs.add(i.name());
                    out.add(new Assign(i.name(), i.value().map(this::value).orElse(new Const(0))));
                }
            }
            stmts(th.body(), out);
            threads.add(out);
        }
        List<Program.Cond> shown = new ArrayList<>();
        for (Ast.Ref r : t.locations()) {
            shown.add(r instanceof Ast.Loc l ? new Program.LocIs(l.name(), new Const(0))
                    : new Program.RegIs(((Ast.Reg) r).thread(), ((Ast.Reg) r).name(), new Const(0)));
        }
        Program.Quantifier q = switch (t.quantifier()) {
            case EXISTS -> Program.Quantifier.EXISTS;
            case NOT_EXISTS -> Program.Quantifier.NOT_EXISTS;
            case FORALL -> Program.Quantifier.FORALL;
        };
        return new Program(t.name(), init, threads, q, cond(t.condition()), t.filter().map(this::cond).orElse(null), shown);
    }

    private Expr value(Ast.Value v) {
        return v instanceof Ast.AddressOf a ? new AddrOf(a.name()) : new Const(((Ast.Num) v).value());
    }

    private Program.Cond cond(Ast.Cond c) {
        if (c instanceof Ast.And a) {
            return new Program.And(cond(a.left()), cond(a.right()));
        } else if (c instanceof Ast.Or o) {
            return new Program.Or(cond(o.left()), cond(o.right()));
        } else if (c instanceof Ast.Not n) {
            return new Program.NotCond(cond(n.operand()));
        } else if (c instanceof Ast.Bool b) {
            return b.value() ? new Program.True() : new Program.NotCond(new Program.True());
        }
        Ast.Atom a = (Ast.Atom) c;
        Program.Cond one = a.ref() instanceof Ast.Loc l ? new Program.LocIs(l.name(), value(a.value()))
                : new Program.RegIs(((Ast.Reg) a.ref()).thread(), ((Ast.Reg) a.ref()).name(), value(a.value()));
        return a.equal() ? one : new Program.NotCond(one);
    }

    // ------------------------------------------------------------------ statements

    private void stmts(List<Ast.Stmt> body, List<Stmt> out) {
        for (Ast.Stmt s : body) {
            stmt(s, out);
        }
    }

    private void stmt(Ast.Stmt s, List<Stmt> out) {
        if (s instanceof Ast.Decl d) {
            regs.add(d.name());
            out.add(new Assign(d.name(), new Const(0)));
            d.init().ifPresent(e -> assign(d.name(), e, d.pos(), out));
        } else if (s instanceof Ast.Assign a) {
            if (a.target() instanceof Ast.Name n) {
                if (locations.contains(n.name()) && !regs.contains(n.name())) {
                    throw new klm.litmus.LitmusException(a.pos(), "assigns to parameter '" + n.name() + "' (a pointer); write *" + n.name());
                }
                regs.add(n.name());
                assign(n.name(), a.value(), a.pos(), out);
            } else {
                // *p = v: a plain store (an access with no annotation)
                Ast.Expr target = ((Ast.Deref) a.target()).target();
                Expr addr = expr(target, a.pos(), out);
                Expr v = expr(a.value(), a.pos(), out);
                out.add(new Store(addr, v, Tag.PLAIN));
            }
        } else if (s instanceof Ast.ExprStmt e) {
            if (e.expr() instanceof Ast.Call c) {
                call(c, null, out);
            } else {
                expr(e.expr(), e.pos(), out);
            }
        } else if (s instanceof Ast.If i) {
            Expr c = expr(i.cond(), i.pos(), out);
            List<Stmt> then = new ArrayList<>();
            stmts(i.then(), then);
            List<Stmt> otherwise = new ArrayList<>();
            stmts(i.otherwise(), otherwise);
            out.add(new If(c, then, otherwise));
        } else if (s instanceof Ast.Block b) {
            stmts(b.body(), out);
        }
    }

    /** {@code reg = e}: a call straight into the register, anything else through an assignment. */
    private void assign(String reg, Ast.Expr e, Pos pos, List<Stmt> out) {
        Ast.Expr v = e;
        while (v instanceof Ast.Cast c) {
            v = c.value();
        }
        if (v instanceof Ast.Call c) {
            Expr r = call(c, reg, out);
            if (!(r instanceof Reg rr && rr.name().equals(reg))) {
                out.add(new Assign(reg, r));
            }
        } else {
            out.add(new Assign(reg, expr(v, pos, out)));
        }
    }

    private String temp() {
        return "tmp#" + ++temps;
    }

    // ------------------------------------------------------------------ expressions

    private Expr expr(Ast.Expr e, Pos pos, List<Stmt> out) {
        if (e instanceof Ast.Const c) {
            return new Const(c.value());
        } else if (e instanceof Ast.Name n) {
            if (regs.contains(n.name())) {
                return new Reg(n.name());
            }
            if (locations.contains(n.name())) {
                return new AddrOf(n.name());
            }
            throw new klm.litmus.LitmusException(pos, "uses '" + n.name() + "', which is neither a register nor a parameter");
        } else if (e instanceof Ast.Deref d) {
            // *p in an expression: a plain load into a register of its own
            Expr addr = expr(d.target(), pos, out);
            String reg = temp();
            out.add(new Load(reg, addr, Tag.PLAIN));
            return new Reg(reg);
        } else if (e instanceof Ast.AddrOf a) {
            if (a.target() instanceof Ast.Deref d) {
                return expr(d.target(), pos, out);
            }
            throw new Inexpressible(pos, "'&' of " + a.target(), "only '&*p' (which is p) is expressible: a location's own address is its parameter");
        } else if (e instanceof Ast.Cast c) {
            return expr(c.value(), pos, out);
        } else if (e instanceof Ast.Unary u) {
            Expr v = expr(u.operand(), pos, out);
            return switch (u.op()) {
                case "!" -> new Not(v);
                case "-" -> new Bin("-", new Const(0), v);
                default -> new Bin("^", v, new Const(-1));
            };
        } else if (e instanceof Ast.Binary b) {
            if ((b.op().equals("&&") || b.op().equals("||")) && hasCall(b.right())) {
                throw new Inexpressible(pos, "a call in the right operand of " + b.op(),
                        "its short-circuit evaluation would make the access conditional; write it as an if");
            }
            if (b.op().equals("/") || b.op().equals("%")) {
                throw new Inexpressible(pos, "operator " + b.op(), "Program's operators are + - * & | ^ == != < <= > >= && ||");
            }
            Expr l = expr(b.left(), pos, out);
            Expr r = expr(b.right(), pos, out);
            return new Bin(b.op(), l, r);
        }
        return call((Ast.Call) e, temp(), out);
    }

    private static boolean hasCall(Ast.Expr e) {
        if (e instanceof Ast.Call) {
            return true;
        } else if (e instanceof Ast.Deref d) {
            return hasCall(d.target());
        } else if (e instanceof Ast.AddrOf a) {
            return hasCall(a.target());
        } else if (e instanceof Ast.Cast c) {
            return hasCall(c.value());
        } else if (e instanceof Ast.Unary u) {
            return hasCall(u.operand());
        } else if (e instanceof Ast.Binary b) {
            return hasCall(b.left()) || hasCall(b.right());
        }
        return false;
    }

    /** The address a {@code *p} argument names (READ_ONCE, WRITE_ONCE, rcu_dereference: linux-kernel.def's {@code X} with {@code *}). */
    private Expr deref(Ast.Expr a, Pos pos, List<Stmt> out) {
        if (a instanceof Ast.Deref d) {
            return expr(d.target(), pos, out);
        }
        throw new klm.litmus.LitmusException(pos, "expected '*pointer' as the location argument, found " + a);
    }

    private void arity(Ast.Call c, int n) {
        if (c.args().size() != n) {
            throw new klm.litmus.LitmusException(c.pos(), c.name() + " takes " + n + " argument(s), found " + c.args().size());
        }
    }

    /**
     * Appends the statements of call {@code c} to {@code out}; the value it returns goes to
     * {@code dest} (null when unused), and the expression of that value is returned.
     */
    private Expr call(Ast.Call c, String dest, List<Stmt> out) {
        String name = c.name();
        Pos pos = c.pos();
        List<Ast.Expr> a = c.args();
        if (RCU_GP.contains(name) || name.startsWith("srcu_")) {
            throw new Inexpressible(pos, name, "RCU grace periods and SRCU (linux-kernel.cat's rcu-fence and srcu relations) are not modelled");
        }
        String reg = dest == null ? temp() : dest;
        switch (name) {
            case "READ_ONCE", "rcu_dereference" -> {
                arity(c, 1);
                out.add(new Load(reg, deref(a.get(0), pos, out), Tag.ONCE));
                return new Reg(reg);
            }
            case "smp_load_acquire", "atomic_read_acquire" -> {
                arity(c, 1);
                out.add(new Load(reg, expr(a.get(0), pos, out), Tag.ACQUIRE));
                return new Reg(reg);
            }
            case "atomic_read" -> {
                arity(c, 1);
                out.add(new Load(reg, expr(a.get(0), pos, out), Tag.ONCE));
                return new Reg(reg);
            }
            case "WRITE_ONCE", "rcu_assign_pointer", "smp_store_mb" -> {
                arity(c, 2);
                Expr addr = deref(a.get(0), pos, out);
                out.add(new Store(addr, expr(a.get(1), pos, out), name.equals("rcu_assign_pointer") ? Tag.RELEASE : Tag.ONCE));
                if (name.equals("smp_store_mb")) {
                    out.add(new Fence(Tag.MB));
                }
                return new Const(0);
            }
            case "smp_store_release", "atomic_set_release", "atomic_set" -> {
                arity(c, 2);
                Expr addr = expr(a.get(0), pos, out);
                out.add(new Store(addr, expr(a.get(1), pos, out), name.equals("atomic_set") ? Tag.ONCE : Tag.RELEASE));
                return new Const(0);
            }
            case "spin_lock", "spin_unlock" -> {
                arity(c, 1);
                Expr l = expr(a.get(0), pos, out);
                out.add(name.equals("spin_lock") ? new Lock(l) : new Unlock(l));
                return new Const(0);
            }
            case "spin_trylock" -> {
                arity(c, 1);
                out.add(new TryLock(reg, expr(a.get(0), pos, out)));
                return new Reg(reg);
            }
            case "spin_is_locked" -> {
                arity(c, 1);
                out.add(new IsLocked(reg, expr(a.get(0), pos, out)));
                return new Reg(reg);
            }
            default -> {
            }
        }
        Tag fence = FENCES.get(name);
        if (fence != null) {
            arity(c, 0);
            out.add(new Fence(fence));
            return new Const(0);
        }
        return atomic(c, dest, out);
    }

    /** linux-kernel.def's fences; barrier() and rcu_read_lock()/unlock() order nothing between CPUs without a grace period. */
    private static final Map<String, Tag> FENCES = Map.of("smp_mb", Tag.MB, "smp_rmb", Tag.RMB, "smp_wmb", Tag.WMB,
            "smp_mb__before_atomic", Tag.BEFORE_ATOMIC, "smp_mb__after_atomic", Tag.AFTER_ATOMIC,
            "smp_mb__after_spinlock", Tag.AFTER_SPINLOCK, "smp_mb__after_unlock_lock", Tag.AFTER_UNLOCK_LOCK,
            "barrier", Tag.BARRIER, "rcu_read_lock", Tag.RCU_LOCK, "rcu_read_unlock", Tag.RCU_LOCK);

    /** The exchange and atomic families of linux-kernel.def, with their ordering suffixes. */
    private Expr atomic(Ast.Call c, String dest, List<Stmt> out) {
        String name = c.name();
        Pos pos = c.pos();
        List<Ast.Expr> a = c.args();
        Order order = Order.FULL;
        String base = name;
        for (String[] suffix : new String[][] {{"_relaxed", "RELAXED"}, {"_acquire", "ACQUIRE"}, {"_release", "RELEASE"}}) {
            if (name.endsWith(suffix[0])) {
                order = Order.valueOf(suffix[1]);
                base = name.substring(0, name.length() - suffix[0].length());
            }
        }
        String reg = dest == null ? temp() : dest;
        switch (base) {
            case "xchg", "atomic_xchg" -> {
                arity(c, 2);
                Expr addr = expr(a.get(0), pos, out);
                out.add(new Rmw(reg, RmwOp.XCHG, addr, expr(a.get(1), pos, out), null, order, true, false));
                return new Reg(reg);
            }
            case "cmpxchg", "atomic_cmpxchg" -> {
                arity(c, 3);
                Expr addr = expr(a.get(0), pos, out);
                Expr expected = expr(a.get(1), pos, out);
                out.add(new Rmw(reg, RmwOp.CMPXCHG, addr, expr(a.get(2), pos, out), expected, order, true, false));
                return new Reg(reg);
            }
            default -> {
            }
        }
        // atomic_OP(V, X) / atomic_inc(X): no value, relaxed ('noreturn); _return gives the new value, fetch_ the old
        java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("atomic_(fetch_)?(add|sub|inc|dec)(_return|_and_test|_negative)?").matcher(base);
        if (!m.matches() || (m.group(1) != null && m.group(3) != null)
                || (m.group(3) != null && !m.group(3).equals("_return") && order != Order.FULL)
                || ("_negative".equals(m.group(3)) && !m.group(2).equals("add"))
                || ("_and_test".equals(m.group(3)) && m.group(2).equals("add"))) {
            throw new Inexpressible(pos, name, "not a primitive of linux-kernel.def that klm.lkmm translates (READ_ONCE, WRITE_ONCE,"
                    + " smp_load_acquire, smp_store_release, rcu_dereference, rcu_assign_pointer, smp_store_mb, the smp_mb* fences,"
                    + " barrier, rcu_read_lock/unlock, spin_lock/unlock/trylock/is_locked, xchg*, cmpxchg*, atomic_read/set*,"
                    + " atomic_add/sub/inc/dec with _return, fetch_, _and_test, add_negative and the _relaxed/_acquire/_release orders)");
        }
        boolean unit = m.group(2).equals("inc") || m.group(2).equals("dec");
        arity(c, unit ? 1 : 2);
        RmwOp op = m.group(2).equals("add") || m.group(2).equals("inc") ? RmwOp.ADD : RmwOp.SUB;
        Expr operand = unit ? new Const(1) : expr(a.get(0), pos, out);
        Expr addr = expr(a.get(unit ? 0 : 1), pos, out);
        boolean fetch = m.group(1) != null;
        String kind = m.group(3);
        if (!fetch && kind == null) {
            // atomic_add(V,X) { __atomic_op(X,+,V); }: no value, no ordering
            if (order != Order.FULL) {
                throw new Inexpressible(pos, name, "linux-kernel.def has no ordered variant of a non-returning atomic");
            }
            out.add(new Rmw(null, op, addr, operand, null, Order.RELAXED, false, false));
            return new Const(0);
        }
        out.add(new Rmw(reg, op, addr, operand, null, order, true, !fetch));
        if ("_and_test".equals(kind)) {
            return new Bin("==", new Reg(reg), new Const(0));
        }
        if ("_negative".equals(kind)) {
            return new Bin("<", new Reg(reg), new Const(0));
        }
        return new Reg(reg);
    }
}
