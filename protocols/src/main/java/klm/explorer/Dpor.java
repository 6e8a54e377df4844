package klm.explorer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import klm.explorer.engine.State;
import klm.explorer.engine.Status;
import klm.explorer.engine.Strategy;

/**
 * Dynamic partial-order reduction with sleep sets (Flanagan and Godefroid, POPL 2005, with
 * Godefroid's sleep sets), run statelessly: every execution starts again from the initial state,
 * replays the choices on the stack, and continues with new ones.
 *
 * <p>Dependency: two steps are dependent when they touch the same location and at least one of
 * them writes it (an RMW, a successful or failed cmpxchg included, counts as a write). A lock is
 * its lock word, so two operations on one lock are dependent; a wait is its condition's footprint
 * (the locations the condition reads, and writes when it takes a lock), so a wake-up by a write
 * and the waiter it enables are dependent; an interrupt delivery reads and takes its CPU's pending
 * list, which the raise writes; the steps of one CPU (its task and its interrupt handlers) are
 * ordered by program order. Happens-before is tracked with vector clocks. A memory model's
 * order-only location ({@link State#orderOnly}: under TSO, a store buffer's, which its steps write
 * and its CPU's fully ordered steps read) orders steps but is never a race to reverse: its read
 * cannot run before the write. Where the model says its entities commute with their own CPU
 * ({@code MemoryModel.entitiesCommuteWithTheirCpu}: a TSO buffer's write and its CPU's load of that
 * location), an entity and its CPU are dependent only through order-only locations.
 *
 * <p>At every new state, for every CPU p with a pending step (enabled or not), the steps of other
 * CPUs that are dependent with p's step and not happens-before it are found. With sleep sets, each
 * direct race e -> p is reversed as source-DPOR does (Abdulla, Aronis, Jonsson and Sagonas, POPL
 * 2014, Algorithm 1): v is the sequence of the steps after e that do not happen after it, then p;
 * one <em>initial</em> of v (an entity whose step in v comes first in every order of v) goes into
 * the backtrack set of the state before e, unless one is there already. Waits make some
 * reversals impossible: when p could not move at the state before e and no step of v before p
 * touches what p waits on or comes before p (so nothing in v can enable it), p cannot run before
 * e in any order, the reversal is no execution, and nothing is added. (Flanagan-Godefroid's rule
 * adds every enabled CPU there, taking the two steps as possibly co-enabled; the executions that
 * started were cut by the sleep sets.) Without sleep sets, only the latest race is reversed, by
 * Flanagan-Godefroid's rule. Sleep sets: after the subtree of a choice t at a state is explored,
 * t sleeps in the later subtrees of that state until a dependent step runs; an execution in which
 * every enabled CPU sleeps is cut (it would repeat an explored one) and counted apart. Under a
 * model whose marked loads follow reads-from, a sleeping load that another CPU's write of its
 * location would wake only half wakes ({@link #childSleep}): it may run, and its reading a write
 * made before it slept cuts the execution (it was explored reading that write), so the reversal of
 * a load with a later write explores the load reading the writes made since, not all of its
 * choices again.
 *
 * <p>Why executions are still cut: source-DPOR guarantees one execution per trace, not that no
 * execution is started in vain. What was found left, where traced, is a wait that the reversal
 * cannot pass: a reversal puts a CPU's steps before another's unlock (or the write a wait needs)
 * with the lock still held at that state; the CPU runs up to its lock, waits, the holder sleeps,
 * and the execution is cut. That execution still reports its races (the wait with the holder's
 * lock), which is how the order in which the waiter takes the lock first is reached. Wakeup trees
 * (optimal DPOR) would run the same reversal into the same wait: whether a reversal can run past a
 * wait is known only by running it. Avoiding such executions is the subject of Optimal-DPOR-Await
 * (Jonsson, Lång and Sagonas, "Awaiting for Godot", FMCAD 2022).
 *
 * <p>Loads that follow reads-from. Under a model whose loads may read any write their CPU's view
 * allows ({@code MemoryModel.loadsFollowReadsFrom}: the release/acquire model), a load the model
 * marks ({@link State#viewLoad}) is ordered after the write it read, which the model reports
 * ({@link #readFrom}), and not after the last write of its location; and the race of an earlier
 * write with such a pending load is not reversed. The reversed order (the load first) reaches
 * nothing new: every write the load could read before the write, it may still read after it, to
 * the same state, and the write's own choice of place in coherence order does not depend on the
 * load (the model's comment has the argument). A write after a load still races with it (the
 * reversed order lets the load read the write), and so does every step that reads the newest
 * write only (a wait condition, the checker's read) or writes (an RMW, a lock). The edge to the
 * last write would be wrong once the reversal is gone: a load that read an older write would look
 * ordered after the newer one, and so would its CPU's later steps, whose races with the steps
 * before that write would be hidden.
 */
