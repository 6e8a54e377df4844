package klm.lockdep;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import klm.kernel.Cpu;
import klm.kernel.ExecContext;
import klm.kernel.LockClass;
import klm.kernel.LockEvent;
import klm.kernel.LockHooks;
import klm.kernel.LockListener;
import klm.kernel.LockMode;

/**
 * The project's lock validator, after the kernel's lockdep (Documentation/locking/lockdep-design.rst),
 * attached at the runtime's lock hook point. It predicts deadlocks from lock orders and irq usage
 * that each happened once, without the deadlock ever happening:
 * <ul>
 *   <li>lock classes, a held-lock stack per CPU, and a dependency graph between classes: taking B
 *       while holding A adds A -&gt; B; a new edge that closes a cycle is a circular dependency;</li>
 *   <li>a read lock taken again while held (not recursive) is recursive locking; recursive reads
 *       ({@link LockMode#RECURSIVE_READ}, lock_map_acquire_read) follow the rules of lockdep as of
 *       2017 (v4.13), the kernel the hotplug seed was written against: a <em>held</em> recursive
 *       read is never the source of a dependency; <em>acquiring</em> one is checked (cycle and irq
 *       usage) against the locks held, but the dependency is not stored. Two homebrew hotplug locks
 *       annotated this way therefore never meet in the graph: the blind spot. A trylock adds no
 *       dependency and is not checked, as it cannot wait;</li>
 *   <li>usage states per class (used in softirq/hardirq, taken with softirqs/irqs enabled): both for
 *       one class is inconsistent usage; a new dependency that connects an irq-safe class (or one
 *       that reaches it) to an irq-unsafe one (or one it reaches) is an irq-safe -&gt; irq-unsafe
 *       lock order.</li>
 * </ul>
 * Like the kernel, the first report is the one that counts (the kernel turns lockdep off after
 * it); later ones are still collected, each chain at most once. {@link #reset()} clears the state.
 */
public final class Lockdep implements LockListener {

    enum Usage {
        USED_IN_HARDIRQ("IN-HARDIRQ-W"), USED_IN_SOFTIRQ("IN-SOFTIRQ-W"),
        ENABLED_HARDIRQ("HARDIRQ-ON-W"), ENABLED_SOFTIRQ("SOFTIRQ-ON-W");

        final String label;

        Usage(String label) {
            this.label = label;
        }
    }

    /** A lock held by a CPU, as lockdep's struct held_lock. */
    private record Held(LockClass cls, Object instance, LockMode mode, boolean trylock, String where) {}

    /** A dependency A -&gt; B and where it was first seen. */
    private record Edge(LockClass from, LockClass to, LockMode fromMode, LockMode toMode, String where) {}

    private final Map<Cpu, ArrayDeque<Held>> held = new IdentityHashMap<>();
    private final Map<LockClass, Map<LockClass, Edge>> graph = new LinkedHashMap<>();
    private final Map<LockClass, EnumMap<Usage, String>> usage = new HashMap<>();
    private final List<LockdepReport> reports = new ArrayList<>();
    private final Set<String> reported = new HashSet<>();
    /** The contention pass: a CPU's trylocks fail until that CPU has taken the lock by a blocking call. */
    private boolean contentionPass;
    private final Map<Cpu, Set<Object>> takenBlocking = new IdentityHashMap<>();

    /** Attaches a fresh validator to the hook point. */
    public static Lockdep attach() {
        Lockdep l = new Lockdep();
        LockHooks.attach(l);
        return l;
    }

    public void detach() {
        LockHooks.detach(this);
    }

    public synchronized List<LockdepReport> reports() {
        return List.copyOf(reports);
    }

    /** The report the kernel would have printed (its first). */
    public synchronized LockdepReport first() {
        return reports.isEmpty() ? null : reports.get(0);
    }

    /**
     * Starts (or ends) the contention pass: until a CPU has taken a lock by a blocking acquisition,
     * its trylocks of that lock fail, as if another CPU held it, so that a path that only runs on a failed
     * trylock (a drop-and-retake fallback, an rmap walk that gives up) is run once and validated.
     * The graph and usage states are kept: as in the kernel, dependencies accumulate across paths.
     */
    public synchronized void contentionPass(boolean on) {
        contentionPass = on;
        takenBlocking.clear();
        held.clear();
    }

    @Override
    public synchronized boolean failTrylock(LockClass cls, Object instance) {
        return contentionPass && !takenBlocking.getOrDefault(Cpu.current(), Set.of()).contains(instance);
    }

