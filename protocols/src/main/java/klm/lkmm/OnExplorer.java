package klm.lkmm;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import klm.explorer.Explorer;
import klm.explorer.memory.MemoryModel;
import klm.explorer.memory.MemoryModels;
import klm.kernel.Barrier;
import klm.kernel.SpinLock;
import klm.kernel.Word;
import klm.lkmm.Program.AddrOf;
import klm.lkmm.Program.And;
import klm.lkmm.Program.Assign;
import klm.lkmm.Program.Bin;
import klm.lkmm.Program.Cond;
import klm.lkmm.Program.Const;
import klm.lkmm.Program.Expr;
import klm.lkmm.Program.Fence;
import klm.lkmm.Program.If;
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
import klm.lkmm.Program.Unlock;
import klm.scenario.Outcome;
import klm.scenario.ScenarioRun;

/**
 * A {@link Program} run by the explorer under one of its memory models: each thread a CPU of the
 * kernel runtime, each location a {@link Word} (a lock a {@link SpinLock}), each primitive the
 * runtime's (READ_ONCE {@code readOnce}, smp_load_acquire {@code loadAcquire}, xchg {@code xchg},
 * smp_mb {@code Barrier.smpMb}, ...). The answer is Sometimes if some execution satisfies the
 * final clause, else Never once the exploration is complete. The only place this package touches
 * the explorer; a construct with no runtime counterpart is an error naming it.
 *
 * <p>This needs the explorer's blocking mode ({@code -Dklm.blocking=explorer}).
 */
public final class OnExplorer {
    private OnExplorer() {}

    /** The explorer's memory models, by their names, strongest first. */
    public static List<String> models() {
        List<String> out = new ArrayList<>();
        for (MemoryModel m : MemoryModels.all()) {
            out.add(m.id());
        }
        return out;
    }

    /** Per thread of {@code p}, the registers whose loads head a dependency: OnExplorer runs those loads as acquire loads. */
    static List<java.util.Set<String>> dependencyHeads(Program p) {
        List<java.util.Set<String>> out = new ArrayList<>();
        for (List<Stmt> code : p.threads()) {
            out.add(Run.dependencyHeads(code));
        }
        return out;
    }

    /** What the explorer answered: the verdict, whether the exploration completed, its executions and time. */
    public record Answer(Candidates.Verdict verdict, boolean complete, long executions, double millis, String trace) {}

    /** Explores {@code p} under the model named {@code model}. */
    public static Answer run(Program p, String model) {
        MemoryModel m = MemoryModels.parse(model);
        Explorer.Result r = Explorer.explore(() -> new Run(p), Explorer.Options.DEFAULT.under(m));
        if (r.found() && !r.outcome().name().equals("EXISTS")) {
            // a CPU failed (an unsupported construct, a deadlock): no verdict
            throw new IllegalStateException(p.name() + " under " + model + ": " + r.outcome() + "\n" + r.trace());
        }
        return new Answer(r.found() ? Candidates.Verdict.SOMETIMES : Candidates.Verdict.NEVER, r.found() || r.complete(),
                r.executions(), r.millis(), r.trace());
    }

    /** One execution's state: the locations, the locks, each CPU's registers. */
    private static final class Run extends ScenarioRun {
        private final Program p;
        private final Map<String, Word> words = new HashMap<>();
        private final Map<String, SpinLock> locks = new HashMap<>();
        private final List<String> names = new ArrayList<>();
        private final List<Map<String, Long>> regs = new ArrayList<>();
        /** Per thread, the registers whose load heads an address, data or control dependency. */
        private final List<java.util.Set<String>> heads = new ArrayList<>();

        Run(Program p) {
            super(p.threads().size());
            this.p = p;
            for (int t = 0; t < p.threads().size(); t++) {
                regs.add(new HashMap<>());
                heads.add(dependencyHeads(p.threads().get(t)));
            }
            // every location and lock exists before any CPU runs, as the kernel's variables do
            p.init().keySet().forEach(this::index);
            for (List<Stmt> code : p.threads()) {
                declare(code);
            }
            for (String n : List.copyOf(names)) {
                if (!locks.containsKey(n)) {
                    Expr init = p.init().get(n);
                    words.put(n, new Word(init == null ? 0 : toInt(intValue(init), p)));
                }
            }
        }

        private void declare(List<Stmt> code) {
            for (Stmt s : code) {
                Expr lockExpr = s instanceof Lock l ? l.lock() : s instanceof Program.TryLock t ? t.lock()
                        : s instanceof Program.IsLocked i ? i.lock() : null;
                if (lockExpr instanceof AddrOf a) {
                    locks.computeIfAbsent(a.loc(), SpinLock::new);
                    index(a.loc());
                } else if (s instanceof Load l && l.addr() instanceof AddrOf a) {
                    index(a.loc());
                } else if (s instanceof Store st && st.addr() instanceof AddrOf a) {
                    index(a.loc());
                } else if (s instanceof Rmw m && m.addr() instanceof AddrOf a) {
                    index(a.loc());
                } else if (s instanceof If i) {
                    declare(i.then());
                    declare(i.otherwise());
                }
            }
        }

