package klm.explorer.memory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import klm.kernel.Explored;
import klm.kernel.Location;

/**
 * The state of the explorer's release/acquire memory model ({@link Ra}): an
 * operational "views" model in the style of the promising semantics without promises (Kang et al.,
 * POPL 2017) and of the view-based release/acquire machines (Kaiser et al., ECOOP 2017).
 *
 * <ul>
 *   <li>Every location has a history of writes (messages), oldest first; the order of the history
 *       is the coherence order. A new write goes after every write its CPU's view covers; a release
 *       or fully ordered write also after every write that had reached the writers of what the CPU
 *       has read, even relaxed (LKMM's po-rel orders every earlier access of the CPU before a
 *       release). A relaxed write may go before those: LKMM orders a read before a later relaxed
 *       write of its CPU only by acq-po, a full fence or a dependency, and each of these has put the
 *       read's view into the CPU's view here (an acquire load, smp_mb(), and the adapters' acquire
 *       for a load that heads a dependency). It may go before the writes it has not seen (the
 *       explorer tries each place), but never between an RMW's write and the write that RMW read.</li>
 *   <li>Every CPU has a <em>view</em>: for each location, the oldest write it may still read. A
 *       load may read any write not older than its view (the explorer tries each), and moves the
 *       view up to it.</li>
 *   <li>A message carries a view. A release store's (or release RMW's) is the writer's whole view
 *       joined with the views of the writes it has read, even relaxed (LKMM's release is A-cumulative).
 *       A relaxed store's is the writer's <em>store view</em>: what LKMM orders before every later
 *       store of that CPU and propagates with it: everything before its last {@code smp_mb()} or
 *       {@code smp_wmb()}, what full barriers had ordered before the writes its acquires read, and,
 *       after a lock's acquisition, the unlocking CPU's own writes and what its stores carried at
 *       the unlock it read (po-unlock-lock-po is in cumul-fence, not A-cumulative: not what that CPU
 *       only read); and after an unlock and a later lock on the same CPU, everything before the
 *       unlock. An acquire load
 *       joins the message's view into its own; a relaxed load keeps it aside until an
 *       {@code smp_rmb()} or {@code smp_mb()} joins it.</li>
 *   <li>A message also carries a <em>fenced</em> view: what full barriers ordered before the
 *       write, passed on through acquires, releases and the reads an {@code smp_rmb()} orders
 *       (LKMM's pb = prop ; strong-fence ; hb*). An acquire does not put the write it read, nor
 *       that write's whole view, into the CPU's store view: LKMM's acq-po is not cumulative.</li>
 *   <li>{@code smp_mb()} and the fully ordered RMWs are SC fences. With a {@link FenceGraph} (the
 *       explorer's model) their order is checked: a barrier puts itself into its CPU's views (an
 *       entry per CPU, the newest barrier of that CPU the view has heard of, carried like any other
 *       entry), and a load, a store's place or an RMW's read is offered only where some order of the
 *       barriers allows it. Without one (the tests' oracle) the CPU's view joins a global
 *       fence view and the fence view becomes the CPU's, in schedule order; a fence that would add
 *       nothing to the fence view only reads it ({@link #fenceOnlyReads}). Either way a fence
 *       before the CPU's first access orders nothing, and when that first access is a fully ordered
 *       RMW its barrier after it runs only before the CPU's next access (LKMM's strong-fence needs
 *       an access on each side). An RMW may read any
 *       write its view allows that no other RMW has read; its write goes right after that one in
 *       coherence order (atomicity), and it carries the view of the write it read (release
 *       sequences).</li>
 * </ul>
 *
 * What it cannot show: load buffering (a load never reads a write that runs later, and a write
 * never runs before its CPU's earlier reads: that needs promises), which makes it stronger than
 * LKMM, never weaker, as results/lkmm.md shows test by test. Dependencies are not modelled:
 * a READ_ONCE() of a pointer is an acquire load ({@link Ptr}), stronger than the address
 * dependency LKMM gives.
 *
 * The memory field of a variable always holds its newest write, so code outside the explored
 * steps (a trial of a wait condition, the final check) reads memory as under SC.
 */