    public synchronized void reset() {
        contentionPass = false;
        takenBlocking.clear();
        held.clear();
        graph.clear();
        usage.clear();
        reports.clear();
        reported.clear();
    }

    @Override
    public synchronized void onLockEvent(LockEvent e) {
        ArrayDeque<Held> stack = held.computeIfAbsent(e.cpu(), c -> new ArrayDeque<>());
        if (e.kind() == LockEvent.Kind.RELEASE) {
            for (var it = stack.descendingIterator(); it.hasNext(); ) {
                Held h = it.next();
                if (h.instance() == e.instance()) {
                    it.remove();
                    break;
                }
            }
            return;
        }
        if (contentionPass && !e.trylock()) {
            takenBlocking.computeIfAbsent(e.cpu(), c -> java.util.Collections.newSetFromMap(new IdentityHashMap<>()))
                    .add(e.instance());
        }
        String where = e.cpu().name() + " [" + e.context().describe() + "]";
        Held next = new Held(e.lockClass(), e.instance(), e.mode(), e.trylock(), where);
        markUsage(next, e.context());
        if (!e.trylock()) {
            // validate_chain(): check_deadlock(), then check_prevs_add() unless this is a
            // recursive read inside a read of the same class (ret == 2) or a recursion was reported.
            if (checkDeadlock(stack, next) == 1) {
                checkPrevsAdd(stack, next);
            }
        }
        stack.addLast(next);
    }

    // ------------------------------------------------------------------ recursion

    /**
     * check_deadlock(): a lock of the class being taken already held by this CPU. Returns 2 for a
     * recursive read inside a read of the same class (allowed; no dependencies are added for it),
     * 0 after reporting recursive locking, 1 otherwise.
     */
    private int checkDeadlock(ArrayDeque<Held> stack, Held next) {
        for (Held prev : stack) {
            if (!prev.cls().equals(next.cls())) {
                continue;
            }
            if (next.mode() == LockMode.RECURSIVE_READ && prev.mode().shared()) {
                return 2; // recursive read inside a read: allowed
            }
            String key = "recursive:" + next.cls();
            StringBuilder sb = new StringBuilder();
            sb.append("WARNING: possible recursive locking detected\n");
            sb.append(next.where()).append(" is trying to acquire lock:\n  ").append(describe(next)).append("\n\n");
            sb.append("but task is already holding lock:\n  ").append(describe(prev)).append("\n\n");
            sb.append("other info that might help us debug this:\n Possible unsafe locking scenario:\n\n");
            sb.append("       CPU0\n       ----\n");
            sb.append("  lock(").append(prev.cls()).append(");\n");
            sb.append("  lock(").append(next.cls()).append(");\n\n");
            sb.append(" *** DEADLOCK ***\n\n May be due to missing lock nesting notation\n");
            if (prev.mode().shared() && next.mode().shared()) {
                sb.append("\n (a read taken again while held: a writer that arrives in between blocks the second read and waits for the first)\n");
            }
            report(LockdepReport.Kind.RECURSIVE_LOCKING, key, "possible recursive locking detected", sb.toString());
            return 0;
        }
        return 1;
    }

    // ------------------------------------------------------------------ dependencies

    /**
     * check_prevs_add() as lockdep had it in 2017 (v4.13/v4.14): walk the held locks from the most
     * recent down; a held recursive read is skipped (it is never the source of a dependency, nor
     * checked against the new lock); every other one gets check_prev_add(); the walk stops after the
     * first held lock that was not a trylock, because the locks under it are already connected to
     * it (the new lock reaches them through it).
     */
    private void checkPrevsAdd(ArrayDeque<Held> stack, Held next) {
        for (var it = stack.descendingIterator(); it.hasNext(); ) {
            Held prev = it.next();
            if (prev.mode() == LockMode.RECURSIVE_READ || prev.cls().equals(next.cls())) {
                continue;
            }
            checkPrevAdd(prev, next);
            if (!prev.trylock()) {
                break;
            }
        }
    }

    /**
     * check_prev_add(): the new dependency prev -&gt; next must not close a cycle (check_noncircular)
     * nor connect an irq-safe lock to an irq-unsafe one; both checks run even when next is a
     * recursive read, but such a dependency is not stored ("For recursive read-locks we do all the
     * dependency checks, but we dont store read-triggered dependencies").
     */
    private void checkPrevAdd(Held prev, Held next) {
        Map<LockClass, Edge> out = graph.computeIfAbsent(prev.cls(), c -> new LinkedHashMap<>());
        if (out.containsKey(next.cls())) {
            return; // the dependency is already in the graph, checked when it was added
        }
        Edge edge = new Edge(prev.cls(), next.cls(), prev.mode(), next.mode(), next.where());
        // A new edge prev -> next closes a cycle if next already reaches prev.
        List<Edge> back = path(next.cls(), prev.cls());
        if (back != null) {
            reportCycle(edge, back);
        }
        checkIrqSafeToUnsafe(edge);
        if (next.mode() != LockMode.RECURSIVE_READ) {
            out.put(next.cls(), edge);
        }
    }