final class Dpor implements Strategy {
    /** One state of the current execution's path. */
    static final class Node {
        int enabled;
        int sleep;
        int backtrack;
        int done;
        int chosen = -1;
        /** Where the model lets a load choose: which write the chosen step's load reads (0: the newest) of how many it may (0: not a choice). */
        int read;
        int reads;
        /** The footprint of each entity's pending step here, enabled or not (null: done), for the reversal of a race with it. */
        int[][] footprints;
        /**
         * Entities whose pending step, a load that may choose its write, sleeps for the writes
         * made before step {@code sleepFrom[p]} only: a write to its location has run since it
         * slept ({@link #childSleep}); it may run, but reading one of those writes is cut.
         */
        int half;
        /** For each entity in {@code sleep} or {@code half}: the step before which the writes it may read were explored with it. */
        int[] sleepFrom;
        /** Whether the chosen entity's step has run here without being cut as a half-sleeper's old read. */
        boolean kept;
    }

    /** Tests and the soundness check may turn the sleep sets off ({@code -Dklm.explorer.sleepSets=false}). */
    static final boolean SLEEP_SETS = !"false".equals(System.getProperty("klm.explorer.sleepSets"));

    /**
     * Measurements may turn the reads-from rule off ({@code -Dklm.explorer.readsFrom=false}): every
     * load is then ordered after the last write of its location and its races reversed, as under SC.
     */
    static final boolean READS_FROM = !"false".equals(System.getProperty("klm.explorer.readsFrom"));

    private final int maxSteps;
    private final List<Node> stack = new ArrayList<>();

    // ---- per execution
    private int depth;
    private int nextSleep;
    private int nextHalf;
    private int[] nextSleepFrom = new int[0];
    /** The running step's load, if its entity is half asleep: the first step whose writes it may read (-1: any). */
    private int curHalf = -1;
    /** The node whose half-sleeping load just read a write made before it slept: the execution is cut at the next choice. */
    private int redundantAt = -1;
    private int cpus;
    private int[][] cpuClock;
    private int[] cpuSeq;
    private int[] evCpu = new int[256];
    private int[] evSeq = new int[256];
    private int[][] evClock = new int[256][];
    private int[] lastWrite = new int[64];
    /** The events of each entity in order (index k-1: its k-th event), for a store buffer's program-order edge. */
    private int[][] eventsOf;
    private int[] eventCount;
    /** CPUs under control (entities at or above it are the memory model's, such as store buffers). */
    private int realCpus;
    /** Whether sleep sets are used in this exploration: the memory model says whether they are sound under it. */
    private boolean sleepSets;
    /**
     * Whether a load the memory model marks ({@link State#viewLoad}) is ordered after the write it
     * read only, its race with an earlier write left unreversed ({@code MemoryModel.loadsFollowReadsFrom}).
     */
    private boolean readsFrom;
    /**
     * Whether a memory model's entity and its CPU are ordered and race only on order-only locations
     * ({@code MemoryModel.entitiesCommuteWithTheirCpu}): under TSO a store buffer's write and its
     * CPU's load of that location commute.
     */
    private boolean ownCommute;
    /** The execution at the state being decided (for owners and order-only locations). */
    private State st;
    /** The last event that was a marked load recorded without the last write's clock (-1: none). */
    private int viewLoadEvent = -1;
    private int[][] lastRead = new int[64][];
    /** The steps of this execution, for a counterexample. */
    final List<Trace.Step> steps = new ArrayList<>();
    boolean hitStepBound;
    boolean sleepBlocked;