final class Views {
    /**
     * A write in a location's history; {@code rmw}: written by an RMW that read the write just before
     * it; {@code unlocked}: for a release, what a lock's acquisition that reads it passes on to the
     * acquiring CPU's later stores (null: the whole {@code view}); {@code step}: the step of the
     * execution that made it (-1: the initial value), which a load reports as what it read
     * (reads-from, for the DPOR's happens-before); {@code porf}: per CPU, the newest full barrier
     * the writer had heard of through program order and reads-from (null: none).
     */
    private record Msg(Object value, int[] view, int[] fenced, boolean rmw, int[] unlocked, int step, int[] porf) {}

    private final List<List<Msg>> history = new ArrayList<>();
    private final int[][] cur;
    /** What the CPU's later relaxed stores carry (replaced, never changed in place: messages share it). */
    private final int[][] storeView;
    /** The views of writes read by relaxed loads, for a later smp_rmb() or smp_mb(). */
    private final int[][] acqPending;
    /** The CPU's view at its last release (an unlock), for po-unlock-lock-po; null before any. */
    private final int[][] lastRelease;
    /** The places of the CPU's own writes, per location (null before any). */
    private final int[][] own;
    /**
     * What a full barrier has ordered before the CPU's later accesses, with what the writes it
     * acquired carried of the same kind (LKMM's pb = prop ; strong-fence ; hb*: hb runs on through
     * acquires, dependencies and reads-from); a message carries it as its {@code fenced} view.
     */
    private final int[][] fenced;
    /** The fenced views of writes read by relaxed loads, for a later smp_rmb() or smp_mb(). */
    private final int[][] fencedPending;
    /** Without a graph: the global fence view, what every full barrier so far had seen. */
    private int[] sc = new int[0];
    /** Per CPU, the RMW in progress: the message it read, its location, its ordering. */
    private final Msg[] rmwRead;
    /** Per CPU, where the write its RMW read is in the history, and the newest write when that is an older one (memory holds the older one meanwhile). */
    private final int[] rmwTs;
    private final Msg[] rmwNewest;
    private final int[] rmwId;
    private final boolean[] rmwRelease;
    private final boolean[] rmwFull;
    /** Per CPU: whether it has accessed memory yet. */
    private final boolean[] accessed;
    /** The step that made the write the last {@link #load} read (-1: the initial value). */
    private int readStep = -1;
    /**
     * Per CPU: the barrier after a fully ordered RMW that was the CPU's first access, not yet run
     * (it runs before the CPU's next access, if any).
     */
    private final boolean[] barrierPending;
    /** Per CPU: whether its RMW in progress is its first access. */
    private final boolean[] rmwFirst;
    /**
     * The order of full barriers checked on the execution's graph ({@link FenceGraph}), or null when
     * it is the global fence view {@link #sc}, ordered by the schedule.
     */
    private final FenceGraph graph;
    /** With a graph: per CPU d, the id of the view entry that holds the newest barrier of d a view has heard of. */
    private final int[] barrierId;
    /** With a graph: per CPU, the newest barrier of each CPU it has heard of through program order and reads-from. */
    private final int[][] porf;

    /** The views with the global fence view, the order of full barriers followed as the schedule runs them. */
    Views(int cpus) {
        this(cpus, null);
    }

    /**
     * The views; with {@code barrierIds} (per CPU, a view entry that no location uses) the order of
     * full barriers is checked on a {@link FenceGraph}, not taken from the schedule.
     */
    Views(int cpus, int[] barrierIds) {
        graph = barrierIds == null ? null : new FenceGraph(cpus);
        barrierId = barrierIds;
        porf = new int[cpus][];
        cur = new int[cpus][0];
        storeView = new int[cpus][];
        acqPending = new int[cpus][];
        lastRelease = new int[cpus][];
        own = new int[cpus][];
        fenced = new int[cpus][];
        fencedPending = new int[cpus][];
        rmwRead = new Msg[cpus];
        rmwTs = new int[cpus];
        rmwNewest = new Msg[cpus];
        rmwId = new int[cpus];
        rmwRelease = new boolean[cpus];
        rmwFull = new boolean[cpus];
        accessed = new boolean[cpus];
        barrierPending = new boolean[cpus];
        rmwFirst = new boolean[cpus];
        Arrays.fill(rmwId, -1);
    }