    /** A path of existing edges from {@code from} to {@code to}, or null (breadth first: the shortest). */
    private List<Edge> path(LockClass from, LockClass to) {
        Map<LockClass, Edge> via = new HashMap<>();
        ArrayDeque<LockClass> queue = new ArrayDeque<>();
        queue.add(from);
        Set<LockClass> seen = new HashSet<>(Set.of(from));
        while (!queue.isEmpty()) {
            LockClass c = queue.poll();
            if (c.equals(to)) {
                List<Edge> p = new ArrayList<>();
                for (LockClass x = to; !x.equals(from); x = via.get(x).from()) {
                    p.add(0, via.get(x));
                }
                return p;
            }
            for (Edge e : graph.getOrDefault(c, Map.of()).values()) {
                if (seen.add(e.to())) {
                    via.put(e.to(), e);
                    queue.add(e.to());
                }
            }
        }
        return null;
    }

    private void reportCycle(Edge closing, List<Edge> back) {
        List<Edge> cycle = new ArrayList<>();
        cycle.add(closing);
        cycle.addAll(back);
        List<String> names = new ArrayList<>();
        for (Edge e : cycle) {
            names.add(e.from().name());
        }
        List<String> sorted = new ArrayList<>(names);
        java.util.Collections.sort(sorted);
        String key = "cycle:" + sorted;
        StringBuilder sb = new StringBuilder();
        sb.append("WARNING: possible circular locking dependency detected\n");
        sb.append(closing.where()).append(" is trying to acquire lock:\n  ").append(closing.to()).append(" (")
                .append(mode(closing.toMode())).append(")\n\n");
        sb.append("but task is already holding lock:\n  ").append(closing.from()).append(" (").append(mode(closing.fromMode()))
                .append(")\n\n");
        sb.append("which lock already depends on the new lock.\n\nthe existing dependency chain (in reverse order) is:\n\n");
        for (int i = back.size() - 1; i >= 0; i--) {
            Edge e = back.get(i);
            sb.append("-> #").append(i).append(" (").append(e.to()).append("): taken while holding ").append(e.from())
                    .append(", first seen on ").append(e.where()).append('\n');
        }
        sb.append("\nother info that might help us debug this:\n\n");
        if (cycle.size() == 2) {
            Edge a = closing;
            Edge b = back.get(0);
            sb.append(" Possible unsafe locking scenario:\n\n");
            sb.append(String.format("       %-28s %s%n", "CPU0", "CPU1"));
            sb.append(String.format("       %-28s %s%n", "----", "----"));
            sb.append(String.format("  %-33s%n", "lock(" + a.from() + ");"));
            sb.append(String.format("  %-33s lock(%s);%n", "", b.from()));
            sb.append(String.format("  %-33s lock(%s);%n", "", b.to()));
            sb.append(String.format("  %-33s%n", "lock(" + a.to() + ");"));
        } else {
            sb.append(" Chain exists of:\n   ");
            for (Edge e : cycle) {
                sb.append(e.from()).append(" --> ");
            }
            sb.append(closing.from()).append("\n\n Possible unsafe locking scenario: each of ").append(cycle.size())
                    .append(" CPUs holds one lock of the chain and waits for the next.\n");
        }
        sb.append("\n *** DEADLOCK ***\n");
        report(LockdepReport.Kind.CIRCULAR_DEPENDENCY, key, "possible circular locking dependency detected", sb.toString());
    }

    // ------------------------------------------------------------------ irq usage

