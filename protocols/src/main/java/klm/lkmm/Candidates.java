package klm.lkmm;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import klm.lkmm.Execution.Event;
import klm.lkmm.Execution.Kind;
import klm.lkmm.Program.AddrOf;
import klm.lkmm.Program.And;
import klm.lkmm.Program.Assign;
import klm.lkmm.Program.Bin;
import klm.lkmm.Program.Cond;
import klm.lkmm.Program.Const;
import klm.lkmm.Program.Expr;
import klm.lkmm.Program.Fence;
import klm.lkmm.Program.If;
import klm.lkmm.Program.IsLocked;
import klm.lkmm.Program.Load;
import klm.lkmm.Program.LocIs;
import klm.lkmm.Program.Lock;
import klm.lkmm.Program.Not;
import klm.lkmm.Program.NotCond;
import klm.lkmm.Program.Or;
import klm.lkmm.Program.Reg;
import klm.lkmm.Program.RegIs;
import klm.lkmm.Program.Rmw;
import klm.lkmm.Program.Stmt;
import klm.lkmm.Program.Store;
import klm.lkmm.Program.TryLock;
import klm.lkmm.Program.Unlock;

/**
 * herd7's way of answering a litmus test, over {@link Program}: for each thread, every path
 * through its code given the values its reads return (a read of a location returns any value some
 * write stores there, or its initial value: found by iterating the paths to a fixed point); every
 * combination of one path per thread; every reads-from choice that gives each read its value and
 * every coherence order per location; the candidate executions a {@link Model} allows; the final
 * clause over those. The answer is herd's: the final states, the positive and negative witnesses,
 * Never/Sometimes/Always.
 */
public final class Candidates {
    /** The answer for one program under one model. */
    public record Result(String test, String model, Verdict verdict, List<String> stateLines, long positive, long negative, long candidates, boolean ok,
                         List<String> flags) {
        /** How many final states the allowed executions reach. */
        public int states() {
            return stateLines.size();
        }

        /** {@code flags}: those some allowed execution raises ({@code data-race}, {@code mixed-accesses}), in name order: herd7's {@code Flag} lines. */
        public Result {
            flags = List.copyOf(flags);
        }

        /** herd7's line: {@code Observation NAME Never|Sometimes|Always P N}. */
        public String observation() {
            return "Observation " + test + " " + verdict.word + " " + positive + " " + negative;
        }

        /** The answer in herd7's form: the states, Ok/No, the witnesses, the observation. */
        public String herd() {
            StringBuilder b = new StringBuilder("Test ").append(test).append(" (").append(model).append(")\n");
            b.append("States ").append(states()).append('\n');
            stateLines.forEach(l -> b.append(l).append('\n'));
            b.append(ok ? "Ok" : "No").append("\nWitnesses\nPositive: ").append(positive).append(" Negative: ").append(negative).append('\n');
            flags.forEach(f -> b.append("Flag ").append(f).append('\n'));
            return b.append(observation()).append('\n').toString();
        }
    }

    public enum Verdict {
        NEVER("Never"), SOMETIMES("Sometimes"), ALWAYS("Always");

        public final String word;

        Verdict(String word) {
            this.word = word;
        }
    }

    private final Program p;
    private final List<String> locs = new ArrayList<>();
    private final Set<String> lockLocs = new LinkedHashSet<>();
    private final Set<String> memLocs = new LinkedHashSet<>();
    private final List<TreeSet<Long>> domain = new ArrayList<>();
    private List<List<Path>> paths;

    /** A value in a register: what it holds, the reads it data-depends on, and those its computation was controlled by too. */
    private record Val(long v, long deps, long cdeps) {}

    /** One event of a thread's path, with its dependencies as masks of the path's event indices. */
    private record PEvent(Kind kind, int loc, long value, int tags, long addr, long data, long ctrl, int rmwRead) {}

    /** One path through a thread's code: its events and the final registers. */
    private record Path(List<PEvent> events, Map<String, Long> regs) {}