    private List<Msg> hist(int id, Location loc, int slot) {
        while (history.size() <= id) {
            history.add(null);
        }
        List<Msg> h = history.get(id);
        if (h == null) {
            h = new ArrayList<>(4);
            h.add(new Msg(loc.exploreGet(slot), null, null, false, null, -1, null)); // the initial value: older than every write of the execution
            history.set(id, h);
        } else if (!same(h.get(h.size() - 1).value(), loc.exploreGet(slot))) {
            throw new IllegalStateException("location " + id + " (" + loc.getClass().getSimpleName()
                    + ") was written outside the explored accessors: the release/acquire model cannot place that write");
        }
        return h;
    }

    private static boolean same(Object a, Object b) {
        return a == b || (a instanceof Integer x && x.equals(b));
    }

    private static int at(int[] v, int id) {
        return v != null && id < v.length ? v[id] : 0;
    }

    /** {@code v} with location {@code id} at least {@code ts}; changes {@code v} in place when it is long enough. */
    private static int[] with(int[] v, int id, int ts) {
        int[] r = v.length > id ? v : Arrays.copyOf(v, id + 1);
        r[id] = Math.max(r[id], ts);
        return r;
    }

    /** {@code a} joined with {@code b}; changes {@code a} in place when it is long enough. */
    private static int[] join(int[] a, int[] b) {
        if (b == null) {
            return a;
        }
        int[] r = a.length >= b.length ? a : Arrays.copyOf(a, b.length);
        for (int i = 0; i < b.length; i++) {
            if (b[i] > r[i]) {
                r[i] = b[i];
            }
        }
        return r;
    }

    /** A new array: {@code a} (may be null) joined with {@code b}. */
    private static int[] joined(int[] a, int[] b) {
        return join(a == null ? new int[0] : a.clone(), b);
    }

    /** How many writes CPU {@code c} may read at location {@code id}: 1 means only the newest. */
    int candidates(int c, int id, Location loc, int slot) {
        access(c);
        List<Msg> h = hist(id, loc, slot);
        return graph == null ? h.size() - at(cur[c], id) : readable(c, id, h).size();
    }

    /**
     * With a graph: where in {@code id}'s history CPU {@code c} may read, newest first: from its
     * view on, where the order of full barriers allows it ({@link FenceGraph#allows}).
     */
    private List<Integer> readable(int c, int id, List<Msg> h) {
        int[] known = known(cur[c]);
        List<Integer> out = new ArrayList<>();
        for (int ts = h.size() - 1; ts >= at(cur[c], id); ts--) {
            if (graph.allows(id, ts, false, known)) {
                out.add(ts);
            }
        }
        return out;
    }

    /** Per CPU d, the newest full barrier of d that view {@code v} has heard of (0: none). */
    private int[] known(int[] v) {
        int[] k = new int[barrierId.length];
        for (int d = 0; d < k.length; d++) {
            k[d] = at(v, barrierId[d]);
        }
        return k;
    }

    /** Where {@code msg} is in {@code id}'s history now (by identity). */
    private int indexOf(int id, Object msg) {
        List<Msg> h = history.get(id);
        for (int i = 0; i < h.size(); i++) {
            if (h.get(i) == msg) {
                return i;
            }
        }
        throw new IllegalStateException("a write left the history of location " + id);
    }

    /** CPU {@code c} read message {@code m}: it has heard of what the writer had heard of (program order and reads-from). */
    private void heard(int c, Msg m) {
        if (graph != null && m.porf() != null) {
            porf[c] = joined(porf[c], m.porf());
        }
    }