    private void markUsage(Held h, ExecContext ctx) {
        EnumMap<Usage, String> u = usage.computeIfAbsent(h.cls(), c -> new EnumMap<>(Usage.class));
        List<Usage> now = new ArrayList<>();
        if (ctx.inHardirq()) {
            now.add(Usage.USED_IN_HARDIRQ);
        }
        if (ctx.inServingSoftirq()) {
            now.add(Usage.USED_IN_SOFTIRQ);
        }
        if (ctx.hardirqsEnabled()) {
            now.add(Usage.ENABLED_HARDIRQ);
        }
        if (ctx.softirqsEnabled()) {
            now.add(Usage.ENABLED_SOFTIRQ);
        }
        for (Usage n : now) {
            if (u.containsKey(n)) {
                continue;
            }
            u.put(n, h.where());
            Usage conflict = switch (n) {
                case USED_IN_HARDIRQ -> Usage.ENABLED_HARDIRQ;
                case USED_IN_SOFTIRQ -> Usage.ENABLED_SOFTIRQ;
                case ENABLED_HARDIRQ -> Usage.USED_IN_HARDIRQ;
                case ENABLED_SOFTIRQ -> Usage.USED_IN_SOFTIRQ;
            };
            if (u.containsKey(conflict)) {
                reportInconsistent(h, conflict, n, u.get(conflict));
            } else {
                checkInversionOnMark(h.cls(), n);
            }
        }
    }

    private void reportInconsistent(Held h, Usage before, Usage now, String beforeWhere) {
        String key = "inconsistent:" + h.cls() + ":" + before + ":" + now;
        boolean soft = now == Usage.USED_IN_SOFTIRQ || now == Usage.ENABLED_SOFTIRQ;
        String irq = soft ? "softirq" : "hardirq";
        StringBuilder sb = new StringBuilder();
        sb.append("WARNING: inconsistent lock state\n");
        sb.append("inconsistent {").append(before.label).append("} -> {").append(now.label).append("} usage.\n");
        sb.append(h.where()).append(" takes:\n  ").append(describe(h)).append("\n");
        sb.append("{").append(before.label).append("} state was registered at: ").append(beforeWhere).append("\n\n");
        sb.append("other info that might help us debug this:\n Possible unsafe locking scenario:\n\n");
        sb.append("       CPU0\n       ----\n");
        sb.append("  lock(").append(h.cls()).append(");\n");
        sb.append("  <Interrupt>\n");
        sb.append("    lock(").append(h.cls()).append(");\n\n *** DEADLOCK ***\n\n");
        sb.append(" (the ").append(irq).append(" interrupts the holder on its own CPU and spins on the lock it holds)\n");
        report(LockdepReport.Kind.INCONSISTENT_USAGE, key,
                "inconsistent {" + before.label + "} -> {" + now.label + "} usage", sb.toString());
    }

    private static Usage unsafeFor(Usage safe) {
        return safe == Usage.USED_IN_SOFTIRQ ? Usage.ENABLED_SOFTIRQ : Usage.ENABLED_HARDIRQ;
    }

    /**
     * At a new edge A -&gt; B, check_prev_add_irq(): a lock that reaches A (A included) irq-safe and a
     * lock that B reaches (B included) irq-unsafe is the kernel's "X-safe -&gt; X-unsafe lock order".
     */
    private void checkIrqSafeToUnsafe(Edge edge) {
        for (Usage safe : new Usage[] {Usage.USED_IN_HARDIRQ, Usage.USED_IN_SOFTIRQ}) {
            Usage unsafe = unsafeFor(safe);
            LockClass safeCls = firstWith(safe, edge.from(), c -> path(c, edge.from()) != null);
            LockClass unsafeCls = safeCls == null ? null : firstWith(unsafe, edge.to(), c -> path(edge.to(), c) != null);
            if (unsafeCls != null) {
                reportSafeToUnsafe(edge, safeCls, unsafeCls, safe, usage.get(safeCls).get(safe),
                        usage.get(unsafeCls).get(unsafe));
                return;
            }
        }
    }

    /** {@code own} if it has usage {@code u}, else the first other class with it that {@code linked} accepts. */
    private LockClass firstWith(Usage u, LockClass own, java.util.function.Predicate<LockClass> linked) {
        if (usage.getOrDefault(own, new EnumMap<>(Usage.class)).containsKey(u)) {
            return own;
        }
        for (Map.Entry<LockClass, EnumMap<Usage, String>> e : usage.entrySet()) {
            if (e.getValue().containsKey(u) && !e.getKey().equals(own) && linked.test(e.getKey())) {
                return e.getKey();
            }
        }
        return null;
    }

    /** When a class becomes irq-safe (or -unsafe) after the edges exist: the kernel's irq lock inversion. */
    private void checkInversionOnMark(LockClass cls, Usage n) {
        if (n == Usage.USED_IN_HARDIRQ || n == Usage.USED_IN_SOFTIRQ) {
            Usage unsafe = unsafeFor(n);
            for (LockClass other : new ArrayList<>(usage.keySet())) {
                if (!other.equals(cls) && usage.get(other).containsKey(unsafe) && path(cls, other) != null) {
                    reportInversion(cls, other, n);
                    return;
                }
            }
        } else {
            Usage safe = n == Usage.ENABLED_SOFTIRQ ? Usage.USED_IN_SOFTIRQ : Usage.USED_IN_HARDIRQ;
            for (LockClass other : new ArrayList<>(usage.keySet())) {
                if (!other.equals(cls) && usage.get(other).containsKey(safe) && path(other, cls) != null) {
                    reportInversion(other, cls, safe);
                    return;
                }
            }
        }
    }

