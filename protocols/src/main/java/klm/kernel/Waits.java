package klm.kernel;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.HashSet;
import java.util.function.BooleanSupplier;

/**
 * Every blocking wait of the runtime goes through here, in one of two modes (system property
 * {@code klm.blocking}):
 * <ul>
 *   <li>{@code lincheck}: waits really block (monitor wait for sleeping locks and wait queues, a
 *       spin loop for spin locks) and nothing else is touched, so that Lincheck's model checker
 *       sees a deadlock as a hang and reports it with its trace;</li>
 *   <li>{@code bounded} (default): waits are cut in 1 ms slices. Each slice the waiter looks at its
 *       machine ({@link Smp}): a cycle of CPUs waiting on locks that the next one holds, or every
 *       CPU blocked with none running, seen twice with no progress in between, is a deadlock and
 *       every CPU in it throws {@link DeadlockError} naming the CPUs and the locks. A wait during
 *       which no CPU of the machine made progress for {@code klm.wait.timeout.ms} (default 5000)
 *       ends in a {@code HANG} error as a backstop.</li>
 * </ul>
 * A spin lock requested on the CPU that holds it is a {@link SelfDeadlockError} in both modes.
 */
public final class Waits {
    private Waits() {}

    public enum Mode { BOUNDED, LINCHECK, EXPLORER }

    public static final Mode MODE = parseMode(System.getProperty("klm.blocking", "bounded"));
    /** The explorer controls the CPUs' threads ({@link Exploration}); a constant, so free elsewhere. */
    public static final boolean EXPLORING = MODE == Mode.EXPLORER;
    static final long TIMEOUT_NANOS = parseMillis("klm.wait.timeout.ms", 5000) * 1_000_000L;
    static final long DETECT_INTERVAL_NANOS = 1_000_000L;
    /**
     * How long a bounded sleeper sleeps before it looks again (1 ms). The re-check would also paper
     * over a lost wake-up, so the wait-queue test lengthens it to make a lost wake-up a visible stall.
     */
    private static volatile long sliceMillis = 1;

    static void setSliceMillisForTests(long ms) {
        sliceMillis = ms;
    }

    static Mode parseMode(String value) {
        for (Mode m : Mode.values()) {
            if (m.name().equalsIgnoreCase(value.trim())) {
                return m;
            }
        }
        throw new IllegalArgumentException("klm.blocking=" + value + " is not a blocking mode; valid: bounded, lincheck, explorer");
    }

    private static long parseMillis(String property, long dflt) {
        String v = System.getProperty(property);
        if (v == null || v.isBlank()) {
            return dflt;
        }
        try {
            long ms = Long.parseLong(v.trim());
            if (ms <= 0) {
                throw new NumberFormatException();
            }
            return ms;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(property + "=" + v + " is not a positive number of milliseconds");
        }
    }

    /** True on a CPU thread of a running exploration: waits and locks take the explorer's paths. */
    static boolean underExplorer() {
        return EXPLORING && Explored.controlled();
    }

    public static boolean bounded() {
        return MODE == Mode.BOUNDED;
    }

    // ------------------------------------------------------------------ waiting