    Dpor(int maxSteps) {
        this.maxSteps = maxSteps;
    }

    /**
     * Resets the per-execution state; the stack (the exploration) stays. {@code entities} are
     * scheduled, of which the first {@code realCpus} are CPUs and the rest the memory model's;
     * {@code sleepSets}: whether the model lets sleep sets be used; {@code readsFrom}: whether its
     * marked loads follow reads-from ({@link #readFrom}); {@code ownCommute}: whether its entities
     * commute with their CPUs outside order-only locations.
     */
    void beginExecution(int entities, int realCpus, boolean sleepSets, boolean readsFrom, boolean ownCommute) {
        this.realCpus = realCpus;
        this.ownCommute = ownCommute;
        this.sleepSets = sleepSets && SLEEP_SETS;
        this.readsFrom = readsFrom && READS_FROM;
        viewLoadEvent = -1;
        eventsOf = new int[entities][16];
        eventCount = new int[entities];
        this.cpus = entities;
        depth = 0;
        nextSleep = 0;
        nextHalf = 0;
        curHalf = -1;
        redundantAt = -1;
        cpuClock = new int[cpus][cpus];
        cpuSeq = new int[cpus];
        Arrays.fill(lastWrite, -1);
        for (int i = 0; i < lastRead.length; i++) {
            lastRead[i] = null;
        }
        steps.clear();
        hitStepBound = false;
        sleepBlocked = false;
    }

    /** Moves to the next unexplored choice; false when the exploration is complete. */
    boolean nextExecution() {
        while (!stack.isEmpty()) {
            Node n = stack.get(stack.size() - 1);
            if (n.read + 1 < n.reads) {
                n.read++; // the same step, reading the next older write
                return true;
            }
            if (!n.kept && n.chosen >= 0 && (n.half & 1 << n.chosen) != 0) {
                // every read of a half sleeper here was one it had made before it slept: it slept
                // here after all, and the DPOR goes on as if it had chosen another entity first
                int other = n.enabled & ~n.sleep & ~n.done;
                if ((n.backtrack & other) == 0 && other != 0) {
                    int awake = other & ~n.half;
                    n.backtrack |= Integer.lowestOneBit(awake != 0 ? awake : other);
                }
            }
            int cand = n.backtrack & ~n.done & ~n.sleep;
            if (cand != 0) {
                int q = Integer.numberOfTrailingZeros(cand);
                n.done |= 1 << q;
                n.chosen = q;
                n.read = 0;
                n.reads = 0;
                n.kept = false;
                return true;
            }
            stack.remove(stack.size() - 1);
        }
        return false;
    }

    int stackDepth() {
        return stack.size();
    }