    /** An acquire read of message {@code m} at {@code id}, {@code ts}: the CPU's view and its later stores' view take it in. */
    private void acquire(int c, int id, int ts, Msg m) {
        cur[c] = join(cur[c], m.view());
        if (m.fenced() != null) {
            fenced[c] = joined(fenced[c], m.fenced());
            storeView[c] = joined(storeView[c], m.fenced());
        }
    }

    /** A relaxed read of message {@code m}: its view waits for the CPU's next smp_rmb() or smp_mb(). */
    private void keepAside(int c, Msg m) {
        if (m.fenced() != null) {
            fencedPending[c] = joined(fencedPending[c], m.fenced());
        }
        if (m.view() != null) {
            acqPending[c] = joined(acqPending[c], m.view());
        }
    }

    /**
     * CPU {@code c} loads from {@code id} the write {@code back} places older than the newest (0:
     * the newest); returns the value read, or {@link Explored#MEMORY} when it is the newest
     * (memory holds it).
     */
    Object load(int c, int id, Location loc, int slot, int back, boolean acquire) {
        access(c);
        List<Msg> h = hist(id, loc, slot);
        // the newest write is always readable (no pre-view of a barrier is past it): only an older one needs the list again
        int ts = graph == null || back == 0 ? h.size() - 1 - back : readable(c, id, h).get(back);
        if (ts < at(cur[c], id)) {
            throw new IllegalStateException("a load chose a write older than its CPU's view");
        }
        Msg m = h.get(ts);
        if (graph != null) {
            graph.access(c, id, ts, m, known(cur[c]));
        }
        heard(c, m);
        readStep = m.step();
        cur[c] = with(cur[c], id, ts);
        if (acquire) {
            acquire(c, id, ts, m);
        } else {
            keepAside(c, m);
        }
        return back == 0 ? Explored.MEMORY : m.value();
    }

    /** The step that made the write the last {@link #load} read, -1 for a location's initial value. */
    int readStep() {
        return readStep;
    }

    /**
     * Where CPU {@code c} may place a write to {@code id} in its coherence order, newest first: after
     * every write its view covers (a {@code release} write: and every write its relaxed reads'
     * messages carried), anywhere before or after the writes it has not seen, but never between an
     * RMW's write and the write that RMW read.
     */
    private List<Integer> places(int c, int id, Location loc, int slot, boolean release) {
        List<Msg> h = hist(id, loc, slot);
        List<Integer> out = new ArrayList<>();
        int after = release ? Math.max(at(cur[c], id), at(acqPending[c], id)) : at(cur[c], id);
        int[] known = graph == null ? null : known(release, c);
        for (int p = h.size(); p > after; p--) {
            if ((p == h.size() || !h.get(p).rmw()) && (known == null || graph.allows(id, p, true, known))) {
                out.add(p);
            }
        }
        return out;
    }

    /** The full barriers CPU {@code c}'s access has heard of: its view's; a release's (or RMW's) also what its relaxed reads carried. */
    private int[] known(boolean release, int c) {
        return release ? known(joined(cur[c], acqPending[c])) : known(cur[c]);
    }

    /** How many places CPU {@code c}'s write to {@code id} may take in coherence order: 1 means only last. */
    int placements(int c, int id, Location loc, int slot, boolean release) {
        access(c);
        return places(c, id, loc, slot, release).size();
    }

    /**
     * CPU {@code c} stores {@code value} to {@code id} at the {@code back}-th place of
     * {@link #places} (0: after every write, the newest); returns true when the write is not the
     * newest (memory keeps the newest write, so the caller must not write it).
     */
    boolean store(int c, int id, Location loc, int slot, Object value, boolean release, int back, int step) {
        access(c);
        List<Msg> h = hist(id, loc, slot);
        int ts = places(c, id, loc, slot, release).get(back);
        int[] known = graph == null ? null : known(release, c);
        if (ts < h.size()) {
            shift(id, ts);
        }
        cur[c] = with(cur[c], id, ts);
        int[] carried;
        if (release) {
            carried = cumulative(c);
            lastRelease[c] = carried;
        } else {
            carried = storeView[c];
        }
        Msg w = new Msg(value, carried, release ? fencedRelease(c) : fenced[c], false, release ? unlocked(c) : null, step, porf[c]);
        h.add(ts, w);
        if (graph != null) {
            graph.access(c, id, ts, w, known);
        }
        own[c] = joined(own[c], with(new int[0], id, ts));
        return ts < h.size() - 1;
    }