    /** A path under construction. */
    private static final class State {
        final List<PEvent> events = new ArrayList<>();
        final Map<String, Val> regs = new HashMap<>();
        long ctrl;

        State copy() {
            State s = new State();
            s.events.addAll(events);
            s.regs.putAll(regs);
            s.ctrl = ctrl;
            return s;
        }
    }

    private Candidates(Program p) {
        this.p = p;
        for (String l : p.init().keySet()) {
            loc(l);
        }
        for (List<Stmt> t : p.threads()) {
            collect(t);
        }
        collect(p.condition());
        p.shown().forEach(this::collect);
        if (p.filter() != null) {
            collect(p.filter());
        }
        for (String l : lockLocs) {
            if (memLocs.contains(l)) {
                throw new IllegalArgumentException(p.name() + ": " + l + " is used both as a spinlock and by memory accesses (lock.cat: mixed-lock-accesses)");
            }
        }
    }

    private int loc(String name) {
        int i = locs.indexOf(name);
        if (i < 0) {
            locs.add(name);
            domain.add(new TreeSet<>());
            i = locs.size() - 1;
        }
        return i;
    }

    private void collect(List<Stmt> code) {
        for (Stmt s : code) {
            if (s instanceof Load l) {
                collect(l.addr());
                direct(l.addr(), memLocs);
            } else if (s instanceof Store st) {
                collect(st.addr());
                collect(st.value());
                direct(st.addr(), memLocs);
            } else if (s instanceof Rmw r) {
                collect(r.addr());
                collect(r.operand());
                if (r.expected() != null) {
                    collect(r.expected());
                }
                direct(r.addr(), memLocs);
            } else if (s instanceof Lock l) {
                lockExpr(l.lock());
            } else if (s instanceof Unlock u) {
                lockExpr(u.lock());
            } else if (s instanceof TryLock t) {
                lockExpr(t.lock());
            } else if (s instanceof IsLocked i) {
                lockExpr(i.lock());
            } else if (s instanceof Assign a) {
                collect(a.e());
            } else if (s instanceof If i) {
                collect(i.cond());
                collect(i.then());
                collect(i.otherwise());
            } else if (s instanceof Fence f) {
                // nothing
            }
        }
    }

    private void lockExpr(Expr e) {
        collect(e);
        direct(e, lockLocs);
    }

    private static void direct(Expr e, Set<String> into) {
        if (e instanceof AddrOf a) {
            into.add(a.loc());
        }
    }

    private void collect(Expr e) {
        if (e instanceof AddrOf a) {
            loc(a.loc());
        } else if (e instanceof Bin b) {
            collect(b.left());
            collect(b.right());
        } else if (e instanceof Not n) {
            collect(n.e());
        } else if (e instanceof Const c) {
            // nothing
        } else if (e instanceof Reg r) {
            // nothing
        }
    }

    private void collect(Cond c) {
        if (c instanceof And a) {
            collect(a.left());
            collect(a.right());
        } else if (c instanceof Or o) {
            collect(o.left());
            collect(o.right());
        } else if (c instanceof NotCond n) {
            collect(n.c());
        } else if (c instanceof RegIs r) {
            collect(r.value());
        } else if (c instanceof LocIs l) {
            loc(l.loc());
            collect(l.value());
        } else if (c instanceof Program.True t) {
            // nothing
        }
    }

    /** Answers {@code p} under {@code model}. */
    public static Result run(Program p, Model model) {
        return run(p, model, x -> { });
    }

    /** Answers {@code p} under {@code model}, handing {@code positive} every allowed execution that satisfies the final clause. */
    public static Result run(Program p, Model model, Consumer<Execution> positive) {
        Candidates c = new Candidates(p);
        c.positive = positive;
        c.enumeratePaths();
        return c.check(model);
    }

    private Consumer<Execution> positive = x -> { };

    /** The flags the allowed executions raise, as herd7 reports them: each once, in name order. */
    private final Set<String> flags = new TreeSet<>();