    @Override
    public int choose(State s) {
        st = s;
        if (redundantAt >= 0) {
            redundantAt = -1;
            sleepBlocked = true; // the load read what it had read before it slept: an execution already explored
            return CUT;
        }
        if (depth > 0) {
            stack.get(depth - 1).kept = true;
        }
        if (depth >= maxSteps) {
            hitStepBound = true;
            return CUT;
        }
        int q;
        Node node;
        if (depth < stack.size()) {
            node = stack.get(depth);
            q = node.chosen;
            if (!s.isEnabled(q)) {
                throw new IllegalStateException("the model is not deterministic: at step " + (depth + 1) + " " + s.cpuName(q)
                        + " was enabled in an earlier execution with the same schedule and is not now");
            }
            if (depth == stack.size() - 1) {
                // the state where this execution leaves the explored ones: its child is new
                nextSleep = childSleep(s, node, q);
            }
        } else {
            node = new Node();
            node.footprints = new int[cpus][];
            for (int p = 0; p < cpus; p++) {
                if (s.isEnabled(p)) {
                    node.enabled |= 1 << p;
                }
                if (s.status(p) != Status.DONE) {
                    node.footprints[p] = s.footprint(p);
                }
            }
            // sleep sets only where the memory model says they are sound (MemoryModel.sleepSetsSound)
            node.sleep = (sleepSets ? nextSleep : 0) & node.enabled;
            node.half = (sleepSets ? nextHalf : 0) & node.enabled & ~node.sleep;
            node.sleepFrom = (node.sleep | node.half) != 0 ? nextSleepFrom.clone() : null;
            race(s);
            int free = node.enabled & ~node.sleep;
            if (free == 0) {
                sleepBlocked = true;
                return CUT;
            }
            int awake = free & ~node.half; // a half sleeper only when no entity is awake
            int pick = awake != 0 ? awake : free;
            int last = s.lastChosen();
            q = last >= 0 && (pick & 1 << last) != 0 ? last : Integer.numberOfTrailingZeros(pick);
            node.backtrack |= 1 << q;
            node.done |= 1 << q;
            node.chosen = q;
            stack.add(node);
            nextSleep = childSleep(s, node, q);
        }
        curHalf = (node.half & 1 << q) != 0 ? node.sleepFrom[q] : -1;
        record(s, q);
        return q;
    }

    /**
     * The step just chosen loads a location with {@code n} writes it may read: the first time here,
     * the newest; every other one is tried by {@link #nextExecution()} later.
     */
    @Override
    public int chooseRead(State s, int n) {
        Node node = stack.get(depth - 1);
        if (node.reads == 0) {
            node.reads = n;
            node.read = 0;
        } else if (node.reads != n) {
            throw new IllegalStateException("the model is not deterministic: at step " + depth + " a load could read "
                    + node.reads + " writes in an earlier execution with the same schedule and " + n + " now");
        }
        steps.set(depth - 1, steps.get(depth - 1).reading(node.read));
        return node.read;
    }

    /**
     * The load just run read the write of event {@code step} (-1: a write from before the
     * execution): under a model whose marked loads follow reads-from, its clock, which {@link #record}
     * did not join with the last write of its location, joins that event's, in place (it is still
     * its CPU's clock, and no later event has copied it). See {@link #race} for why this is the
     * only write the load is ordered after.
     */
    @Override
    public void readFrom(State s, int step) {
        int e = depth - 1;
        if (e < 0 || e != viewLoadEvent) {
            return; // not a marked load recorded without its last-write edge: nothing to add
        }
        int loc = steps.get(e).footprint()[0] >> 1;
        if (step < -1 || step >= e || step >= 0 && !writes(steps.get(step).footprint(), loc)) {
            throw new IllegalStateException("the memory model reported that step " + (e + 1) + " (" + s.cpuName(evCpu[e])
                    + ", a load of " + s.locationName(loc) + ") read the write of step " + (step + 1)
                    + ", which is not an earlier step writing that location");
        }
        if (step >= 0) {
            join(evClock[e], evClock[step]);
        }
        if (curHalf >= 0 && step < curHalf) {
            redundantAt = e; // a write its entity had been explored reading, at the state where it went to sleep
        }
    }

