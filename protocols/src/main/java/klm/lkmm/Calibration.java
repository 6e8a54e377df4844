package klm.lkmm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import klm.lkmm.Candidates.Verdict;

/**
 * The generated corpus under the explorer's models against the axiomatic ones: every test (or
 * every step-th: {@code Calibration [step [PAGE]]}, PAGE the markdown file to write) under
 * LKMM, SC and x86-TSO axiomatically and under the explorer's sc, tso and ra. Prints, per category of test and per explorer model, how many agree
 * with LKMM, how many are stronger and how many weaker; every test where an explorer model is
 * weaker than LKMM; every test where the explorer's sc or tso differs from its axiomatic
 * reference; each model's time and slowest test. Exit status 1 if any explorer model is weaker than
 * LKMM or sc/tso differ from their references, or an exploration did not complete.
 * Needs {@code -Dklm.blocking=explorer}.
 */
public final class Calibration {
    private Calibration() {}

    /** One test's answers: the axiomatic ones by model name, the explorer's by model name. */
    public record Row(Generator.Test test, Map<String, Verdict> axiomatic, Map<String, OnExplorer.Answer> explored) {}

    /**
     * Whether LKMM allows the outcome of {@code p} only by letting a load be satisfied after a
     * program-order-later write of its CPU has run: LKMM answers Never on {@link #loadsBeforeWrites}
     * of {@code p}, the program with every write made control-dependent on every earlier load of its
     * CPU (LKMM's {@code ctrl ; [W]} is in ppo, so each load is ordered before the later writes). A
     * model that runs every access of a CPU in program order, each load reading a write already made
     * (the RA model: no promises), can never show such an outcome.
     */
    public static boolean needsLoadBuffering(Program p) {
        List<List<Program.Stmt>> ordered = new ArrayList<>();
        for (List<Program.Stmt> code : p.threads()) {
            ordered.add(loadsBeforeWrites(code, new ArrayList<>()));
        }
        return Candidates.run(with(p, ordered), new Lkmm()).verdict() == Verdict.NEVER;
    }

    /** The classes of tests on which the RA model (or OnExplorer's mapping) is stronger than LKMM. */
    public static final String LOAD_BUFFERING = "load buffering (a load reads a write that runs after its CPU's later store)",
            DEPENDENCY = "dependency as acquire", STORE_VIEW = "store carries acquired view", SC_FENCE = "SC fences",
            UNEXPLAINED = "unexplained";

    /** Each class with the rule that causes it, as the results page states it. */
    public static final Map<String, String> CAUSES = new LinkedHashMap<>();

    static {
        CAUSES.put(LOAD_BUFFERING, "LKMM answers Never on the program with every write made control-dependent on every earlier load"
                + " of its CPU (every relaxed store, relaxed or acquire RMW and lock acquisition put under"
                + " `if (r == r && ...)` over the registers read so far: `ctrl ; [W]` is in ppo), so LKMM allows the outcome"
                + " only by satisfying some load after a program-order-later write of its CPU has propagated, which reads a write"
                + " that runs after that later store: the cycles of po and rf (LB, 3.LB, 4.LB), and a CPU between two others'"
                + " full barriers that reads and then writes (`ISA2+o-mb-o+o-o+o-mb-o`). The RA model runs a CPU's accesses in"
                + " program order, each load reading a write already made (no promises).");
        CAUSES.put(DEPENDENCY, "OnExplorer runs a load that heads an address or data dependency, or a control dependency to a write,"
                + " as an acquire load (the runtime has no dependencies); LKMM's address and data dependencies order only the"
                + " accesses that depend. LKMM answers Never on the program with those loads made acquire loads.");
        CAUSES.put(STORE_VIEW, "in the RA model a relaxed store carries the store view: everything before the CPU's last smp_mb() or"
                + " smp_wmb(), what full barriers had ordered before the writes its acquires read (LKMM's pb runs on through hb),"
                + " and, after a lock's acquisition, the unlocking CPU's own writes and what its stores carried; LKMM's acq-po"
                + " orders only the CPU's own later accesses. LKMM answers Never on the program with every relaxed store after"
                + " an acquire load, an acquire RMW or a shared lock's acquisition made a release (and dependency heads made"
                + " acquire loads).");
        CAUSES.put(SC_FENCE, "in the RA model smp_mb() and the fully ordered RMWs (xchg, cmpxchg, atomic_*_return) are SC fences:"
                + " the CPU's view joins one global fence view and takes it, in the order the interleaving runs them (a fence"
                + " before its CPU's first access orders nothing, and when that access is a full RMW its barrier after it runs"
                + " before the CPU's next access, not at all if none follows), and a write goes after every write its CPU's view"
                + " covers; LKMM's strong-fence orders its own CPU's accesses and makes what they saw propagate (pb), not what"
                + " another CPU's later fence sees. Found by elimination: no class above explains the test, and it has a full barrier.");
        CAUSES.put(UNEXPLAINED, "none of the above: a problem (the calibration fails).");
    }