    /**
     * A write goes in at place {@code ts} of {@code id}'s history: every view's timestamp for
     * {@code id} at or after it moves up by one (each view array once: messages share them).
     */
    private void shift(int id, int ts) {
        java.util.Set<int[]> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        java.util.function.Consumer<int[]> up = v -> {
            if (v != null && seen.add(v) && id < v.length && v[id] >= ts) {
                v[id]++;
            }
        };
        for (int c = 0; c < cur.length; c++) {
            up.accept(cur[c]);
            up.accept(storeView[c]);
            up.accept(acqPending[c]);
            up.accept(lastRelease[c]);
            up.accept(own[c]);
            up.accept(fenced[c]);
            up.accept(fencedPending[c]);
            if (rmwRead[c] != null) {
                up.accept(rmwRead[c].view());
                up.accept(rmwRead[c].fenced());
                up.accept(rmwRead[c].unlocked());
            }
        }
        up.accept(sc);
        if (graph != null) {
            graph.forEachPre(up);
        }
        for (List<Msg> h : history) {
            if (h != null) {
                for (Msg m : h) {
                    up.accept(m.view());
                    up.accept(m.fenced());
                    up.accept(m.unlocked());
                }
            }
        }
    }

    /**
     * The writes CPU {@code c}'s RMW on {@code id} may read, newest first: every write from its
     * view on ({@code release}: also from what its relaxed reads carried, as a release store's
     * place), except a write another RMW has read (LKMM's atomicity: no write comes between an
     * RMW's read and its write in coherence order, so two RMWs never read the same write).
     */
    private List<Integer> rmwReads(int c, int id, List<Msg> h, boolean release) {
        int from = release ? Math.max(at(cur[c], id), at(acqPending[c], id)) : at(cur[c], id);
        int[] known = graph == null ? null : known(release, c);
        List<Integer> out = new ArrayList<>();
        for (int ts = h.size() - 1; ts >= from; ts--) {
            if ((ts == h.size() - 1 || !h.get(ts + 1).rmw()) && (known == null || graph.allows(id, ts, false, known))) {
                out.add(ts);
            }
        }
        return out;
    }

    /**
     * Before an RMW on {@code id}: it reads a write {@link #rmwReads} allows, the newest or the
     * one {@code choose} picks among {@code n > 1} (0: the newest); its write will go right after
     * that write in coherence order, before the newer ones (LKMM lets an RMW read an older write
     * as long as none comes between the two). Memory holds the write read until {@link #rmwEnd},
     * which puts the newest back. Acquire and full RMWs take its view in; full ones are SC fences
     * before (and after, in {@link #rmwEnd}); an ACQUIRE-only RMW (a lock's acquisition) after a
     * release by the same CPU (an unlock) orders everything before that release before every
     * later access, as LKMM's po-unlock-lock-po does.
     */
    void rmwBegin(int c, int id, Location loc, int slot, boolean acquire, boolean release, boolean full,
                  java.util.function.IntUnaryOperator choose) {
        if (full) {
            fence(c);
        }
        rmwFirst[c] = !accessed[c];
        access(c);
        List<Msg> h = hist(id, loc, slot);
        List<Integer> reads = rmwReads(c, id, h, release || full);
        int ts = reads.size() > 1 ? reads.get(choose.applyAsInt(reads.size())) : h.size() - 1;
        Msg m = h.get(ts);
        if (graph != null) {
            graph.access(c, id, ts, m, known(release || full, c)); // its write goes right after m: what rules m out rules that out too
        }
        heard(c, m);
        rmwNewest[c] = ts < h.size() - 1 ? h.get(h.size() - 1) : null;
        if (rmwNewest[c] != null) {
            loc.exploreSet(slot, m.value());
        }
        cur[c] = with(cur[c], id, ts);
        if (acquire || full) {
            acquire(c, id, ts, m);
            if (!full) {
                // a lock's acquisition: the unlocking CPU's own writes and what its stores carried
                // go with every later store of this CPU (po-unlock-lock-po, through rf, is in
                // LKMM's cumul-fence, without A-cumul)
                int[] unlocked = m.unlocked() != null ? m.unlocked() : m.view();
                storeView[c] = joined(storeView[c], with(unlocked == null ? new int[0] : unlocked.clone(), id, ts));
            }
            if (!full && lastRelease[c] != null) {
                rmb(c);
                storeView[c] = joined(storeView[c], lastRelease[c]);
            }
        } else {
            keepAside(c, m);
        }
        rmwRead[c] = m;
        rmwTs[c] = ts;
        rmwId[c] = id;
        rmwRelease[c] = release;
        rmwFull[c] = full;
    }