    /** The value an initial-state expression gives (a constant or an address). */
    private long constant(Expr e) {
        if (e instanceof Const c) {
            return c.value();
        } else if (e instanceof AddrOf a) {
            return Program.address(loc(a.loc()));
        }
        throw new IllegalArgumentException(p.name() + ": the value " + e + " is not a constant or an address");
    }

    // ---------------------------------------------------------------- paths per thread

    private void enumeratePaths() {
        for (int l = 0; l < locs.size(); l++) {
            Expr init = p.init().get(locs.get(l));
            domain.get(l).add(init == null ? 0L : constant(init));
        }
        // Round k finds the values a chain of k writes, each reading the one before, can produce.
        // A chain of a candidate execution uses each write once, so once k exceeds the most writes
        // one combination of paths has, later rounds add values no execution can read: stop there.
        // These rounds take both branches of every if, whatever the condition: a write under an if
        // may justify, through other threads, the very value that takes its branch (herd7 solves
        // the values after choosing rf, so it finds such a cycle: dep+plain's is one). A value no
        // write of an execution stores is never read (every read needs a source of its value), so
        // the larger domain adds paths, never a wrong execution.
        bothBranches = true;
        try {
            domainRounds();
        } finally {
            bothBranches = false;
        }
        paths = new ArrayList<>();
        for (List<Stmt> code : p.threads()) {
            List<Path> out = new ArrayList<>();
            run(code, 0, new State(), s -> out.add(finish(s)));
            paths.add(out);
        }
    }

    /** While the domain is computed: every if runs both branches. */
    private boolean bothBranches;

    private void domainRounds() {
        for (int round = 0; ; round++) {
            if (round > 64) {
                throw new IllegalArgumentException(p.name() + ": the values written do not reach a bound in 64 rounds");
            }
            List<TreeSet<Long>> before = new ArrayList<>();
            for (TreeSet<Long> d : domain) {
                before.add(new TreeSet<>(d));
            }
            paths = new ArrayList<>();
            for (List<Stmt> code : p.threads()) {
                List<Path> out = new ArrayList<>();
                run(code, 0, new State(), s -> out.add(finish(s)));
                paths.add(out);
            }
            for (List<Path> ps : paths) {
                for (Path path : ps) {
                    for (PEvent e : path.events) {
                        if (e.kind == Kind.W && !lockLocs.contains(locs.get(e.loc))) {
                            domain.get(e.loc).add(e.value);
                        }
                    }
                }
            }
            int writes = 0;
            for (List<Path> ps : paths) {
                int most = 0;
                for (Path path : ps) {
                    most = Math.max(most, (int) path.events.stream().filter(e -> e.kind == Kind.W).count());
                }
                writes += most;
            }
            if (before.equals(domain) || round > writes) {
                return;
            }
        }
    }

    private static Path finish(State s) {
        Map<String, Long> regs = new HashMap<>();
        s.regs.forEach((k, v) -> regs.put(k, v.v));
        return new Path(List.copyOf(s.events), regs);
    }

    private Val eval(Expr e, State s) {
        if (e instanceof Const c) {
            return new Val(c.value(), 0, 0);
        } else if (e instanceof AddrOf a) {
            return new Val(Program.address(loc(a.loc())), 0, 0);
        } else if (e instanceof Reg r) {
            return s.regs.getOrDefault(r.name(), new Val(0, 0, 0));
        } else if (e instanceof Not n) {
            Val v = eval(n.e(), s);
            return new Val(v.v == 0 ? 1 : 0, v.deps, v.cdeps);
        } else if (e instanceof Bin b) {
            Val l = eval(b.left(), s), r = eval(b.right(), s);
            return new Val(Bin.apply(b.op(), l.v, r.v), l.deps | r.deps, l.cdeps | r.cdeps);
        }
        throw new IllegalStateException("unexpected " + e);
    }