    /** Sleeps on {@code wq} until {@code cond} holds (wait_event), blocked on {@code lock} for the detector. */
    static void sleepUntil(WaitQueueHead wq, BooleanSupplier cond, Object lock, String name, LockMode mode,
                           boolean prefersWriters) {
        if (underExplorer()) {
            WaitRecord w = new WaitRecord(lock, name, mode, prefersWriters);
            if (lock == null && wq.sleeps()) {
                wq.sleepExplored(cond, w); // wait_event(): the kernel's steps, so a wake-up can be lost
            } else {
                Explored.await(Cpu.current(), cond, w, false); // a sleeping lock's wait: atomic internals
            }
            return;
        }
        if (cond.getAsBoolean()) {
            return;
        }
        Cpu me = Cpu.current();
        if (MODE == Mode.LINCHECK) {
            me.sleepingOn = wq;
            synchronized (wq) {
                wq.sleepers.incReturn();
                try {
                    while (!cond.getAsBoolean()) {
                        haltCheck(me);
                        wq.wait();
                    }
                } catch (InterruptedException e) {
                    throw interrupted(e);
                } finally {
                    wq.sleepers.decReturn();
                    me.sleepingOn = null;
                }
            }
            return;
        }
        WaitRecord w = me.beginWait(new WaitRecord(lock, name, mode, prefersWriters));
        me.sleepingOn = wq;
        try {
            synchronized (wq) {
                wq.sleepers.incReturn();
                try {
                    while (!cond.getAsBoolean()) {
                        haltCheck(me);
                        w.falseChecks++;
                        wq.wait(sliceMillis);
                        check(me, w);
                    }
                } catch (InterruptedException e) {
                    throw interrupted(e);
                } finally {
                    wq.sleepers.decReturn();
                }
            }
        } finally {
            me.sleepingOn = null;
            me.endWait(w);
        }
    }

    /** A deadlock report waiting for this CPU comes first; then a halted machine stops it. */
    private static void haltCheck(Cpu me) {
        DeadlockError d = me.deadlock;
        if (d != null) {
            me.deadlock = null;
            throw d.copyForAnotherThread();
        }
        if (me.smp.halted()) {
            throw new MachineHalted(me);
        }
    }

    /** Spins until {@code cond} holds, taking interrupts that are enabled on this CPU meanwhile. */
    static void spinUntil(BooleanSupplier cond, Object lock, String name, LockMode mode) {
        Cpu me = Cpu.current();
        if (underExplorer()) {
            // Enabled when the condition holds, or when an interrupt can land on the spinner.
            boolean[] got = new boolean[1];
            WaitRecord w = new WaitRecord(lock, name, mode, false);
            for (;;) {
                Explored.await(me, () -> (got[0] = cond.getAsBoolean()) || me.deliverablePending(), w, false);
                if (got[0]) {
                    return;
                }
                me.pollInterrupts();
            }
        }
        if (MODE == Mode.LINCHECK) {
            while (!cond.getAsBoolean()) {
                haltCheck(me);
                me.pollInterrupts();
            }
            return;
        }
        WaitRecord w = null;
        int spins = 0;
        try {
            while (!cond.getAsBoolean()) {
                haltCheck(me);
                if (w != null) {
                    w.falseChecks++;
                }
                me.pollInterrupts();
                if (++spins < 64) {
                    Thread.onSpinWait();
                    continue;
                }
                Thread.yield();
                if (w == null) {
                    w = me.beginWait(new WaitRecord(lock, name, mode, false));
                }
                check(me, w);
            }
        } finally {
            if (w != null) {
                me.endWait(w);
            }
        }
    }

    /** The idle loop's wait: not on a lock (it only waits for the other CPUs to finish). */
    static void spinUntil(BooleanSupplier cond, Cpu me) {
        if (MODE == Mode.LINCHECK) {
            while (!cond.getAsBoolean() && !me.smp.halted()) {
                Thread.onSpinWait();
            }
            return;
        }
        // As for a waiter (check()), the backstop counts from the machine's last progress: on a loaded
        // machine the other CPUs may take long to finish while still moving.
        long quietSince = System.nanoTime();
        long nextLook = quietSince + DETECT_INTERVAL_NANOS;
        String lastSeen = null;
        int spins = 0;
        while (!cond.getAsBoolean() && !me.smp.halted()) {
            if (++spins < 64) {
                Thread.onSpinWait();
                continue;
            }
            Thread.yield();
            DeadlockError d = me.deadlock;
            if (d != null) {
                me.deadlock = null;
                throw d.copyForAnotherThread();
            }
            long now = System.nanoTime();
            if (now >= nextLook) {
                nextLook = now + DETECT_INTERVAL_NANOS;
                Map<Cpu, View> views = snapshot(me.smp);
                String seen = views == null ? null : signature(views);
                if (seen == null || !seen.equals(lastSeen)) {
                    lastSeen = seen;
                    quietSince = now;
                }
            }
            if (now - quietSince > TIMEOUT_NANOS) {
                throw new DeadlockError("HANG", me.name() + " finished its task but the other CPUs did not finish, and no CPU"
                        + " of the machine made progress for more than " + TIMEOUT_NANOS / 1_000_000 + " ms (klm.wait.timeout.ms); "
                        + describeMachine(me.smp, snapshot(me.smp)));
            }
        }
    }