    /** The class of a test on which the RA model is stronger than LKMM (one of {@link #CAUSES}). */
    public static String strongerCause(Program p) {
        return needsLoadBuffering(p) ? LOAD_BUFFERING : otherCause(p);
    }

    /** The smallest test: fewest CPUs, then shortest name. */
    private static java.util.Optional<Generator.Test> minimal(List<Generator.Test> ts) {
        return ts.stream().min(java.util.Comparator.<Generator.Test>comparingInt(t -> t.program().threads().size())
                .thenComparingInt(t -> t.name().length()).thenComparing(Generator.Test::name));
    }

    /**
     * Which rule makes the RA model answer Never on {@code p} where LKMM answers Sometimes, for a
     * test that LKMM allows without load buffering ({@link #needsLoadBuffering} false). Each rule is tried as a change of
     * the program under LKMM, cumulatively, and the first that makes LKMM answer Never is the cause:
     * {@link #DEPENDENCY}, the loads that head a dependency made acquire loads (OnExplorer runs them
     * so, the runtime having no dependencies); {@link #STORE_VIEW}, besides, every relaxed store
     * po-after an acquire load, an acquire RMW or the acquisition of a lock another CPU also takes made
     * a release (the RA model's relaxed
     * store carries the views the CPU's acquires brought in, which LKMM's acq-po, not A-cumulative,
     * does not give, nor its po-unlock-lock-po, which is in cumul-fence without A-cumul; a lock
     * no other CPU takes brings nothing in). What neither
     * explains is {@link #SC_FENCE} if the program has an smp_mb() or
     * a fully ordered RMW (the RA model's full barriers are SC fences with one global fence view,
     * stronger than LKMM's strong-fence, which orders only its own CPU's accesses), else
     * {@link #UNEXPLAINED}.
     */
    public static String otherCause(Program p) {
        List<java.util.Set<String>> heads = OnExplorer.dependencyHeads(p);
        List<List<Program.Stmt>> deps = new ArrayList<>();
        for (int t = 0; t < p.threads().size(); t++) {
            deps.add(rewrite(p.threads().get(t), heads.get(t), false, new boolean[1], java.util.Set.of()));
        }
        if (Candidates.run(with(p, deps), new Lkmm()).verdict() == Verdict.NEVER) {
            return DEPENDENCY;
        }
        List<List<Program.Stmt>> stores = new ArrayList<>();
        for (int t = 0; t < p.threads().size(); t++) {
            stores.add(rewrite(p.threads().get(t), heads.get(t), true, new boolean[1], sharedLocks(p)));
        }
        if (Candidates.run(with(p, stores), new Lkmm()).verdict() == Verdict.NEVER) {
            return STORE_VIEW;
        }
        return hasFullBarrier(p.threads().stream().flatMap(List::stream).toList()) ? SC_FENCE : UNEXPLAINED;
    }

    private static Program with(Program p, List<List<Program.Stmt>> threads) {
        return new Program(p.name(), p.init(), threads, p.quantifier(), p.condition(), p.filter(), p.shown());
    }