    /** The location an address value names, or -1 if it is not an address (the path is dropped). */
    private int locOf(long address) {
        long l = address - Program.ADDRESS_BASE;
        return l >= 0 && l < locs.size() ? (int) l : -1;
    }

    private static int add(State s, Kind kind, int loc, long value, int tags, long addr, long data, int rmwRead) {
        s.events.add(new PEvent(kind, loc, value, tags, addr, data, s.ctrl, rmwRead));
        return s.events.size() - 1;
    }

    private void set(State s, String reg, long v, long deps) {
        if (reg != null) {
            s.regs.put(reg, new Val(v, deps, deps | s.ctrl));
        }
    }

    private void run(List<Stmt> code, int pc, State s, Consumer<State> k) {
        if (pc == code.size()) {
            k.accept(s);
            return;
        }
        Consumer<State> next = t -> run(code, pc + 1, t, k);
        if (code.get(pc) instanceof Load l) {
            Val a = eval(l.addr(), s);
            int loc = locOf(a.v);
            if (loc < 0) {
                return;
            }
            for (long v : List.copyOf(domain.get(loc))) {
                State t = s.copy();
                int e = add(t, Kind.R, loc, v, l.annotation().bit(), a.deps, 0, -1);
                set(t, l.reg(), v, 1L << e);
                next.accept(t);
            }
        } else if (code.get(pc) instanceof Store st) {
            Val a = eval(st.addr(), s), v = eval(st.value(), s);
            int loc = locOf(a.v);
            if (loc < 0) {
                return;
            }
            State t = s.copy();
            add(t, Kind.W, loc, v.v, st.annotation().bit(), a.deps, v.deps, -1);
            next.accept(t);
        } else if (code.get(pc) instanceof Fence f) {
            State t = s.copy();
            add(t, Kind.F, -1, 0, f.kind().bit(), 0, 0, -1);
            next.accept(t);
        } else if (code.get(pc) instanceof Rmw r) {
            rmw(r, s, next);
        } else if (code.get(pc) instanceof Lock l) {
            int loc = locOf(eval(l.lock(), s).v);
            State t = s.copy();
            int rd = add(t, Kind.R, loc, 0, Tag.of(Tag.LKR, Tag.LOCKED), 0, 0, -1);
            add(t, Kind.W, loc, 1, Tag.of(Tag.LKW, Tag.LOCKED), 0, 0, -1);
            next.accept(t);
        } else if (code.get(pc) instanceof Unlock u) {
            int loc = locOf(eval(u.lock(), s).v);
            State t = s.copy();
            add(t, Kind.W, loc, 0, Tag.UL.bit(), 0, 0, -1);
            next.accept(t);
        } else if (code.get(pc) instanceof TryLock tl) {
            int loc = locOf(eval(tl.lock(), s).v);
            State t = s.copy();
            int rd = add(t, Kind.R, loc, 0, Tag.of(Tag.LKR, Tag.LOCKED), 0, 0, -1);
            add(t, Kind.W, loc, 1, Tag.of(Tag.LKW, Tag.LOCKED), 0, 0, -1);
            set(t, tl.reg(), 1, 1L << rd);
            next.accept(t);
            State f = s.copy();
            int lf = add(f, Kind.R, loc, 1, Tag.of(Tag.LF, Tag.LOCKED), 0, 0, -1);
            set(f, tl.reg(), 0, 1L << lf);
            next.accept(f);
        } else if (code.get(pc) instanceof IsLocked il) {
            int loc = locOf(eval(il.lock(), s).v);
            for (long v = 0; v <= 1; v++) {
                State t = s.copy();
                int e = add(t, Kind.R, loc, v, (v == 1 ? Tag.RL : Tag.RU).bit(), 0, 0, -1);
                set(t, il.reg(), v, 1L << e);
                next.accept(t);
            }
        } else if (code.get(pc) instanceof Assign a) {
            Val v = eval(a.e(), s);
            State t = s.copy();
            t.regs.put(a.reg(), new Val(v.v, v.deps, v.cdeps | s.ctrl));
            next.accept(t);
        } else if (code.get(pc) instanceof If i) {
            Val c = eval(i.cond(), s);
            State t = s.copy();
            long outer = t.ctrl;
            t.ctrl = outer | c.cdeps;
            Consumer<State> after = u -> {
                u.ctrl = outer;
                next.accept(u);
            };
            if (bothBranches) {
                run(i.then(), 0, t, after);
                State o = s.copy();
                o.ctrl = outer | c.cdeps;
                run(i.otherwise(), 0, o, after);
            } else {
                run(c.v != 0 ? i.then() : i.otherwise(), 0, t, after);
            }
        }
    }