    /**
     * After the RMW: if it changed memory, its write joins the history right after the write it
     * read, carrying the view of that write (a release sequence) and, for release and full RMWs,
     * the CPU's view; memory gets the newest write back; full ones fence after too. When the RMW
     * was the CPU's first access its barrier after it is left pending ({@link #barrierPending}):
     * LKMM's strong-fence relates an access before the fence to one after it, so neither of that
     * RMW's barriers orders anything until the CPU accesses memory again, and the one after runs
     * then.
     */
    void rmwEnd(int c, Location loc, int slot, int step) {
        int id = rmwId[c];
        boolean release = rmwRelease[c];
        boolean full = rmwFull[c];
        Msg read = rmwRead[c];
        Msg newest = rmwNewest[c];
        rmwId[c] = -1;
        rmwRead[c] = null;
        rmwNewest[c] = null;
        if (id < 0) {
            return;
        }
        Object now = loc.exploreGet(slot);
        if (!same(now, read.value())) {
            List<Msg> h = history.get(id);
            int ts = rmwTs[c] + 1;
            if (ts < h.size()) {
                shift(id, ts);
            }
            cur[c] = with(cur[c], id, ts);
            int[] carried = joined(release || full ? cumulative(c) : storeView[c], read.view());
            if (release) {
                lastRelease[c] = cumulative(c);
            }
            int[] f = release || full ? fencedRelease(c) : fenced[c];
            h.add(ts, new Msg(now, carried, read.fenced() == null ? f : joined(f, read.fenced()), true,
                    release || full ? joined(unlocked(c), read.view()) : null, step, porf[c]));
            own[c] = joined(own[c], with(new int[0], id, ts));
        }
        if (newest != null) {
            loc.exploreSet(slot, newest.value());
        }
        if (full && rmwFirst[c]) {
            barrierPending[c] = true;
        } else if (full) {
            fence(c);
        }
    }

    /** Whether CPU {@code c} has accessed memory yet (a full barrier before its first access orders nothing). */
    boolean accessed(int c) {
        return accessed[c];
    }

    /** Whether CPU {@code c}'s first access, a fully ordered RMW, left its barrier after it to run before the CPU's next access. */
    boolean barrierPending(int c) {
        return barrierPending[c];
    }

    /** Runs the barrier a fully ordered RMW of CPU {@code c} left pending (before the CPU's next access). */
    void pendingBarrier(int c) {
        if (barrierPending[c]) {
            scFence(c);
        }
    }

    /**
     * What a lock's acquisition that reads a release by CPU {@code c} passes on to its CPU's later
     * stores: the releasing CPU's own writes and what its stores carry, not what it merely read
     * (LKMM's po-unlock-lock-po is in cumul-fence without A-cumul, so the writes the unlocking CPU
     * read need not propagate before the locking CPU's later stores).
     */
    private int[] unlocked(int c) {
        return joined(joined(storeView[c], own[c]), fencedRelease(c));
    }