    /** {@code code} with its dependency heads made acquire loads and, if {@code releases}, its relaxed stores after an acquire made releases. */
    private static List<Program.Stmt> rewrite(List<Program.Stmt> code, java.util.Set<String> heads, boolean releases, boolean[] acquired,
                                              java.util.Set<Program.Expr> shared) {
        List<Program.Stmt> out = new ArrayList<>();
        for (Program.Stmt s : code) {
            if (s instanceof Program.Load l) {
                boolean acq = l.annotation() == Tag.ACQUIRE || heads.contains(l.reg());
                acquired[0] |= acq;
                out.add(acq ? new Program.Load(l.reg(), l.addr(), Tag.ACQUIRE) : l);
            } else if (s instanceof Program.Store st) {
                out.add(releases && acquired[0] && st.annotation() == Tag.ONCE ? new Program.Store(st.addr(), st.value(), Tag.RELEASE) : st);
            } else if (s instanceof Program.Lock l && shared.contains(l.lock()) || s instanceof Program.TryLock t && shared.contains(t.lock())) {
                acquired[0] = true;
                out.add(s);
            } else if (s instanceof Program.Rmw m) {
                acquired[0] |= m.order() == Program.Order.ACQUIRE || m.order() == Program.Order.FULL;
                out.add(s);
            } else if (s instanceof Program.If i) {
                boolean[] then = {acquired[0]};
                boolean[] otherwise = {acquired[0]};
                out.add(new Program.If(i.cond(), rewrite(i.then(), heads, releases, then, shared),
                        rewrite(i.otherwise(), heads, releases, otherwise, shared)));
                acquired[0] = then[0] || otherwise[0];
            } else {
                out.add(s);
            }
        }
        return out;
    }

    /**
     * {@code code} with every write that LKMM does not already order after the CPU's earlier loads (a
     * relaxed store, a relaxed or acquire RMW, a lock's acquisition or trylock) put under
     * {@code if (r1 == r1 && r2 == r2 ...)} over every register an earlier load, value-returning RMW,
     * trylock or spin_is_locked() wrote: a control dependency from each of those reads, which
     * orders it before the write ({@code ctrl ; [W]} is in ppo). Release stores and RMWs, fully
     * ordered RMWs and unlocks are left alone: po-rel and the full barrier already order every
     * earlier access before them. {@code read}: the registers read so far.
     */
    static List<Program.Stmt> loadsBeforeWrites(List<Program.Stmt> code, List<String> read) {
        List<Program.Stmt> out = new ArrayList<>();
        for (Program.Stmt s : code) {
            boolean writes = s instanceof Program.Store st && st.annotation() == Tag.ONCE
                    || s instanceof Program.Rmw m && (m.order() == Program.Order.RELAXED || m.order() == Program.Order.ACQUIRE)
                    || s instanceof Program.Lock || s instanceof Program.TryLock;
            if (s instanceof Program.If i) {
                List<String> then = new ArrayList<>(read);
                List<String> otherwise = new ArrayList<>(read);
                out.add(new Program.If(i.cond(), loadsBeforeWrites(i.then(), then), loadsBeforeWrites(i.otherwise(), otherwise)));
                read.clear();
                read.addAll(then);
                otherwise.stream().filter(r -> !read.contains(r)).forEach(read::add);
                continue;
            }
            out.add(writes && !read.isEmpty() ? new Program.If(allRead(read), List.of(s), List.of()) : s);
            String reg = s instanceof Program.Load l ? l.reg() : s instanceof Program.Rmw m ? m.reg()
                    : s instanceof Program.TryLock t ? t.reg() : s instanceof Program.IsLocked k ? k.reg() : null;
            if (reg != null && !read.contains(reg)) {
                read.add(reg);
            }
        }
        return out;
    }

    /** {@code r1 == r1 && r2 == r2 ...}: always true, and control-dependent on every register of {@code regs}. */
    private static Program.Expr allRead(List<String> regs) {
        Program.Expr e = null;
        for (String r : regs) {
            Program.Expr same = new Program.Bin("==", new Program.Reg(r), new Program.Reg(r));
            e = e == null ? same : new Program.Bin("&&", e, same);
        }
        return e;
    }

    /** The locks more than one thread takes: only there can a lock's acquisition bring in what another CPU released. */
    private static java.util.Set<Program.Expr> sharedLocks(Program p) {
        java.util.Map<Program.Expr, Integer> users = new java.util.HashMap<>();
        for (List<Program.Stmt> code : p.threads()) {
            java.util.Set<Program.Expr> mine = new java.util.HashSet<>();
            locks(code, mine);
            mine.forEach(l -> users.merge(l, 1, Integer::sum));
        }
        java.util.Set<Program.Expr> out = new java.util.HashSet<>();
        users.forEach((l, n) -> {
            if (n > 1) {
                out.add(l);
            }
        });
        return out;
    }