    private void rmw(Rmw r, State s, Consumer<State> next) {
        Val a = eval(r.addr(), s), o = eval(r.operand(), s);
        Val ex = r.expected() == null ? null : eval(r.expected(), s);
        int loc = locOf(a.v);
        if (loc < 0) {
            return;
        }
        for (long old : List.copyOf(domain.get(loc))) {
            State t = s.copy();
            if (ex != null && old != ex.v) {
                // a failed cmpxchg: a relaxed read, no ordering (LKMM); still LOCK-prefixed on x86
                int e = add(t, Kind.R, loc, old, Tag.of(Tag.ONCE, Tag.LOCKED), a.deps, 0, -1);
                set(t, r.reg(), old, 1L << e);
                next.accept(t);
                continue;
            }
            long nv = switch (r.op()) {
                case XCHG -> o.v;
                case CMPXCHG -> o.v;
                case ADD -> old + o.v;
                case SUB -> old - o.v;
                case AND -> old & o.v;
                case OR -> old | o.v;
                case XOR -> old ^ o.v;
            };
            Tag rt = !r.returnsValue() ? Tag.NORETURN : r.order() == Program.Order.ACQUIRE ? Tag.ACQUIRE : Tag.ONCE;
            Tag wt = r.order() == Program.Order.RELEASE ? Tag.RELEASE : Tag.ONCE;
            if (r.order() == Program.Order.FULL) {
                add(t, Kind.F, -1, 0, Tag.MB.bit(), 0, 0, -1);
            }
            int re = add(t, Kind.R, loc, old, rt.bit() | Tag.of(Tag.RMW, Tag.LOCKED), a.deps, 0, -1);
            add(t, Kind.W, loc, nv, wt.bit() | Tag.of(Tag.RMW, Tag.LOCKED), a.deps, o.deps | (ex == null ? 0 : ex.deps), re);
            if (r.order() == Program.Order.FULL) {
                add(t, Kind.F, -1, 0, Tag.MB.bit(), 0, 0, -1);
            }
            set(t, r.reg(), r.returnsNew() ? nv : old, 1L << re);
            next.accept(t);
        }
    }

    // ---------------------------------------------------------------- executions