    /** The fenced view a release by CPU {@code c} carries: po-rel orders its earlier reads before it (hb). */
    private int[] fencedRelease(int c) {
        return fencedPending[c] == null ? fenced[c] : joined(fenced[c], fencedPending[c]);
    }

    /**
     * What a release by CPU {@code c} carries: its view, and the views of the writes it has read
     * even with relaxed loads. LKMM's release is A-cumulative: the writes that had reached the CPU
     * before the ones it read (what those writes carry) reach every CPU before the release does.
     */
    private int[] cumulative(int c) {
        return joined(cur[c], acqPending[c]);
    }

    /**
     * smp_mb() (and each side of a fully ordered RMW): an SC fence, except on a CPU that has
     * accessed nothing yet: LKMM's strong-fence relates an access before the fence to one after it,
     * so a fence with no access before it orders nothing (a first xchg() takes no other CPU's
     * fenced view in).
     */
    void fence(int c) {
        if (accessed[c]) {
            scFence(c);
        }
    }

    /**
     * True when an smp_mb() of CPU {@code c} now would not change the global fence view: the
     * CPU has accessed nothing (the fence orders nothing), or the view the fence joins in (the
     * CPU's view with what its relaxed reads carried, {@link #rmb}) is already covered by it.
     * Such a fence only reads the fence view: it sets the CPU's view, store view and fenced view
     * to the fence view and leaves the fence view as it was. Two fences of CPUs a and b, joining
     * in Va and Vb at fence view G, reach the same state in either order iff Vb is covered by
     * G+Va and Va by G+Vb (a;b leaves a with G+Va and b with G+Va+Vb, b;a the reverse, and the
     * fence view G+Va+Vb both ways); with Va and Vb both covered by G that holds, so two fences
     * that only read commute, and a fence that writes (adds to G) is ordered against every other.
     * The answer is stable where the DPOR uses it: Va changes only with CPU c's own steps, and G
     * only grows (a fence that adds to it writes, so it is ordered with this one), so a fence
     * found to only read when it becomes pending still only reads when it runs (one found to
     * write may only read by then: its footprint is then larger than needed, never smaller), and
     * no step but a writing fence changes the answer for another CPU's fence; a store's
     * {@link #shift} renumbers every view the same way, which keeps the comparison. Fully ordered
     * RMWs still always write: their second fence, after their own write, usually adds it.
     */
    boolean fenceOnlyReads(int c) {
        if (!accessed[c]) {
            return true;
        }
        int[] v = cur[c];
        int[] p = acqPending[c];
        int n = Math.max(v.length, p == null ? 0 : p.length);
        for (int i = 0; i < n; i++) {
            if (Math.max(at(v, i), at(p, i)) > at(sc, i)) {
                return false;
            }
        }
        return true;
    }

    /** Before each access of CPU {@code c}. */
    private void access(int c) {
        accessed[c] = true;
    }

    /** The SC fence: it orders earlier loads before later ones (smp_rmb()) and everything before later stores. */
    private void scFence(int c) {
        barrierPending[c] = false;
        rmb(c);
        if (graph != null) {
            // the barrier's place among the others is checked, not chosen: its CPU's views hear of it
            int s = graph.barrier(c, cur[c].clone(), porf[c], this::indexOf);
            cur[c] = with(cur[c], barrierId[c], s);
            porf[c] = with(porf[c] == null ? new int[0] : porf[c].clone(), c, s);
        } else {
            cur[c] = join(cur[c], sc);
            sc = cur[c].clone();
        }
        storeView[c] = cur[c].clone();
        fenced[c] = cur[c].clone();
    }

    /** smp_wmb(): later stores carry the CPU's view (stronger than LKMM: it also orders earlier loads). */
    void wmb(int c) {
        storeView[c] = cur[c].clone();
    }

    /** smp_rmb(): the views of the writes read so far join the CPU's view (stronger than LKMM in the same way). */
    void rmb(int c) {
        if (acqPending[c] != null) {
            cur[c] = join(cur[c], acqPending[c]);
        }
        if (fencedPending[c] != null) {
            fenced[c] = joined(fenced[c], fencedPending[c]);
        }
    }
}