    /**
     * One iteration of a busy-wait of model code ({@code while (READ_ONCE(x) == NEXT_PENDING)
     * cpu_relax();}): the caller loops and re-reads. In bounded and lincheck modes this is
     * cpu_relax(). Under the explorer the CPU is simply not enabled until {@code until} holds
     * (the spin-assume idea of GenMC): a spin that re-reads an unchanged value is not a new
     * behaviour, and without this an unbounded spin would be an unbounded execution.
     */
    public static void cpuRelax(BooleanSupplier until, String what) {
        if (underExplorer()) {
            spinUntil(until, null, what, LockMode.EXCLUSIVE);
            return;
        }
        Thread.onSpinWait();
    }

    /**
     * The explorer's deadlock report: no CPU can move and {@code waiting} wait. A cycle of lock
     * waits is a {@code DEADLOCK} naming it; otherwise a {@code HANG} naming what each CPU waits for.
     */
    static DeadlockError explainBlocked(Smp smp, List<Cpu> waiting) {
        Map<Cpu, View> views = snapshot(smp);
        for (Cpu c : waiting) {
            Finding f = views == null ? null : find(c, views);
            if (f != null && f.outcome.equals("DEADLOCK")) {
                return new DeadlockError(f.outcome, f.report);
            }
        }
        return new DeadlockError("HANG", "no CPU can make progress (every execution of the explorer ends here): "
                + describeMachine(smp, views));
    }

    private static IllegalStateException interrupted(InterruptedException e) {
        Thread.currentThread().interrupt();
        return new IllegalStateException("a simulated CPU's thread was interrupted while it slept", e);
    }

    // ------------------------------------------------------------------ the detector

    private record View(Cpu cpu, Cpu.RunState state, WaitRecord waiting, List<HeldLocks.Entry> held, long version) {}

    private static Map<Cpu, View> snapshot(Smp smp) {
        Map<Cpu, View> views = new LinkedHashMap<>();
        for (Cpu c : smp.cpus()) {
            long v = c.held.version();
            List<HeldLocks.Entry> held = c.held.snapshot();
            if (held == null) {
                return null; // moving: someone is making progress
            }
            views.put(c, new View(c, c.runState, c.waiting, held, v));
        }
        return views;
    }