    private static void locks(List<Program.Stmt> code, java.util.Set<Program.Expr> out) {
        for (Program.Stmt s : code) {
            if (s instanceof Program.Lock l) {
                out.add(l.lock());
            } else if (s instanceof Program.TryLock t) {
                out.add(t.lock());
            } else if (s instanceof Program.If i) {
                locks(i.then(), out);
                locks(i.otherwise(), out);
            }
        }
    }

    private static boolean hasFullBarrier(List<Program.Stmt> code) {
        for (Program.Stmt s : code) {
            if (s instanceof Program.Fence f && f.kind() == Tag.MB || s instanceof Program.Rmw m && m.order() == Program.Order.FULL
                    || s instanceof Program.If i && (hasFullBarrier(i.then()) || hasFullBarrier(i.otherwise()))) {
                return true;
            }
        }
        return false;
    }

    /** Runs {@code tests} everywhere. */
    public static List<Row> run(List<Generator.Test> tests) {
        List<Row> rows = new ArrayList<>();
        for (Generator.Test t : tests) {
            Map<String, Verdict> ax = new LinkedHashMap<>();
            for (Model m : List.of(new Lkmm(), new Sc(), new Tso())) {
                ax.put(m.name(), Candidates.run(t.program(), m).verdict());
            }
            Map<String, OnExplorer.Answer> ex = new LinkedHashMap<>();
            for (String m : OnExplorer.models()) {
                ex.put(m, OnExplorer.run(t.program(), m));
            }
            rows.add(new Row(t, ax, ex));
        }
        return rows;
    }

    /** The problems: an explorer model weaker than LKMM, sc or tso not equal to its reference, an incomplete exploration. */
    public static List<String> problems(List<Row> rows) {
        List<String> out = new ArrayList<>();
        for (Row r : rows) {
            Verdict lkmm = r.axiomatic().get("lkmm");
            r.explored().forEach((m, a) -> {
                if (!a.complete()) {
                    out.add(r.test().name() + " under " + m + ": the exploration did not complete");
                }
                if (Corpus.compare(a.verdict(), lkmm) == 2) {
                    out.add(r.test().name() + " under " + m + ": Sometimes where LKMM says Never");
                }
                if (m.equals("ra") && Corpus.compare(a.verdict(), lkmm) == 1 && strongerCause(r.test().program()).equals(UNEXPLAINED)) {
                    out.add(r.test().name() + " under ra: Never where LKMM says Sometimes, and no rule of the RA model explains it");
                }
                Verdict ref = r.axiomatic().get(m);
                if (ref != null && Corpus.compare(a.verdict(), ref) != 0) {
                    out.add(r.test().name() + " under " + m + ": " + word(a.verdict()) + " where the axiomatic " + m + " says " + word(ref));
                }
            });
        }
        return out;
    }

    /** The tests on which explorer model {@code model} is weaker than LKMM. */
    public static List<String> weaker(List<Row> rows, String model) {
        List<String> out = new ArrayList<>();
        for (Row r : rows) {
            if (Corpus.compare(r.explored().get(model).verdict(), r.axiomatic().get("lkmm")) == 2) {
                out.add(r.test().name());
            }
        }
        return out;
    }

    private static String word(Verdict v) {
        return v == Verdict.NEVER ? "Never" : "Sometimes";
    }

    /** Per category and explorer model: agree, stronger, weaker than LKMM. */
    public static String table(List<Row> rows) {
        Map<String, Map<String, int[]>> t = new LinkedHashMap<>();
        Map<String, int[]> total = new LinkedHashMap<>();
        for (Row r : rows) {
            Verdict lkmm = r.axiomatic().get("lkmm");
            r.explored().forEach((m, a) -> {
                int c = Corpus.compare(a.verdict(), lkmm);
                t.computeIfAbsent(r.test().category(), k -> new LinkedHashMap<>()).computeIfAbsent(m, k -> new int[3])[c]++;
                total.computeIfAbsent(m, k -> new int[3])[c]++;
            });
        }
        StringBuilder b = new StringBuilder("| category | model | agrees with LKMM | stronger | weaker |\n|---|---|---|---|---|\n");
        t.forEach((cat, ms) -> ms.forEach((m, c) -> b.append(String.format(Locale.ROOT, "| %s | %s | %d | %d | %d |%n", cat, m, c[0], c[1], c[2]))));
        total.forEach((m, c) -> b.append(String.format(Locale.ROOT, "| **all** | %s | %d | %d | %d |%n", m, c[0], c[1], c[2])));
        return b.toString();
    }