    private static boolean writes(int[] fp, int loc) {
        for (int a : fp) {
            if (a >> 1 == loc && (a & 1) != 0) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void terminal(State s) {
        st = s;
        if (depth >= stack.size()) {
            race(s); // blocked CPUs' pending steps race with what ran before them too
        }
    }

    /**
     * Sleep set of the child reached by q: what slept here or was explored before q, and is
     * independent of q; sets {@link #nextHalf} and {@link #nextSleepFrom} too. Under a model whose
     * marked loads follow reads-from, a sleeping load that q's step only writes the location of
     * half wakes: it may run, but reading a write made before it slept is cut (with q's write
     * first it may read every write it could read before, to the same state: the model's
     * commutation, {@code MemoryModel.loadsFollowReadsFrom}), so only the writes made since are new.
     */
    private int childSleep(State s, Node node, int q) {
        int index = depth; // the node's place on the stack: choose() calls this before the step is recorded
        int candidates = (node.sleep | node.done | node.half) & ~(1 << q);
        int out = 0;
        int half = 0;
        int[] from = new int[cpus];
        int[] fq = s.footprint(q);
        for (int r = 0; r < cpus; r++) {
            if ((candidates & 1 << r) == 0) {
                continue;
            }
            boolean explored = (node.done & 1 << r) != 0; // explored here: every write it may read here was tried
            boolean full = explored || (node.sleep & 1 << r) != 0;
            from[r] = explored ? index : node.sleepFrom[r];
            int[] fr = s.footprint(r);
            if (!dependent(q, fq, r, fr)) {
                if (full) {
                    out |= 1 << r;
                } else {
                    half |= 1 << r;
                }
            } else if (readsFrom && s.viewLoad(r)) {
                half |= 1 << r; // q writes the location r's load reads (a marked load touches nothing else)
            }
        }
        nextHalf = half;
        nextSleepFrom = from;
        return out;
    }

    /**
     * Whether the steps of entities {@code a} and {@code b} with footprints {@code fa} and {@code fb}
     * are dependent: a location both touch, one writing it, where they may race ({@link #mayRace}).
     */
    private boolean dependent(int a, int[] fa, int b, int[] fb) {
        for (int x : fa) {
            for (int y : fb) {
                if (x >> 1 == y >> 1 && ((x | y) & 1) != 0 && mayRace(a, b, x >> 1)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Whether steps of entities {@code a} and {@code b} that touch location {@code loc} (one
     * writing it) are ordered by it: always, except a memory model's entity and its own CPU where
     * the model says they commute, on any location but an order-only one.
     */
    private boolean mayRace(int a, int b, int loc) {
        return !ownCommute || a == b || st.ownerCpu(a) != st.ownerCpu(b) || st.orderOnly(loc);
    }

    /** Flanagan-Godefroid: backtrack points for every CPU's pending step at this new state. */
    private void race(State s) {
        for (int p = 0; p < cpus; p++) {
            if (s.status(p) == Status.DONE) {
                continue;
            }
            joinOrigin(s, p);
            if (readsFrom && s.viewLoad(p)) {
                continue; // a load that may read any write its view allows: no race of an earlier write with it needs reversing
            }
            int[] fp = s.footprint(p);
            int n = 0;
            for (int acc : fp) {
                int loc = acc >> 1;
                if (loc >= lastWrite.length || s.orderOnly(loc)) {
                    continue; // never touched by a step yet; or a model's order, which no execution reverses
                }
                int lw = lastWrite[loc];
                if (lw >= 0 && evCpu[lw] != p && !happensBefore(lw, p) && mayRace(evCpu[lw], p, loc)) {
                    n = addCandidate(n, lw);
                }
                if ((acc & 1) != 0 && lastRead[loc] != null) {
                    for (int c = 0; c < cpus; c++) {
                        int r = lastRead[loc][c];
                        if (c != p && r >= 0 && !happensBefore(r, p) && mayRace(c, p, loc)) {
                            n = addCandidate(n, r);
                        }
                    }
                }
            }
            if (!sleepSets) {
                latestRace(n, p);
                continue;
            }
            for (int i = 0; i < n; i++) {
                int e = candidates[i];
                boolean direct = true;
                for (int j = 0; j < n && direct; j++) {
                    direct = j == i || !eventBefore(e, candidates[j]); // a race through another candidate is not direct
                }
                if (direct) {
                    reverse(e, p, fp);
                }
            }
        }
    }

    /**
     * Without sleep sets, Flanagan-Godefroid's rule is sound and cheaper: only the latest event
     * the pending step races with is reversed, by adding {@code p} (or, where {@code p} could not
     * move, every enabled entity) at the state before it; the earlier races show up again in the
     * executions that reverse the latest.
     */
    private void latestRace(int n, int p) {
        int best = -1;
        for (int i = 0; i < n; i++) {
            best = Math.max(best, candidates[i]);
        }
        if (best >= 0) {
            Node node = stack.get(best);
            node.backtrack |= (node.enabled & 1 << p) != 0 ? 1 << p : node.enabled;
        }
    }

    /** Scratch: the events the pending step of the CPU at hand races with. */
    private int[] candidates = new int[8];

    private int addCandidate(int n, int e) {
        for (int i = 0; i < n; i++) {
            if (candidates[i] == e) {
                return n;
            }
        }
        if (n == candidates.length) {
            candidates = Arrays.copyOf(candidates, n * 2);
        }
        candidates[n] = e;
        return n + 1;
    }

    /** True if event {@code a} happens before event {@code b}. */
    private boolean eventBefore(int a, int b) {
        return evClock[b][evCpu[a]] >= evSeq[a];
    }

    /**
     * Reverses the race of event {@code e} with entity {@code p}'s pending step (footprint
     * {@code fp}), as source-DPOR does: the reversed sequence runs, from the state before {@code e},
     * the events after it that do not happen after it, then {@code p}'s step; some entity that can
     * start that sequence (an <em>initial</em>) must be in the backtrack set there. Adding {@code p}
     * itself, as Flanagan-Godefroid DPOR does, is not enough with sleep sets: when {@code p} sleeps
     * there the reversal would be lost although another initial leads to it. Whether p's step comes
     * after some event of the sequence is judged by its footprint now and at the state before
     * {@code e} (a wait's footprint follows the values it reads); taking it as later when unsure
     * only picks another initial of the same sequence.
     */
    private void reverse(int e, int p, int[] fp) {
        Node node = stack.get(e);
        int q = evCpu[e];
        int[] fpBefore = node.footprints[p];
        int initials = 0;
        int seen = 0;
        boolean pFollows = false; // some event of the reversed sequence must come before p's step
        for (int k = e + 1; k < depth; k++) {
            if (eventBefore(e, k)) {
                continue; // happens after e: not in the reversed sequence
            }
            int[] fk = steps.get(k).footprint();
            if (!pFollows && (evCpu[k] == p || happensBefore(k, p) || dependent(evCpu[k], fk, p, fp)
                    || (fpBefore != null && dependent(evCpu[k], fk, p, fpBefore)))) {
                pFollows = true;
            }
            int r = evCpu[k];
            if ((seen & 1 << r) != 0) {
                continue;
            }
            seen |= 1 << r;
            boolean first = true;
            for (int j = e + 1; j < k && first; j++) {
                first = eventBefore(e, j) || !eventBefore(j, k);
            }
            if (first) {
                initials |= 1 << r;
            }
        }
        if (!pFollows) {
            if ((node.enabled & 1 << p) == 0) {
                // p could not move before e, and nothing in between touches what it waits on or
                // comes before it: it cannot move before e in any order of these steps either, so
                // the reversal is no execution (e enabled p, or p waits still)
                return;
            }
            initials |= 1 << p;
        }
        initials &= node.enabled & ~(1 << q);
        if (initials == 0) {
            node.backtrack |= node.enabled; // no initial could be named: every choice, as Flanagan-Godefroid
            return;
        }
        if ((initials & node.backtrack) != 0) {
            return;
        }
        int awake = initials & ~node.sleep;
        node.backtrack |= Integer.lowestOneBit(awake != 0 ? awake : initials);
    }

    private boolean happensBefore(int event, int cpu) {
        return cpuClock[cpu][evCpu[event]] >= evSeq[event];
    }

    /**
     * A store buffer's pending step comes after the steps its CPU had run when the store was
     * buffered (program order): its clock joins that step's. Without this edge a CPU's own access
     * after its store hides the race of the store's arrival with another CPU's access.
     */
    private void joinOrigin(State s, int p) {
        if (p < realCpus) {
            return;
        }
        int c = s.ownerCpu(p);
        int k = s.origin(p);
        if (k > 0 && k <= eventCount[c]) {
            int[] joined = cpuClock[p].clone(); // cpuClock[p] is also its last event's clock: never join in place
            join(joined, evClock[eventsOf[c][k - 1]]);
            cpuClock[p] = joined;
        }
    }

    /** Runs step {@code depth} (CPU q's pending step) in the bookkeeping: vector clocks and last accesses. */
    private void record(State s, int q) {
        int e = depth;
        if (e == evCpu.length) {
            evCpu = Arrays.copyOf(evCpu, e * 2);
            evSeq = Arrays.copyOf(evSeq, e * 2);
            evClock = Arrays.copyOf(evClock, e * 2);
        }
        int[] fp = s.footprint(q);
        joinOrigin(s, q);
        int[] c = cpuClock[q].clone();
        boolean viewLoad = readsFrom && s.viewLoad(q);
        viewLoadEvent = viewLoad ? e : -1; // its write's clock comes with readFrom, when it has read
        for (int acc : fp) {
            int loc = acc >> 1;
            ensure(loc);
            int lw = lastWrite[loc];
            if (lw >= 0 && !viewLoad && mayRace(evCpu[lw], q, loc)) {
                join(c, evClock[lw]);
            }
            if ((acc & 1) != 0 && lastRead[loc] != null) {
                for (int r = 0; r < lastRead[loc].length; r++) {
                    int ev = lastRead[loc][r];
                    if (ev >= 0 && mayRace(r, q, loc)) {
                        join(c, evClock[ev]);
                    }
                }
            }
        }
        c[q] = ++cpuSeq[q];
        if (eventCount[q] == eventsOf[q].length) {
            eventsOf[q] = Arrays.copyOf(eventsOf[q], eventCount[q] * 2);
        }
        eventsOf[q][eventCount[q]++] = e;
        evCpu[e] = q;
        evSeq[e] = c[q];
        evClock[e] = c;
        for (int acc : fp) {
            int loc = acc >> 1;
            if ((acc & 1) != 0) {
                lastWrite[loc] = e;
                if (lastRead[loc] != null) {
                    for (int r = 0; r < lastRead[loc].length; r++) {
                        if (mayRace(r, q, loc)) {
                            lastRead[loc][r] = -1; // this write comes after it, and so does every later write
                        } // else: not ordered by this write (its CPU's own load): a later write may still race with it
                    }
                }
            } else {
                if (lastRead[loc] == null) {
                    lastRead[loc] = new int[cpus];
                    Arrays.fill(lastRead[loc], -1);
                }
                lastRead[loc][q] = e;
            }
        }
        cpuClock[q] = c;
        steps.add(new Trace.Step(q, s.label(q), s.decisions(q), s.context(q), fp));
        depth++;
    }

    private void ensure(int loc) {
        if (loc >= lastWrite.length) {
            int n = Math.max(loc + 1, lastWrite.length * 2);
            int old = lastWrite.length;
            lastWrite = Arrays.copyOf(lastWrite, n);
            Arrays.fill(lastWrite, old, n, -1);
            lastRead = Arrays.copyOf(lastRead, n);
        }
    }

    private static void join(int[] into, int[] other) {
        for (int i = 0; i < into.length; i++) {
            if (other[i] > into[i]) {
                into[i] = other[i];
            }
        }
    }
}