        private int index(String loc) {
            int i = names.indexOf(loc);
            if (i < 0) {
                names.add(loc);
                i = names.size() - 1;
            }
            return i;
        }

        private Word word(long address) {
            Word w = words.get(name(address));
            if (w == null) {
                throw new IllegalArgumentException(p.name() + ": " + name(address) + " is a lock, not a variable");
            }
            return w;
        }

        private SpinLock lock(long address) {
            SpinLock l = locks.get(name(address));
            if (l == null) {
                throw new IllegalArgumentException(p.name() + ": " + name(address) + " is a variable, not a lock");
            }
            return l;
        }

        private String name(long address) {
            long i = address - Program.ADDRESS_BASE;
            if (i < 0 || i >= names.size()) {
                throw new IllegalArgumentException(p.name() + ": " + address + " is not an address");
            }
            return names.get((int) i);
        }

        private long intValue(Expr e) {
            if (e instanceof Const c) {
                return c.value();
            }
            throw new IllegalArgumentException(p.name() + ": the explorer runs locations holding integers only, not " + e);
        }

        private static int toInt(long v, Program p) {
            if (v != (int) v) {
                throw new IllegalArgumentException(p.name() + ": the explorer stores integers only; " + v + " is an address");
            }
            return (int) v;
        }

        @Override
        protected void task(int cpu) {
            exec(p.threads().get(cpu), regs.get(cpu), heads.get(cpu));
        }

        /**
         * The registers whose value reaches an address, a stored value, an RMW's operands or the
         * condition of an if whose branches write (through assignments): their loads head a
         * dependency LKMM orders. The runtime has no
         * dependencies (its READ_ONCE() of a pointer is an acquire load), so such a load is run as
         * an acquire here too: stronger than LKMM's dependency ordering, never weaker.
         */
        private static java.util.Set<String> dependencyHeads(List<Stmt> code) {
            java.util.Set<String> sinks = new java.util.HashSet<>();
            List<Assign> assigns = new ArrayList<>();
            collect(code, sinks, assigns);
            boolean more = true;
            while (more) {
                more = false;
                for (Assign a : assigns) {
                    if (sinks.contains(a.reg())) {
                        more |= regsOf(a.e(), sinks);
                    }
                }
            }
            return sinks;
        }

        private static void collect(List<Stmt> code, java.util.Set<String> sinks, List<Assign> assigns) {
            for (Stmt s : code) {
                if (s instanceof Load l) {
                    regsOf(l.addr(), sinks);
                } else if (s instanceof Store st) {
                    regsOf(st.addr(), sinks);
                    regsOf(st.value(), sinks);
                } else if (s instanceof Rmw m) {
                    regsOf(m.addr(), sinks);
                    regsOf(m.operand(), sinks);
                    if (m.expected() != null) {
                        regsOf(m.expected(), sinks);
                    }
                } else if (s instanceof Assign a) {
                    assigns.add(a);
                } else if (s instanceof If i) {
                    if (!onlyReads(i.then()) || !onlyReads(i.otherwise())) {
                        regsOf(i.cond(), sinks);
                    }
                    collect(i.then(), sinks, assigns);
                    collect(i.otherwise(), sinks, assigns);
                }
            }
        }

        /**
         * Whether {@code code} (an if's branch) only reads memory or fences: LKMM's control
         * dependency orders only the writes in the branches ({@code rwdep = (dep | ctrl) ; [W]}), so
         * an if whose branches write nothing and assign no register leaves its condition's loads
         * unordered.
         */
        private static boolean onlyReads(List<Stmt> code) {
            for (Stmt s : code) {
                boolean read = s instanceof Load || s instanceof Program.IsLocked || s instanceof Program.Fence
                        || s instanceof If i && onlyReads(i.then()) && onlyReads(i.otherwise());
                if (!read) {
                    return false;
                }
            }
            return true;
        }

        /** Adds the registers {@code e} reads to {@code out}; true if one was new. */
        private static boolean regsOf(Expr e, java.util.Set<String> out) {
            if (e instanceof Reg g) {
                return out.add(g.name());
            } else if (e instanceof Not n) {
                return regsOf(n.e(), out);
            } else if (e instanceof Bin b) {
                boolean l = regsOf(b.left(), out);
                return regsOf(b.right(), out) | l;
            }
            return false;
        }