    /** The calibration page: the tables, the weaker tests, the stronger ones by cause. */
    public static String page(List<Row> rows, String header) {
        StringBuilder b = new StringBuilder("# The explorer's memory models against the axiomatic LKMM\n\n").append(header).append("\n\n");
        b.append("Every test of the generated corpus (`klm.lkmm.Generator`: ").append(rows.size())
                .append(" tests, critical cycles of two to four CPUs with every variant of annotations per CPU) answered by the"
                        + " axiomatic LKMM (`klm.lkmm.Lkmm`, linux-kernel.cat/bell and lock.cat over candidate executions), the axiomatic SC"
                        + " and x86-TSO (`Sc`, `Tso`), and explored by the explorer under sc, tso and ra (`klm.lkmm.OnExplorer`)."
                        + " *Stronger*: Never where LKMM says Sometimes; *weaker*: Sometimes where LKMM says Never.\n\n");
        List<String> exact = new ArrayList<>();
        for (String m : List.of("sc", "tso")) {
            long differ = rows.stream().filter(r -> Corpus.compare(r.explored().get(m).verdict(), r.axiomatic().get(m)) != 0).count();
            exact.add("explored " + m + " differs from the axiomatic " + m.toUpperCase(Locale.ROOT) + " on " + differ + " tests");
        }
        b.append("**").append(String.join("; ", exact)).append(".** Where sc and tso are stronger than LKMM below, they give"
                + " exactly what sequential consistency and x86-TSO give.\n\n");
        b.append(table(rows)).append('\n');
        List<String> weaker = weaker(rows, "ra");
        b.append("## RA weaker than LKMM: ").append(weaker.size()).append(" tests\n\n");
        List<String> dep = weaker.stream().filter(n -> n.matches(".*-(addr|data|ctrl)-.*")).toList();
        List<String> cumul = weaker.stream().filter(n -> !dep.contains(n)).toList();
        b.append("- **A-cumulativity** (").append(cumul.size()).append("): a CPU reads a write with a relaxed load, then releases"
                + " (smp_store_release, or spin_unlock); LKMM's release orders the writes its CPU has read before it"
                + " (`A-cumul(po-rel) = (rfe ; [Marked])? ; po-rel`), the views model's release carries the CPU's view but not the"
                + " views of the writes it read relaxed: ").append(String.join(", ", cumul)).append(".\n");
        b.append("- **Dependencies** (").append(dep.size()).append("): the RA model has no address or control dependency: ")
                .append(String.join(", ", dep)).append(".\n\n");
        Map<String, Map<String, Integer>> causes = new LinkedHashMap<>();
        Map<String, List<Generator.Test>> byCause = new LinkedHashMap<>();
        CAUSES.keySet().forEach(c -> byCause.put(c, new ArrayList<>()));
        for (Row r : rows) {
            if (Corpus.compare(r.explored().get("ra").verdict(), r.axiomatic().get("lkmm")) == 1) {
                String why = strongerCause(r.test().program());
                causes.computeIfAbsent(r.test().category(), k -> new LinkedHashMap<>()).merge(why, 1, Integer::sum);
                byCause.get(why).add(r.test());
            }
        }
        b.append("## RA stronger than LKMM, by cause\n\n");
        b.append("Each test on which ra answers Never where LKMM answers Sometimes is put in the first class that explains it"
                + " (`Calibration.strongerCause`): the first three by changing the program the way the RA model or the adapter"
                + " runs it and asking LKMM again; *SC fences* by elimination."
                + " docs/DESIGN.md (\"RA stronger than LKMM\") shows a minimal test of each class.\n\n");
        CAUSES.forEach((c, why) -> {
            List<Generator.Test> ts = byCause.get(c);
            b.append("- **").append(c).append("** (").append(ts.size()).append("): ").append(why);
            minimal(ts).ifPresent(t -> b.append(" Smallest: `").append(t.name()).append("`."));
            b.append('\n');
        });
        b.append("\n| category |");
        CAUSES.keySet().forEach(c -> b.append(' ').append(c).append(" |"));
        b.append("\n|---|").append("---|".repeat(CAUSES.size())).append('\n');
        causes.forEach((cat, c) -> {
            b.append("| ").append(cat).append(" |");
            CAUSES.keySet().forEach(k -> b.append(' ').append(c.getOrDefault(k, 0)).append(" |"));
            b.append('\n');
        });
        List<String> notLb = byCause.get(LOAD_BUFFERING).stream().filter(t -> !t.category().matches("(\\d\\.)?LB"))
                .map(Generator.Test::name).toList();
        if (!notLb.isEmpty()) {
            b.append("\nThe ").append(notLb.size()).append(" *load buffering* tests that are not LB, 3.LB or 4.LB cycles: ")
                    .append(String.join(", ", notLb)).append(".\n");
        }
        byCause.forEach((c, ts) -> {
            if (!c.equals(LOAD_BUFFERING) && !ts.isEmpty()) {
                b.append("\nThe ").append(ts.size()).append(" *").append(c).append("* tests: ")
                        .append(String.join(", ", ts.stream().map(Generator.Test::name).toList())).append(".\n");
            }
        });
        return b.toString();
    }