    private Result check(Model model) {
        int threads = p.threads().size();
        int[] choice = new int[threads];
        long[] counts = new long[3]; // candidates, positive, negative
        Set<List<Long>> states = new LinkedHashSet<>();
        List<Object> observed = observedVariables();
        while (true) {
            combination(choice, model, counts, states, observed);
            int t = 0;
            while (t < threads && ++choice[t] == paths.get(t).size()) {
                choice[t] = 0;
                t++;
            }
            if (t == threads) {
                break;
            }
        }
        long pos = counts[1], neg = counts[2];
        Verdict v = pos == 0 ? Verdict.NEVER : neg == 0 ? Verdict.ALWAYS : Verdict.SOMETIMES;
        boolean ok = switch (p.quantifier()) {
            case EXISTS -> pos > 0;
            case NOT_EXISTS -> pos == 0;
            case FORALL -> neg == 0;
        };
        List<String> lines = new ArrayList<>();
        for (List<Long> st : states) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < observed.size(); i++) {
                Object o = observed.get(i);
                String name = o instanceof RegIs r ? r.thread() + ":" + r.reg() : ((LocIs) o).loc();
                long value = st.get(i);
                int l = locOf(value);
                b.append(name).append('=').append(value >= Program.ADDRESS_BASE && l >= 0 ? locs.get(l) : Long.toString(value)).append("; ");
            }
            lines.add(b.toString().trim());
        }
        java.util.Collections.sort(lines);
        return new Result(p.name(), model.name(), v, lines, pos, neg, counts[0], ok, List.copyOf(flags));
    }

    /** The registers and locations the final clause names, in order: the coordinates of a state. */
    private List<Object> observedVariables() {
        List<Object> out = new ArrayList<>();
        observed(p.condition(), out);
        for (Cond c : p.shown()) {
            observed(c, out);
        }
        return out;
    }

    private void observed(Cond c, List<Object> out) {
        if (c instanceof And a) {
            observed(a.left(), out);
            observed(a.right(), out);
        } else if (c instanceof Or o) {
            observed(o.left(), out);
            observed(o.right(), out);
        } else if (c instanceof NotCond n) {
            observed(n.c(), out);
        } else if (c instanceof RegIs r) {
            if (r.thread() < 0 || r.thread() >= p.threads().size()) {
                throw new IllegalArgumentException(p.name() + ": the final clause names thread " + r.thread() + "; threads: 0.." + (p.threads().size() - 1));
            }
            if (!assigned(p.threads().get(r.thread())).contains(r.reg())) {
                throw new IllegalArgumentException(p.name() + ": the final clause names " + r.thread() + ":" + r.reg()
                        + ", a register thread " + r.thread() + " never sets; it sets " + assigned(p.threads().get(r.thread())));
            }
            RegIs key = new RegIs(r.thread(), r.reg(), new Const(0));
            if (!out.contains(key)) {
                out.add(key);
            }
        } else if (c instanceof LocIs l) {
            LocIs key = new LocIs(l.loc(), new Const(0));
            if (!out.contains(key)) {
                out.add(key);
            }
        } else if (c instanceof Program.True t) {
            // nothing
        }
    }

    /** The registers {@code code} sets, in order. */
    private static Set<String> assigned(List<Stmt> code) {
        Set<String> out = new LinkedHashSet<>();
        for (Stmt s : code) {
            if (s instanceof Load l) {
                out.add(l.reg());
            } else if (s instanceof Rmw r && r.reg() != null) {
                out.add(r.reg());
            } else if (s instanceof TryLock t) {
                out.add(t.reg());
            } else if (s instanceof IsLocked i) {
                out.add(i.reg());
            } else if (s instanceof Assign a) {
                out.add(a.reg());
            } else if (s instanceof If i) {
                out.addAll(assigned(i.then()));
                out.addAll(assigned(i.otherwise()));
            }
        }
        return out;
    }

    private void combination(int[] choice, Model model, long[] counts, Set<List<Long>> states, List<Object> observed) {
        List<Event> events = new ArrayList<>();
        List<long[]> deps = new ArrayList<>();
        int threads = choice.length;
        int[] base = new int[threads];
        List<int[]> rmwPairs = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            base[t] = events.size();
            for (PEvent e : paths.get(t).get(choice[t]).events) {
                events.add(new Event(t, e.kind, e.loc, e.value, e.tags));
                deps.add(new long[] {e.addr, e.data, e.ctrl});
                if (e.rmwRead >= 0) {
                    rmwPairs.add(new int[] {base[t] + e.rmwRead, events.size() - 1});
                }
            }
        }
        int user = events.size();
        for (int l = 0; l < locs.size(); l++) {
            Expr init = p.init().get(locs.get(l));
            events.add(new Event(-1, Kind.W, l, init == null ? 0 : constant(init), Tag.of(Tag.INIT, Tag.ONCE)));
        }
        int n = events.size();
        if (n > Rel.MAX) {
            throw new IllegalArgumentException(p.name() + ": a candidate execution has " + n + " events; at most " + Rel.MAX + " are supported");
        }
        Event[] ev = events.toArray(new Event[0]);
        Rel po = Rel.empty(n), rmw = Rel.empty(n), addr = Rel.empty(n), data = Rel.empty(n), ctrl = Rel.empty(n);
        for (int i = 0; i < user; i++) {
            for (int j = i + 1; j < user && ev[j].thread() == ev[i].thread(); j++) {
                po.add(i, j);
            }
            long[] d = deps.get(i);
            int b = base[ev[i].thread()];
            Rel[] into = {addr, data, ctrl};
            for (int k = 0; k < 3; k++) {
                long m = d[k];
                while (m != 0) {
                    int src = Long.numberOfTrailingZeros(m);
                    m &= m - 1;
                    into[k].add(b + src, i);
                }
            }
        }
        for (int[] pr : rmwPairs) {
            rmw.add(pr[0], pr[1]);
        }
        Execution skeleton = new Execution(ev, locs, po, Rel.empty(n), Rel.empty(n), rmw, addr, data, ctrl);
        // Per location, the reads-from and coherence choices that satisfy coherence and atomicity
        // on that location (every model requires both, and they involve one location at a time):
        // the product of these lists is every coherent candidate execution.
        List<List<Rel[]>> perLoc = new ArrayList<>();
        for (int l = 0; l < locs.size(); l++) {
            List<Rel[]> ok = locationChoices(skeleton, ev, user, l);
            if (ok.isEmpty()) {
                return;
            }
            perLoc.add(ok);
        }
        int[] pick = new int[locs.size()];
        while (true) {
            Rel rf = Rel.empty(n), co = Rel.empty(n);
            for (int l = 0; l < pick.length; l++) {
                Rel[] c = perLoc.get(l).get(pick[l]);
                rf = rf.or(c[0]);
                co = co.or(c[1]);
            }
            Execution x = skeleton.with(rf, co);
            counts[0]++;
            if (model.violated(x) == null) {
                Map<Integer, Path> chosen = new HashMap<>();
                for (int t = 0; t < threads; t++) {
                    chosen.put(t, paths.get(t).get(choice[t]));
                }
                if (p.filter() == null || holds(p.filter(), x, chosen)) {
                    flags.addAll(model.flags(x));
                    if (holds(p.condition(), x, chosen)) {
                        counts[1]++;
                        positive.accept(x);
                    } else {
                        counts[2]++;
                    }
                    List<Long> st = new ArrayList<>();
                    for (Object o : observed) {
                        st.add(o instanceof RegIs r ? reg(chosen, r) : x.finalValue(((LocIs) o).loc()));
                    }
                    states.add(st);
                }
            }
            int l = 0;
            while (l < pick.length && ++pick[l] == perLoc.get(l).size()) {
                pick[l] = 0;
                l++;
            }
            if (l == pick.length) {
                return;
            }
        }
    }

    /** The {rf, co} pairs of location {@code l} that are coherent and atomic on their own. */
    private List<Rel[]> locationChoices(Execution skeleton, Event[] ev, int user, int l) {
        int n = ev.length;
        List<Integer> reads = new ArrayList<>();
        List<int[]> sources = new ArrayList<>();
        List<Integer> ws = new ArrayList<>();
        // the read of an RMW (an atomic's, or a lock's LKR) reads the write right before its own
        // write in co (coherence and atomicity leave no other choice): derived from co, not enumerated
        Rel pairs = skeleton.rmw.or(skeleton.lkRmw);
        Map<Integer, Integer> rmwWriteOf = new HashMap<>();
        for (int i = 0; i < user; i++) {
            if (ev[i].loc() != l) {
                continue;
            }
            if (ev[i].kind() == Kind.W) {
                ws.add(i);
                continue;
            }
            if (pairs.rows[i] != 0) {
                rmwWriteOf.put(i, Long.numberOfTrailingZeros(pairs.rows[i]));
                continue;
            }
            List<Integer> src = new ArrayList<>();
            for (int j = 0; j < n; j++) {
                // a read never reads a write of its own thread that comes after it (coherence)
                boolean later = ev[j].thread() == ev[i].thread() && j > i;
                if (ev[j].kind() == Kind.W && ev[j].loc() == l && ev[j].value() == ev[i].value() && !later) {
                    src.add(j);
                }
            }
            if (src.isEmpty()) {
                return List.of();
            }
            reads.add(i);
            sources.add(src.stream().mapToInt(Integer::intValue).toArray());
        }
        List<int[]> perms = new ArrayList<>();
        permutations(ws.stream().mapToInt(Integer::intValue).toArray(), 0, perms);
        List<Rel[]> out = new ArrayList<>();
        for (int[] order : perms) {
            if (!followsProgramOrder(order, ev)) {
                continue;
            }
            Rel co = Rel.empty(n);
            for (int a = -1; a < order.length; a++) {
                int from = a < 0 ? user + l : order[a];
                for (int b = a + 1; b < order.length; b++) {
                    co.add(from, order[b]);
                }
            }
            Rel rmwRf = Rel.empty(n);
            boolean valuesMatch = true;
            for (Map.Entry<Integer, Integer> e : rmwWriteOf.entrySet()) {
                int at = 0;
                while (order[at] != e.getValue()) {
                    at++;
                }
                int src = at == 0 ? user + l : order[at - 1];
                valuesMatch &= ev[src].value() == ev[e.getKey()].value();
                rmwRf.add(src, e.getKey());
            }
            if (!valuesMatch) {
                continue;
            }
            int[] rfChoice = new int[reads.size()];
            while (true) {
                Rel rf = rmwRf.copy();
                for (int r = 0; r < reads.size(); r++) {
                    rf.add(sources.get(r)[rfChoice[r]], reads.get(r));
                }
                if (skeleton.with(rf, co).locallyConsistent()) {
                    out.add(new Rel[] {rf, co});
                }
                int i = 0;
                while (i < rfChoice.length && ++rfChoice[i] == sources.get(i).length) {
                    rfChoice[i] = 0;
                    i++;
                }
                if (i == rfChoice.length) {
                    break;
                }
            }
        }
        return out;
    }

    /** Whether the writes of one thread come in program order in {@code order} (coherence requires it). */
    private static boolean followsProgramOrder(int[] order, Event[] ev) {
        for (int a = 0; a < order.length; a++) {
            for (int b = a + 1; b < order.length; b++) {
                if (ev[order[a]].thread() == ev[order[b]].thread() && order[a] > order[b]) {
                    return false;
                }
            }
        }
        return true;
    }

    private static void permutations(int[] a, int k, List<int[]> out) {
        if (k >= a.length - 1) {
            out.add(a.clone());
            return;
        }
        for (int i = k; i < a.length; i++) {
            int t = a[k];
            a[k] = a[i];
            a[i] = t;
            permutations(a, k + 1, out);
            a[i] = a[k];
            a[k] = t;
        }
    }

    private long reg(Map<Integer, Path> chosen, RegIs r) {
        return chosen.get(r.thread()).regs.getOrDefault(r.reg(), 0L);
    }

    private boolean holds(Cond c, Execution x, Map<Integer, Path> chosen) {
        if (c instanceof And a) {
            return holds(a.left(), x, chosen) && holds(a.right(), x, chosen);
        } else if (c instanceof Or o) {
            return holds(o.left(), x, chosen) || holds(o.right(), x, chosen);
        } else if (c instanceof NotCond n) {
            return !holds(n.c(), x, chosen);
        } else if (c instanceof Program.True t) {
            return true;
        } else if (c instanceof RegIs r) {
            return reg(chosen, r) == constant(r.value());
        } else if (c instanceof LocIs l) {
            return x.finalValue(l.loc()) == constant(l.value());
        }
        throw new IllegalStateException("unexpected " + c);
    }
}