    /** Called by a waiter each slice: throws if this CPU is part of a confirmed deadlock, or waited too long. */
    static void check(Cpu me, WaitRecord w) {
        DeadlockError d = me.deadlock;
        if (d != null) {
            me.deadlock = null;
            throw d.copyForAnotherThread();
        }
        long now = System.nanoTime();
        if (now - w.quietSince > TIMEOUT_NANOS) {
            Map<Cpu, View> views = snapshot(me.smp);
            throw new DeadlockError("HANG", me.describe() + " " + w.describe() + ", and no CPU of the machine made progress"
                    + " for more than " + TIMEOUT_NANOS / 1_000_000 + " ms (klm.wait.timeout.ms); " + describeMachine(me.smp, views));
        }
        if (now < w.nextDetect) {
            return;
        }
        w.nextDetect = now + DETECT_INTERVAL_NANOS;
        Map<Cpu, View> views = snapshot(me.smp);
        // The backstop counts from the machine's last progress, not from the start of the wait: on a
        // loaded machine a wait may be long while the holder it waits for is still moving.
        String seen = views == null ? null : signature(views);
        if (seen == null || !seen.equals(w.lastSeen)) {
            w.lastSeen = seen;
            w.quietSince = now;
        }
        Finding f = views == null ? null : find(me, views);
        if (f == null) {
            w.suspect = null;
            return;
        }
        if (!(w.suspect instanceof Sighting first) || !first.signature.equals(f.signature)) {
            w.suspect = new Sighting(f.signature, falseChecks(views)); // seen once: confirm later
            return;
        }
        // Confirmed only when nothing moved since and every waiter has looked at its condition
        // again and found it still false: a waiter that was woken but not yet scheduled is not blocked.
        Map<Cpu, Long> now2 = falseChecks(views);
        for (Map.Entry<Cpu, Long> e : first.falseChecks.entrySet()) {
            Long later = now2.get(e.getKey());
            if (later == null || later <= e.getValue()) {
                return;
            }
        }
        DeadlockError err = new DeadlockError(f.outcome, f.report);
        for (Cpu c : f.participants) {
            if (c != me) {
                c.deadlock = err;
            }
        }
        // CPUs waiting behind the cycle will never be woken either: they share its report.
        for (View v : views.values()) {
            if (v.cpu != me && v.waiting != null && !f.participants.contains(v.cpu)) {
                List<Cpu> p = pathIntoCycle(v.cpu, views);
                if (p != null && !java.util.Collections.disjoint(p, f.participants)) {
                    v.cpu.deadlock = err;
                }
            }
        }
        // A deadlocked machine is dead: a CPU that comes to wait on its locks later is halted, not left to hang.
        me.smp.halt();
        throw err;
    }

    private record Finding(String outcome, String report, List<Cpu> participants, String signature) {}

    private record Sighting(String signature, Map<Cpu, Long> falseChecks) {}

    private static Map<Cpu, Long> falseChecks(Map<Cpu, View> views) {
        Map<Cpu, Long> m = new HashMap<>();
        for (View v : views.values()) {
            if (v.waiting != null) {
                m.put(v.cpu, v.waiting.falseChecks);
            }
        }
        return m;
    }

    private static String signature(Map<Cpu, View> views) {
        StringBuilder sb = new StringBuilder();
        for (View v : views.values()) {
            sb.append(v.cpu.id()).append(':').append(v.state).append(':').append(v.version).append(';');
        }
        return sb.toString();
    }

    /** The CPUs (other than none) whose held locks or pending write stop {@code w}. */
    private static List<Cpu> blockers(View waiter, Map<Cpu, View> views) {
        List<Cpu> out = new ArrayList<>();
        WaitRecord w = waiter.waiting;
        if (w == null || w.lock == null) {
            return out;
        }
        for (View v : views.values()) {
            boolean blocks = false;
            for (HeldLocks.Entry e : v.held) {
                if (e.lock() == w.lock && w.mode.blockedBy(e.mode())) {
                    blocks = true;
                    break;
                }
            }
            // A waiting writer blocks new readers on locks that prefer writers (rwsem, percpu rwsem).
            if (!blocks && v.cpu != waiter.cpu && w.mode.shared() && w.prefersWriters && v.waiting != null
                    && v.waiting.lock == w.lock && !v.waiting.mode.shared()) {
                blocks = true;
            }
            if (blocks) {
                out.add(v.cpu);
            }
        }
        return out;
    }