    /** One calibration run: its rows, its cost lines and the problems that fail it. */
    public record Report(List<Row> rows, String cost, List<String> problems) {}

    /**
     * Runs every {@code step}-th generated test ({@code 1}: the whole corpus) under every model and,
     * when {@code page} is not null, writes results/lkmm.md there with the machine, the load and the
     * cost in its header.
     */
    public static Report calibrate(int step, java.nio.file.Path page) throws java.io.IOException {
        List<Generator.Test> tests = Generator.sample(step);
        String loadBefore = klm.report.Machine.loadAverage();
        long t0 = System.nanoTime();
        List<Row> rows = run(tests);
        double secs = (System.nanoTime() - t0) / 1e9;
        StringBuilder cost = new StringBuilder();
        cost.append(String.format(Locale.ROOT, "%d tests in %.1f s (axiomatic and explored)%n", rows.size(), secs));
        for (String m : OnExplorer.models()) {
            double ms = 0, slow = 0;
            String slowName = "";
            long execs = 0;
            for (Row r : rows) {
                OnExplorer.Answer a = r.explored().get(m);
                ms += a.millis();
                execs += a.executions();
                if (a.millis() > slow) {
                    slow = a.millis();
                    slowName = r.test().name();
                }
            }
            cost.append(String.format(Locale.ROOT, "explorer %s: %.1f s, %d executions, slowest %s %.0f ms%n", m, ms / 1e3, execs, slowName, slow));
        }
        if (page != null) {
            String header = "Written by `klm.lkmm.Calibration` on " + java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).withNano(0)
                    + " from commit " + klm.report.SourceCommit.describe(java.nio.file.Path.of("").toAbsolutePath())
                    + (step > 1 ? ", one generated test in " + step : "") + ".  \nMachine: " + klm.report.Machine.oneLine()
                    + "; one-minute load average " + loadBefore + " at the start of the run and " + klm.report.Machine.loadAverage()
                    + " at its end (other work on the machine lengthens the times).  \n"
                    + cost.toString().strip().replace("\n", "; ") + ".";
            java.nio.file.Files.createDirectories(page.toAbsolutePath().getParent());
            java.nio.file.Files.writeString(page, page(rows, header));
        }
        return new Report(rows, cost.toString(), problems(rows));
    }

    /** {@code Calibration [STEP [PAGE]]}: every STEP-th generated test (default 1, all), the page written to PAGE. */
    public static void main(String[] args) throws java.io.IOException {
        int step = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        Report r = calibrate(step, args.length > 1 ? java.nio.file.Path.of(args[1]) : null);
        System.out.print(r.cost());
        System.out.print(table(r.rows()));
        if (args.length > 1) {
            System.out.println("page written to " + args[1]);
        }
        r.problems().forEach(p -> System.out.println("PROBLEM " + p));
        System.exit(r.problems().isEmpty() ? 0 : 1);
    }
}