    private void reportSafeToUnsafe(Edge edge, LockClass safeCls, LockClass unsafeCls, Usage safe, String safeWhere,
                                    String unsafeWhere) {
        String irq = safe == Usage.USED_IN_SOFTIRQ ? "SOFTIRQ" : "HARDIRQ";
        String key = "safe-unsafe:" + safeCls + ":" + unsafeCls + ":" + irq;
        StringBuilder sb = new StringBuilder();
        sb.append("WARNING: ").append(irq).append("-safe -> ").append(irq).append("-unsafe lock order detected\n");
        sb.append(edge.where()).append(" is trying to acquire:\n  ").append(edge.to()).append("\n");
        sb.append("and this task is already holding:\n  ").append(edge.from()).append("\n");
        sb.append("which would create a new lock dependency:\n  (").append(edge.from()).append(") -> (").append(edge.to()).append(")\n\n");
        sb.append("but this new dependency connects a ").append(irq).append("-irq-safe lock:\n  (").append(safeCls)
                .append(")\n  ... which became ").append(irq).append("-irq-safe at: ").append(safeWhere).append("\n\n");
        sb.append("to a ").append(irq).append("-irq-unsafe lock:\n  (").append(unsafeCls).append(")\n  ... which became ")
                .append(irq).append("-irq-unsafe at: ").append(unsafeWhere).append("\n\n");
        scenarioSafeUnsafe(sb, safeCls, unsafeCls, irq);
        report(LockdepReport.Kind.IRQ_SAFE_TO_UNSAFE, key, irq + "-safe -> " + irq + "-unsafe lock order detected", sb.toString());
    }

    private void reportInversion(LockClass safeCls, LockClass unsafeCls, Usage safe) {
        String irq = safe == Usage.USED_IN_SOFTIRQ ? "SOFTIRQ" : "HARDIRQ";
        String key = "safe-unsafe:" + safeCls + ":" + unsafeCls + ":" + irq;
        StringBuilder sb = new StringBuilder();
        sb.append("WARNING: possible irq lock inversion dependency detected\n");
        sb.append("the existing dependency chain ").append(safeCls).append(" -> ... -> ").append(unsafeCls)
                .append(" connects a ").append(irq).append("-irq-safe lock to a ").append(irq).append("-irq-unsafe lock\n\n");
        scenarioSafeUnsafe(sb, safeCls, unsafeCls, irq);
        report(LockdepReport.Kind.IRQ_INVERSION, key, "possible irq lock inversion dependency detected", sb.toString());
    }

    private static void scenarioSafeUnsafe(StringBuilder sb, LockClass safeCls, LockClass unsafeCls, String irq) {
        String i = irq.equals("SOFTIRQ") ? "local_bh_disable();" : "local_irq_disable();";
        sb.append("other info that might help us debug this:\n\n Possible interrupt unsafe locking scenario:\n\n");
        sb.append(String.format("       %-28s %s%n", "CPU0", "CPU1"));
        sb.append(String.format("       %-28s %s%n", "----", "----"));
        sb.append(String.format("  %-33s%n", "lock(" + unsafeCls + ");"));
        sb.append(String.format("  %-33s %s%n", "", i));
        sb.append(String.format("  %-33s lock(%s);%n", "", safeCls));
        sb.append(String.format("  %-33s lock(%s);%n", "", unsafeCls));
        sb.append(String.format("  %-33s%n", "<Interrupt>"));
        sb.append(String.format("    %-31s%n", "lock(" + safeCls + ");"));
        sb.append("\n *** DEADLOCK ***\n");
    }

    // ------------------------------------------------------------------ helpers

    private static String mode(LockMode m) {
        return switch (m) {
            case EXCLUSIVE, WRITE -> "write";
            case READ -> "read";
            case RECURSIVE_READ -> "recursive read";
        };
    }

    private static String describe(Held h) {
        return h.cls() + " (" + mode(h.mode()) + ")" + (h.trylock() ? " [trylock]" : "");
    }

    private void report(LockdepReport.Kind kind, String key, String headline, String text) {
        if (reported.add(key)) {
            reports.add(new LockdepReport(kind, headline, text));
        }
    }
}