    private static Finding find(Cpu me, Map<Cpu, View> views) {
        // 1. a cycle of lock waits that this CPU is in, or waits behind
        List<Cpu> path = pathIntoCycle(me, views);
        if (path != null) {
            Cpu entry = path.get(path.size() - 1);
            int start = path.indexOf(entry);
            List<Cpu> cycle = path.subList(start, path.size() - 1);
            StringBuilder sb = new StringBuilder("circular wait between ").append(cycle.size())
                    .append(cycle.size() == 1 ? " CPU" : " CPUs").append(":");
            for (int i = 0; i < cycle.size(); i++) {
                View v = views.get(cycle.get(i));
                Cpu next = cycle.get((i + 1) % cycle.size());
                sb.append("\n  ").append(v.cpu.name()).append(' ').append(heldText(v)).append(", ")
                        .append(v.waiting.describe()).append(next == v.cpu ? ", which it holds itself" : ", blocked by " + next.name());
            }
            for (int i = 0; i < start; i++) {
                View v = views.get(path.get(i));
                sb.append("\n  and ").append(v.cpu.name()).append(", waiting behind it, ").append(heldText(v)).append(", ")
                        .append(v.waiting.describe()).append(", blocked by ").append(path.get(i + 1).name());
            }
            return new Finding("DEADLOCK", sb.toString(), new ArrayList<>(path.subList(0, path.size() - 1)), signature(views));
        }
        // 2. every CPU of the machine blocked (or finished), none running, none yet to start
        List<Cpu> blocked = new ArrayList<>();
        for (View v : views.values()) {
            switch (v.state) {
                case RUNNING, NEW:
                    return null;
                case WAITING:
                    blocked.add(v.cpu);
                    break;
                default:
                    break;
            }
        }
        if (blocked.isEmpty() || !blocked.contains(me)) {
            return null;
        }
        return new Finding("HANG", "no CPU can make progress: " + describeMachine(me.smp, views), blocked, signature(views));
    }

    /**
     * Follows the wait-for edges from {@code start}; if they lead into a cycle, returns the path
     * from start to the cycle and around it, ending with the CPU where the cycle closes (so that
     * CPU appears twice); else null. A CPU waiting behind a deadlock is part of that deadlock.
     */
    private static List<Cpu> pathIntoCycle(Cpu start, Map<Cpu, View> views) {
        return dfs(start, views, new ArrayList<>(), new HashSet<>());
    }

    private static List<Cpu> dfs(Cpu c, Map<Cpu, View> views, List<Cpu> path, Set<Cpu> done) {
        if (path.contains(c)) {
            List<Cpu> found = new ArrayList<>(path);
            found.add(c);
            return found;
        }
        View v = views.get(c);
        if (done.contains(c) || v == null || v.waiting == null) {
            return null;
        }
        path.add(c);
        for (Cpu b : blockers(v, views)) {
            List<Cpu> found = dfs(b, views, path, done);
            if (found != null) {
                return found;
            }
        }
        path.remove(path.size() - 1);
        done.add(c);
        return null;
    }

    private static String heldText(View v) {
        if (v.held.isEmpty()) {
            return "holds nothing";
        }
        List<String> parts = new ArrayList<>();
        for (HeldLocks.Entry e : v.held) {
            parts.add(e.name() + (e.mode() == LockMode.EXCLUSIVE ? "" : " (" + e.mode().name().toLowerCase(Locale.ROOT) + ")")
                    + " [" + e.context() + "]");
        }
        return "holds " + String.join(", ", parts);
    }

    static String describeMachine(Smp smp, Map<Cpu, View> views) {
        if (views == null) {
            return "machine state was changing";
        }
        List<String> parts = new ArrayList<>();
        for (View v : views.values()) {
            String what = switch (v.state) {
                case WAITING -> heldText(v) + ", " + (v.waiting != null ? v.waiting.describe() : "waits");
                case IDLE -> "idle (task finished)" + (v.held.isEmpty() ? "" : ", " + heldText(v));
                case DONE -> "finished";
                case NEW -> "not started";
                case RUNNING -> "running, " + heldText(v);
            };
            parts.add(v.cpu.name() + " " + what);
        }
        return String.join("; ", parts);
    }
}