        private void exec(List<Stmt> code, Map<String, Long> r, java.util.Set<String> depHeads) {
            for (Stmt s : code) {
                if (s instanceof Load l) {
                    Word w = word(eval(l.addr(), r));
                    int v = switch (l.annotation()) {
                        case ONCE -> depHeads.contains(l.reg()) ? w.loadAcquire() : w.readOnce();
                        case ACQUIRE -> w.loadAcquire();
                        // a plain C load: the runtime's plain access, as the litmus interpreter runs '*p'
                        case PLAIN -> depHeads.contains(l.reg()) ? w.loadAcquire() : w.plain();
                        default -> throw unsupported("a load annotated " + l.annotation());
                    };
                    r.put(l.reg(), (long) v);
                } else if (s instanceof Store st) {
                    Word w = word(eval(st.addr(), r));
                    int v = toInt(eval(st.value(), r), p);
                    switch (st.annotation()) {
                        case ONCE -> w.writeOnce(v);
                        case RELEASE -> w.storeRelease(v);
                        case PLAIN -> w.setPlain(v);
                        default -> throw unsupported("a store annotated " + st.annotation());
                    }
                } else if (s instanceof Fence f) {
                    switch (f.kind()) {
                        case MB -> Barrier.smpMb();
                        case RMB -> Barrier.smpRmb();
                        case WMB -> Barrier.smpWmb();
                        case AFTER_SPINLOCK -> Barrier.smpMbAfterSpinlock();
                        default -> throw unsupported("the fence " + f.kind());
                    }
                } else if (s instanceof Rmw m) {
                    Word w = word(eval(m.addr(), r));
                    int v = toInt(eval(m.operand(), r), p);
                    if (m.order() != Program.Order.FULL || !m.returnsValue()) {
                        throw unsupported("an RMW that is not fully ordered (" + m.op() + ", " + m.order() + ")");
                    }
                    long got = switch (m.op()) {
                        case XCHG -> w.xchg(v);
                        case CMPXCHG -> w.cmpxchg(toInt(eval(m.expected(), r), p), v);
                        case ADD -> m.returnsNew() ? w.addReturn(v) : w.addReturn(v) - v;
                        case SUB -> m.returnsNew() ? w.addReturn(-v) : w.addReturn(-v) + v;
                        default -> throw unsupported("the RMW " + m.op());
                    };
                    if (m.reg() != null) {
                        r.put(m.reg(), got);
                    }
                } else if (s instanceof Lock l) {
                    lock(eval(l.lock(), r)).spinLock();
                } else if (s instanceof Unlock u) {
                    lock(eval(u.lock(), r)).spinUnlock();
                } else if (s instanceof Program.TryLock tl) {
                    r.put(tl.reg(), lock(eval(tl.lock(), r)).spinTrylock() ? 1L : 0L);
                } else if (s instanceof Program.IsLocked il) {
                    r.put(il.reg(), lock(eval(il.lock(), r)).spinIsLocked() ? 1L : 0L);
                } else if (s instanceof Assign a) {
                    r.put(a.reg(), eval(a.e(), r));
                } else if (s instanceof If i) {
                    exec(eval(i.cond(), r) != 0 ? i.then() : i.otherwise(), r, depHeads);
                } else {
                    throw unsupported(s.getClass().getSimpleName());
                }
            }
        }

        private IllegalArgumentException unsupported(String what) {
            return new IllegalArgumentException(p.name() + ": the explorer has no counterpart for " + what);
        }

        private long eval(Expr e, Map<String, Long> r) {
            if (e instanceof Const c) {
                return c.value();
            } else if (e instanceof AddrOf a) {
                return Program.address(index(a.loc()));
            } else if (e instanceof Reg g) {
                return r.getOrDefault(g.name(), 0L);
            } else if (e instanceof Not n) {
                return eval(n.e(), r) == 0 ? 1 : 0;
            } else if (e instanceof Bin b) {
                return Bin.apply(b.op(), eval(b.left(), r), eval(b.right(), r));
            }
            throw unsupported(e.toString());
        }

        private boolean holds(Cond c) {
            if (c instanceof And a) {
                return holds(a.left()) && holds(a.right());
            } else if (c instanceof Or o) {
                return holds(o.left()) || holds(o.right());
            } else if (c instanceof NotCond n) {
                return !holds(n.c());
            } else if (c instanceof RegIs g) {
                return regs.get(g.thread()).getOrDefault(g.reg(), 0L) == eval(g.value(), Map.of());
            } else if (c instanceof LocIs l) {
                return word(Program.address(index(l.loc()))).plain() == eval(l.value(), Map.of());
            }
            return true;
        }

        @Override
        protected Outcome check() {
            if (p.filter() != null && !holds(p.filter())) {
                return Outcome.OK;
            }
            return holds(p.condition()) ? Outcome.violation("EXISTS", "the final clause of " + p.name() + " holds") : Outcome.OK;
        }
    }
}
