package klm.kernel;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.function.BooleanSupplier;

/**
 * The controlled scheduler of the {@code explorer} blocking mode ({@code -Dklm.blocking=explorer}):
 * each simulated CPU runs on its own thread, but exactly one runs at a time, and at every visible
 * operation the running CPU hands control to a {@link Strategy} (the explorer), which picks the
 * next CPU.
 *
 * <p>Visible operations: every accessor of {@link Word}, {@link Ptr} and {@link PerCpuInt} (plain,
 * once, acquire/release, RMW), and every wait. Interrupt delivery is made of visible operations
 * (the interrupt point reads the CPU's pending list, which a raise writes), so an interrupt raised
 * for another CPU lands at any of that CPU's later interrupt points, as the schedule decides.
 * Fences are not scheduling points: under sequential consistency a fence commutes with every
 * other operation, so a choice there could never produce a new behaviour.
 *
 * <p>Waits are conditions, not loops: a CPU that waits (a spin lock, a sleeping lock, a wait
 * queue, a busy-wait of the model, an idle CPU waiting for an interrupt) is enabled only while its
 * condition holds. To know that without side effects, the scheduler evaluates the condition as a
 * <em>trial</em>: as the waiting CPU, with every runtime write logged and undone afterwards, and
 * the locations it touched recorded as the wait's footprint. A waiter is evaluated again only
 * after a write to one of those locations. When the waiter is chosen, it evaluates the condition
 * for real, as one atomic step (no scheduling point inside), which must agree with the trial. A
 * state where no CPU is enabled and some CPU waits is a deadlock, reported as the bounded
 * detector reports one (cycle, CPUs, held locks and contexts).
 *
 * <p>Wake-ups are not modelled in this mode: a sleeper is enabled exactly when its condition
 * holds, so a missing {@code wake_up()} is invisible here (no variant has one; the runtime's wait
 * queue is trusted). State outside {@code Word}/{@code Ptr}/{@code PerCpuInt} is invisible to the
 * scheduler and must be protected by a runtime lock (docs/DESIGN.md, "The explorer").
 */
public final class Scheduler {
    /** The explorer's side: called at every state to pick the CPU that runs next. */
    public interface Strategy {
        /**
         * Picks the next CPU among the enabled ones of {@code state}, or returns {@link #CUT} to
         * abandon the execution (sleep-set blocked, or over the step bound). Called with at least
         * one enabled CPU.
         */
        int choose(Scheduler state);

        /** The state has no enabled CPU: the execution ends here (normally, or in a deadlock). */
        void terminal(Scheduler state);

        /**
         * Under {@link Memory#RA}: the CPU just chosen loads a location it may read {@code n > 1}
         * writes of; returns which (0: the newest, k: the k-th older one). The default reads the newest.
         */
        default int chooseRead(Scheduler state, int n) {
            return 0;
        }

        int CUT = -1;
    }

    /** What a CPU is doing at a state. */
    public enum Status { READY, WAITING, IDLE, DONE }

    /**
     * The memory model of an exploration. {@code SC}: every access reaches memory when it runs.
     * {@code TSO} (x86-TSO): each CPU's stores wait in its FIFO store buffer, its loads read its own
     * newest buffered store to a location before memory, and a fully ordered operation (an RMW, a
     * lock's acquisition, {@code smp_mb()}) drains the buffer first; a buffered store reaching
     * memory is a step of its own, which the strategy schedules like any other. {@code RA}: the
     * release/acquire "views" model of {@link Views}: every store and load is a step, and a load
     * may read any write its CPU's view does not rule out, which the strategy chooses.
     */
    public enum Memory {
        SC, TSO, RA;

        /** What a strategy schedules for {@code cpus} CPUs: the CPUs, and under TSO their store buffers too. */
        public int entities(int cpus) {
            return this == TSO ? 2 * cpus : cpus;
        }

        /** The name used on the command line and in the results: sc, tso, ra. */
        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        /** {@code -Dklm.memory=sc|tso|ra}; anything else is an error that lists the valid names. */
        public static Memory parse(String value) {
            String v = value == null || value.isBlank() ? "sc" : value.trim().toLowerCase(java.util.Locale.ROOT);
            return switch (v) {
                case "sc" -> SC;
                case "tso" -> TSO;
                case "ra" -> RA;
                default -> throw new IllegalArgumentException("unknown memory model '" + value + "'; valid: sc, tso, ra");
            };
        }
    }

    /** A store waiting in a CPU's buffer: where it goes, what it writes, and its location id. */
    private record Buffered(Location loc, int slot, Object value, int id, int origin) {}

    /** What a load answers when the CPU's own buffer has no store to its location. */
    static final Object NOT_BUFFERED = new Object();

    /** Thrown inside a trial or atomic evaluation by a nested wait whose condition does not hold. */
    private static final class Blocked extends Error {
        Blocked() {
            super("nested wait", null, false, false);
        }
    }

    private static final Blocked BLOCKED = new Blocked();

    /** The exploration running in this JVM, if any (one at a time). */
    static Scheduler active;
    /** The CPU that {@link Cpu#current()} answers during a trial evaluation run on another CPU's thread. */
    static Cpu override;

    private enum Phase { STARTING, RUNNING, ENDING }

    /** One simulated CPU under control. */
    final class Slot {
        final int index;
        final Cpu cpu;
        final Semaphore go = new Semaphore(0);
        CpuThread thread;
        Status status = Status.READY;
        /** Footprint of the pending operation: packed {@code location << 1 | write}. */
        int[] footprint = new int[0];
        String label = "";
        /** Steps of this CPU the strategy has chosen in this execution (a buffered store's program point). */
        int stepsTaken;
        /** Context decisions the CPU took before its pending step, or null. */
        String decisions;
        BooleanSupplier cond;
        boolean enabled = true;
        boolean dirty;
        Error resumeWith;
        boolean idleEnd;

        Slot(int index, Cpu cpu) {
            this.index = index;
            this.cpu = cpu;
        }

        Scheduler owner() {
            return Scheduler.this;
        }
    }

    private final Smp smp;
    private final Strategy strategy;
    private final Slot[] slots;
    private final Semaphore controller = new Semaphore(0);
    private Phase phase = Phase.STARTING;
    private int running = -1;
    private final Map<Object, Integer> locations = new IdentityHashMap<>();
    private final List<String> locationNames = new ArrayList<>();
    private int nextLocation;
    // trial / atomic evaluation
    private Trial trial;
    private boolean atomic;
    private boolean cut;
    private DeadlockError deadlock;
    private Throwable internalError;
    private int lastChosen = -1;

    /** Undo log and footprint of a trial evaluation. */
    private static final class Trial {
        final List<Object[]> undo = new ArrayList<>();
        final IntSet footprint = new IntSet();
        /** Under TSO: the waiter's buffer has drained in this trial (to memory, undone after), so loads skip it. */
        boolean drained;
    }

    /** A small set of packed accesses, in first-touch order; a write supersedes a read. */
    static final class IntSet {
        int[] a = new int[4];
        int n;

        void add(int loc, boolean write) {
            for (int i = 0; i < n; i++) {
                if (a[i] >> 1 == loc) {
                    if (write) {
                        a[i] |= 1;
                    }
                    return;
                }
            }
            if (n == a.length) {
                a = java.util.Arrays.copyOf(a, n * 2);
            }
            a[n++] = loc << 1 | (write ? 1 : 0);
        }

        int[] toArray() {
            return java.util.Arrays.copyOf(a, n);
        }
    }

    /** A runtime variable the scheduler can read and restore during a trial evaluation. */
    interface Location {
        Object exploreGet(int slot);

        void exploreSet(int slot, Object value);

        /** Extra location ids this variable needs (a per-CPU variable has one per slot). */
        default int width() {
            return 1;
        }
    }

    /** Under {@link Memory#TSO}: each CPU's store buffer, oldest first; null under SC. */
    private final java.util.ArrayDeque<Buffered>[] buffers;
    /** Under {@link Memory#RA}: the histories and views; null otherwise. */
    private final Views views;

    /** The order of full barriers under RA: every smp_mb() and fully ordered RMW writes it, so the DPOR orders them. */
    private static final Location FENCES = new Location() {
        @Override
        public Object exploreGet(int slot) { return null; }

        @Override
        public void exploreSet(int slot, Object value) {}

        @Override
        public String toString() { return "full-barrier order"; }
    };

    @SuppressWarnings("unchecked")
    private Scheduler(Smp smp, int cpus, Strategy strategy, Memory memory) {
        this.smp = smp;
        this.strategy = strategy;
        this.slots = new Slot[cpus];
        for (int i = 0; i < cpus; i++) {
            slots[i] = new Slot(i, smp.cpu(i));
        }
        if (memory == Memory.TSO) {
            buffers = new java.util.ArrayDeque[cpus];
            for (int i = 0; i < cpus; i++) {
                buffers[i] = new java.util.ArrayDeque<>();
            }
        } else {
            buffers = null;
        }
        views = memory == Memory.RA ? new Views(cpus) : null;
    }

    // ================================================================== running one execution

    /**
     * Runs {@code bodies} (CPU 0, 1, ...) of machine {@code smp} as one controlled execution driven
     * by {@code strategy}; returns when every CPU's thread has finished. {@link #cut()} tells
     * whether the strategy abandoned it.
     */
    public static Scheduler run(Smp smp, List<Runnable> bodies, Strategy strategy) {
        return run(smp, bodies, strategy, Memory.SC);
    }

    /** As {@link #run(Smp, List, Strategy)}, under memory model {@code memory}. */
    public static Scheduler run(Smp smp, List<Runnable> bodies, Strategy strategy, Memory memory) {
        if (!Waits.EXPLORING) {
            throw new IllegalStateException("the explorer needs -Dklm.blocking=explorer (this JVM runs " + Waits.MODE + ")");
        }
        if (active != null) {
            throw new IllegalStateException("another exploration is running in this JVM");
        }
        Scheduler s = new Scheduler(smp, bodies.size(), strategy, memory);
        active = s;
        boolean finished = false;
        try {
            s.execute(bodies);
            finished = true;
        } finally {
            active = null;
            override = null;
            if (!finished) {
                WORKERS.clear(); // a worker may be parked inside the broken execution: the next one starts new threads
            }
        }
        if (s.internalError != null) {
            throw new IllegalStateException("the explorer failed inside an execution: " + s.internalError, s.internalError);
        }
        return s;
    }

    /**
     * The explorer's CPU threads, one per slot index, kept from one execution to the next (issue 12):
     * starting two to four new threads for every execution took about 60% of its time (measured on
     * hugetlb-free, docs/DESIGN.md). Only the exploring thread touches this list (one exploration at
     * a time); a worker's task and its end pass through the worker's semaphores, which order them.
     */
    private static final List<Worker> WORKERS = new ArrayList<>();

    private static final class Worker {
        final Semaphore job = new Semaphore(0);
        final Semaphore done = new Semaphore(0);
        final CpuThread thread;
        Runnable task;
        /** What escaped a task (the task records a body's errors itself; this is the scheduler's own). */
        Throwable escaped;

        Worker(int index) {
            thread = new CpuThread("explorer-cpu" + index, this::loop);
            thread.start();
        }

        private void loop() {
            for (;;) {
                job.acquireUninterruptibly();
                Runnable r = task;
                task = null;
                try {
                    r.run();
                } catch (Throwable e) {
                    escaped = e;
                } finally {
                    done.release();
                }
            }
        }
    }

    private static Worker worker(int i) {
        while (WORKERS.size() <= i) {
            WORKERS.add(new Worker(WORKERS.size()));
        }
        return WORKERS.get(i);
    }

    private void execute(List<Runnable> bodies) {
        for (int i = 0; i < slots.length; i++) {
            Slot slot = slots[i];
            Runnable body = bodies.get(i);
            Worker w = worker(i);
            CpuThread t = w.thread;
            t.cpu = slot.cpu;
            w.task = () -> {
                slot.cpu.markRunning();
                try {
                    body.run();
                } catch (Throwable e) {
                    if (!(e instanceof MachineHalted) && internalError == null) {
                        internalError = e; // a body must record its own errors (ScenarioRun.runCpu does)
                    }
                } finally {
                    slot.cpu.markDone();
                    finished(slot);
                }
            };
            t.slot = slot;
            slot.thread = t;
            running = i;
            w.job.release();
            controller.acquireUninterruptibly(); // it runs to its first visible operation (or its end)
        }
        running = -1;
        phase = Phase.RUNNING;
        if (allDone() && buffersEmpty()) {
            return;
        }
        int q = decide(null);
        if (q >= 0) {
            switchTo(q);
            controller.acquireUninterruptibly();
        } else if (!allDone()) {
            controller.acquireUninterruptibly();
        }
        for (Slot s : slots) {
            Worker w = WORKERS.get(s.index);
            w.done.acquireUninterruptibly();
            s.thread.slot = null;
            if (w.escaped != null && internalError == null) {
                internalError = w.escaped;
            }
            w.escaped = null;
        }
    }

    private boolean allDone() {
        for (Slot s : slots) {
            if (s.status != Status.DONE) {
                return false;
            }
        }
        return true;
    }

    private Slot me() {
        if (Thread.currentThread() instanceof CpuThread ct && ct.slot != null && ct.slot.owner() == this) {
            return ct.slot;
        }
        return null;
    }

    // ================================================================== hooks called by the runtime

    /** Before a visible access to {@code loc} (slot -1 for a scalar variable). */
    static void access(Location loc, int slot, boolean write) {
        Scheduler s = active;
        if (s != null) {
            s.onAccess(loc, slot, write);
        }
    }

    private void onAccess(Location loc, int slot, boolean write) {
        if (trial != null) {
            int id = locationId(loc, slot);
            trial.footprint.add(id, write);
            if (write) {
                trial.undo.add(new Object[] {loc, slot, loc.exploreGet(slot)});
            }
            return;
        }
        if (atomic || phase == Phase.ENDING) {
            return;
        }
        Slot me = me();
        if (me == null) {
            return; // the controller thread (set-up, the invariant check): not part of the schedule
        }
        stepWith(me, new int[] {locationId(loc, slot) << 1 | (write ? 1 : 0)}, "");
    }

    /**
     * An explored load of {@code loc}: its step, then, under TSO, the loading CPU's own newest
     * buffered store to it, under RA the write its view lets it read that the strategy chose
     * ({@link #NOT_BUFFERED} when none of these: the load reads memory).
     */
    static Object load(Location loc, int slot) {
        return load(loc, slot, false);
    }

    /** As {@link #load(Location, int)}; {@code acquire}: smp_load_acquire() (it matters under RA). */
    static Object load(Location loc, int slot, boolean acquire) {
        access(loc, slot, false);
        Scheduler s = active;
        if (s != null && s.views != null) {
            return s.raLoad(loc, slot, acquire);
        }
        return bufferedLoad(loc, slot);
    }

    /**
     * Under RA, the CPU whose views the current operation changes: the running explored CPU, or null
     * in a trial (which changes no view), while the execution ends, on the controller, or outside RA.
     */
    private Slot raCpu() {
        return views == null || trial != null || phase == Phase.ENDING ? null : me();
    }

    private Object raLoad(Location loc, int slot, boolean acquire) {
        Slot me = raCpu();
        if (me == null) {
            return NOT_BUFFERED; // a trial reads the newest writes and changes no view; so does the controller
        }
        int id = locationId(loc, slot);
        int back = 0;
        if (!atomic) { // a wait condition, when it runs, reads the newest writes (as a spinning CPU eventually does)
            int n = views.candidates(me.index, id, loc, slot);
            if (n > 1) {
                back = strategy.chooseRead(this, n);
                if (back < 0 || back >= n) {
                    throw new IllegalStateException("the strategy chose write " + back + " of " + n);
                }
            }
        }
        return views.load(me.index, id, loc, slot, back, acquire); // the trace shows an old write's row (Trace.Step.read)
    }

    /** An explored store: under TSO it goes to the CPU's buffer (true: done); otherwise its step, and false. */
    static boolean store(Location loc, int slot, Object value) {
        return store(loc, slot, value, false);
    }

    /** As {@link #store(Location, int, Object)}; {@code release}: smp_store_release() (it matters under RA). */
    static boolean store(Location loc, int slot, Object value, boolean release) {
        if (bufferStore(loc, slot, value)) {
            return true;
        }
        access(loc, slot, true);
        Scheduler s = active;
        Slot me = s == null ? null : s.raCpu();
        if (me != null) {
            s.views.store(me.index, s.locationId(loc, slot), loc, slot, value, release);
        }
        return false;
    }

    /**
     * Under {@link Memory#TSO}, a store by an explored CPU goes to its store buffer: true if it did,
     * and the caller must not write memory. Stores made inside a trial or atomic evaluation of a wait
     * condition, by the controller, or while the execution ends reach memory as under SC (the
     * models' wait conditions store only through RMWs, which drain the buffer anyway).
     */
    static boolean bufferStore(Location loc, int slot, Object value) {
        Scheduler s = active;
        return s != null && s.buffers != null && s.onBufferStore(loc, slot, value);
    }

    private boolean onBufferStore(Location loc, int slot, Object value) {
        if (trial != null || atomic || phase == Phase.ENDING) {
            return false;
        }
        Slot me = me();
        if (me == null) {
            return false;
        }
        int id = locationId(loc, slot);
        buffers[me.index].addLast(new Buffered(loc, slot, value, id, me.stepsTaken));
        // shown in the counterexample before the CPU's next step; Trace resolves {loc:N} to the variable's name
        me.cpu.noteDecision("store buffered: {loc:" + id + "}"
                + (value == null || value instanceof Integer ? " = " + value : ""));
        return true;
    }

    /**
     * Under {@link Memory#TSO}: the newest store to {@code loc} in the loading CPU's own buffer (in
     * a trial evaluation, the waiting CPU's), or {@link #NOT_BUFFERED} when there is none.
     */
    static Object bufferedLoad(Location loc, int slot) {
        Scheduler s = active;
        return s == null || s.buffers == null ? NOT_BUFFERED : s.onBufferedLoad(loc, slot);
    }

    private Object onBufferedLoad(Location loc, int slot) {
        int c = loaderIndex();
        if (c < 0 || (trial != null && trial.drained)) {
            return NOT_BUFFERED;
        }
        java.util.Iterator<Buffered> it = buffers[c].descendingIterator();
        while (it.hasNext()) {
            Buffered b = it.next();
            if (b.loc() == loc && b.slot() == slot) {
                return b.value();
            }
        }
        return NOT_BUFFERED;
    }

    /** The slot whose buffer the current code reads through: the waiter's in a trial, else the running CPU's. */
    private int loaderIndex() {
        if (trial != null) {
            for (Slot sl : slots) {
                if (sl.cpu == override) {
                    return sl.index;
                }
            }
            return -1;
        }
        Slot me = me();
        return me == null ? -1 : me.index;
    }

    /**
     * Before a fully ordered RMW on {@code loc} (xchg, cmpxchg, atomic_*_return). Under SC, the
     * access itself. Under TSO one step whose footprint is the CPU's buffered stores and this
     * location: when it runs, the buffer drains to memory, then the caller's RMW reaches memory.
     * Under RA a step that is a full barrier before and after the RMW. The caller calls
     * {@link #rmwDone} after the RMW.
     */
    static void accessFull(Location loc, int slot) {
        accessRmw(loc, slot, true, true, true);
    }

    /** Before an ACQUIRE-only RMW (a lock's acquisition, cmpxchg_acquire): under TSO a locked instruction all the same. */
    static void accessAcquire(Location loc, int slot) {
        accessRmw(loc, slot, true, false, false);
    }

    /** Before a RELEASE-only RMW (atomic_add_return_release(): a lock's release). */
    static void accessRelease(Location loc, int slot) {
        accessRmw(loc, slot, false, true, false);
    }

    private static void accessRmw(Location loc, int slot, boolean acquire, boolean release, boolean full) {
        Scheduler s = active;
        if (s == null) {
            return;
        }
        if (s.buffers != null) {
            s.onFull(loc, slot, "");
        } else if (s.views == null) {
            s.onAccess(loc, slot, true);
        } else {
            s.raRmw(loc, slot, acquire, release, full);
        }
    }

    private void raRmw(Location loc, int slot, boolean acquire, boolean release, boolean full) {
        if (trial != null) {
            onAccess(loc, slot, true);
            if (full) {
                trial.footprint.add(locationId(FENCES, -1), true);
            }
            return;
        }
        Slot me = raCpu();
        if (me == null) {
            return;
        }
        int id = locationId(loc, slot);
        if (!atomic) {
            stepWith(me, full ? new int[] {id << 1 | 1, locationId(FENCES, -1) << 1 | 1} : new int[] {id << 1 | 1}, "");
        }
        views.rmwBegin(me.index, id, loc, slot, acquire, release, full);
    }

    /** After an RMW announced by accessFull/accessAcquire/accessRelease: under RA its write joins the history. */
    static void rmwDone(Location loc, int slot) {
        Scheduler s = active;
        Slot me = s == null ? null : s.raCpu();
        if (me != null) {
            s.views.rmwEnd(me.index, loc, slot);
        }
    }

    /** smp_mb(): under TSO, a step that drains the CPU's store buffer (none when it is empty); under RA an SC fence, a step; nothing under SC. */
    static void fence() {
        Scheduler s = active;
        if (s == null) {
            return;
        }
        if (s.buffers != null) {
            s.onFull(null, -1, "smp_mb()");
        } else if (s.views != null) {
            if (s.trial != null) {
                s.trial.footprint.add(s.locationId(FENCES, -1), true);
                return;
            }
            Slot me = s.raCpu();
            if (me == null) {
                return;
            }
            if (!s.atomic) {
                s.stepWith(me, new int[] {s.locationId(FENCES, -1) << 1 | 1}, "smp_mb()");
            }
            s.views.fence(me.index);
        }
    }

    /** smp_wmb() (true) or smp_rmb() (false): under RA a change of the CPU's own views, not a step; nothing otherwise. */
    static void oneSidedFence(boolean wmb) {
        Scheduler s = active;
        Slot me = s == null ? null : s.raCpu();
        if (me != null) {
            if (wmb) {
                s.views.wmb(me.index);
            } else {
                s.views.rmb(me.index);
            }
        }
    }

    /** The running CPU announces a step with footprint {@code fp} and waits to be chosen. */
    private void stepWith(Slot me, int[] fp, String what) {
        me.status = Status.READY;
        me.enabled = true;
        me.footprint = fp;
        me.label = me.cpu.apiCall != null ? me.cpu.apiCall : what;
        me.decisions = me.cpu.takeDecisions();
        step(me);
    }

    private void onFull(Location loc, int slot, String what) {
        if (trial != null) {
            int c = loaderIndex();
            if (c >= 0 && !trial.drained) {
                for (Buffered b : buffers[c]) { // the waiter's stores reach memory first: logged, undone after the trial
                    trial.footprint.add(b.id(), true);
                    trial.undo.add(new Object[] {b.loc(), b.slot(), b.loc().exploreGet(b.slot())});
                    b.loc().exploreSet(b.slot(), b.value());
                }
                trial.drained = true;
            }
            if (loc != null) {
                onAccess(loc, slot, true);
            }
            return;
        }
        Slot me = me();
        if (me == null || phase == Phase.ENDING) {
            return;
        }
        if (atomic) {
            drain(me.index); // the chosen waiter's condition, for real: its trial footprint had the buffer
            return;
        }
        if (loc == null && buffers[me.index].isEmpty()) {
            return; // a fence with nothing buffered orders nothing: not a step
        }
        IntSet fp = new IntSet();
        for (Buffered b : buffers[me.index]) {
            fp.add(b.id(), true);
        }
        if (loc != null) {
            fp.add(locationId(loc, slot), true);
        }
        stepWith(me, fp.toArray(), what);
        drain(me.index);
    }

    /** CPU {@code c}'s buffered stores reach memory, oldest first. */
    private void drain(int c) {
        while (!buffers[c].isEmpty()) {
            Buffered b = buffers[c].pollFirst();
            b.loc().exploreSet(b.slot(), b.value());
        }
    }

    /** The oldest store of CPU {@code c}'s buffer reaches memory: the step of entity {@code cpus + c}. */
    private void flush(int c) {
        Buffered b = buffers[c].pollFirst();
        b.loc().exploreSet(b.slot(), b.value());
        lastChosen = slots.length + c;
        markWaitersDirty(b.id());
    }

    private boolean buffersEmpty() {
        if (buffers != null) {
            for (java.util.ArrayDeque<Buffered> b : buffers) {
                if (!b.isEmpty()) {
                    return false;
                }
            }
        }
        return true;
    }

    private void markWaitersDirty(int loc) {
        for (Slot s : slots) {
            if ((s.status == Status.WAITING || s.status == Status.IDLE) && touches(s.footprint, loc)) {
                s.dirty = true;
            }
        }
    }

    /**
     * Waits until {@code cond} holds (or, for an idle CPU, until the execution ends: then returns
     * false). {@code record} names what the CPU waits for, for a deadlock report (null when idle).
     */
    static boolean await(Cpu cpu, BooleanSupplier cond, WaitRecord record, boolean idle) {
        Scheduler s = active;
        return s.onAwait(cpu, cond, record, idle);
    }

    private boolean onAwait(Cpu cpu, BooleanSupplier cond, WaitRecord record, boolean idle) {
        if (trial != null || atomic) {
            if (cond.getAsBoolean()) {
                return true;
            }
            throw BLOCKED; // a wait nested in a condition (a spin lock taken inside it) that cannot pass now
        }
        Slot me = me();
        if (me == null) {
            throw new IllegalStateException("a wait on " + cpu.name() + " outside the explored CPUs' threads");
        }
        if (phase == Phase.ENDING) {
            throw ending(me, cpu);
        }
        me.status = idle ? Status.IDLE : Status.WAITING;
        me.cond = cond;
        me.dirty = true;
        me.label = idle ? "idle" : record != null ? record.describe() : "waits";
        me.decisions = cpu.takeDecisions();
        if (record != null) {
            cpu.beginWait(record);
        }
        try {
            step(me);
            if (me.idleEnd) {
                me.idleEnd = false;
                return false;
            }
            atomic = true;
            boolean ok;
            try {
                ok = cond.getAsBoolean();
            } catch (Blocked b) {
                ok = false;
            } finally {
                atomic = false;
            }
            if (!ok) {
                internalError = new IllegalStateException(cpu.name() + "'s wait condition (" + me.label
                        + ") held in the trial evaluation but not when it ran: it depends on state outside Word/Ptr/PerCpuInt");
                throw new MachineHalted(cpu);
            }
            return true;
        } finally {
            if (record != null) {
                cpu.endWait(record);
            }
        }
    }

    /** The machine halts (a CPU died): every other CPU stops at its next step. */
    static void halting(Smp smp) {
        Scheduler s = active;
        if (s != null && s.smp == smp && s.phase == Phase.RUNNING) {
            s.phase = Phase.ENDING;
            for (Slot o : s.slots) {
                if (o.resumeWith == null) {
                    o.resumeWith = new MachineHalted(o.cpu);
                }
            }
        }
    }

    /** True on a CPU thread of the running exploration (elsewhere, waits and locks behave as in bounded mode). */
    static boolean controlled() {
        Scheduler s = active;
        return s != null && (s.trial != null || s.atomic || s.me() != null);
    }

    /** True while interrupts must not be delivered (inside a trial or atomic evaluation). */
    static boolean suppressInterrupts() {
        Scheduler s = active;
        return s != null && (s.trial != null || s.atomic);
    }

    /** What a CPU throws when the execution ends under it: its share of a deadlock, or a halt. */
    private Error ending(Slot me, Cpu cpu) {
        if (me != null && me.resumeWith != null) {
            Error t = me.resumeWith;
            me.resumeWith = new MachineHalted(cpu);
            return t instanceof DeadlockError d ? d.copyForAnotherThread() : t;
        }
        return new MachineHalted(cpu);
    }

    // ================================================================== the hand-off

    /** The running CPU {@code me} has announced its next step: pick who runs, and wait for our turn. */
    private void step(Slot me) {
        if (phase == Phase.STARTING) {
            controller.release(); // parked at its first step; the controller starts the next CPU
            park(me);
            return;
        }
        int q = decide(me);
        if (phase == Phase.RUNNING) {
            if (q == me.index) {
                return;
            }
            switchTo(q);
            park(me);
            return;
        }
        // Ending: nextToEnd() lets the caller unwind first (q is -1 here); the others follow when it finishes.
        if (!me.idleEnd) {
            throw ending(me, me.cpu);
        }
    }

    private void park(Slot me) {
        me.go.acquireUninterruptibly();
        if (me.resumeWith != null && !me.idleEnd) {
            throw ending(me, me.cpu);
        }
    }

    private void switchTo(int q) {
        running = q;
        slots[q].go.release();
    }

    /**
     * Decides at the current state: evaluates waiting CPUs whose conditions may have changed,
     * asks the strategy, and applies the choice. Returns the CPU to run, or -1 when the execution
     * is ending (then the ending has been arranged: resumptions are queued).
     */
    private int decide(Slot caller) {
        if (phase != Phase.RUNNING) {
            return nextToEnd(caller);
        }
        boolean any = false;
        for (Slot s : slots) {
            if ((s.status == Status.WAITING || s.status == Status.IDLE) && s.dirty) {
                evaluate(s);
            }
            any |= enabled(s);
        }
        any |= !buffersEmpty();
        if (!any) {
            strategy.terminal(this);
            endWithoutEnabled();
            return nextToEnd(caller);
        }
        int q = strategy.choose(this);
        if (q == Strategy.CUT) {
            cut = true;
            phase = Phase.ENDING;
            for (Slot o : slots) {
                o.resumeWith = new MachineHalted(o.cpu);
            }
            return nextToEnd(caller);
        }
        if (q >= slots.length) {
            flush(q - slots.length); // a store buffer's step: done here, then the next choice
            return decide(caller);
        }
        Slot chosen = slots[q];
        if (!enabled(chosen)) {
            internalError = new IllegalStateException("the strategy chose " + chosen.cpu.name() + ", which is not enabled");
            phase = Phase.ENDING;
            for (Slot o : slots) {
                o.resumeWith = new MachineHalted(o.cpu);
            }
            return nextToEnd(caller);
        }
        lastChosen = q;
        chosen.stepsTaken++;
        // the chosen step's writes may enable waiters: they are evaluated again at the next state
        for (int acc : chosen.footprint) {
            if ((acc & 1) != 0) {
                int loc = acc >> 1;
                for (Slot s : slots) {
                    if (s != chosen && (s.status == Status.WAITING || s.status == Status.IDLE) && touches(s.footprint, loc)) {
                        s.dirty = true;
                    }
                }
            }
        }
        if (chosen.status == Status.WAITING || chosen.status == Status.IDLE) {
            chosen.status = Status.READY; // its condition runs now, atomically
        }
        return q;
    }

    private static boolean touches(int[] fp, int loc) {
        for (int a : fp) {
            if (a >> 1 == loc) {
                return true;
            }
        }
        return false;
    }

    private static boolean enabled(Slot s) {
        return s.status != Status.DONE && s.enabled;
    }

    /** A trial evaluation of a waiter's condition, as that CPU, with every write undone. */
    private void evaluate(Slot s) {
        Trial t = new Trial();
        Cpu c = s.cpu;
        Object saved = c.saveForTrial();
        Cpu previousOverride = override;
        String savedApi = c.apiCall;
        override = c;
        trial = t;
        boolean ok;
        try {
            ok = s.cond.getAsBoolean();
        } catch (Blocked b) {
            ok = false;
        } catch (Throwable e) {
            ok = true; // it will throw for real when it runs: that is a step too
        } finally {
            trial = null;
            override = previousOverride;
            for (int i = t.undo.size() - 1; i >= 0; i--) {
                Object[] u = t.undo.get(i);
                ((Location) u[0]).exploreSet((Integer) u[1], u[2]);
            }
            c.restoreAfterTrial(saved);
            c.apiCall = savedApi;
        }
        s.enabled = ok;
        s.dirty = false;
        s.footprint = t.footprint.toArray();
    }

    /** No CPU can move: a normal end (every CPU done or idle) or a deadlock. */
    private void endWithoutEnabled() {
        phase = Phase.ENDING;
        List<Cpu> waiting = new ArrayList<>();
        for (Slot s : slots) {
            if (s.status == Status.WAITING) {
                waiting.add(s.cpu);
            }
        }
        if (waiting.isEmpty()) {
            for (Slot s : slots) {
                if (s.status == Status.IDLE) {
                    s.idleEnd = true;
                }
            }
            return;
        }
        deadlock = Waits.explainBlocked(smp, waiting);
        for (Slot s : slots) {
            if (s.status == Status.WAITING) {
                s.resumeWith = deadlock;
            } else if (s.status != Status.DONE) {
                s.resumeWith = new MachineHalted(s.cpu);
            }
        }
    }

    /**
     * While ending: the CPUs finish one at a time, in index order. Returns the next one to resume
     * (other than the caller, who goes on by itself), or -1 if the caller should go on or none is left.
     */
    private int nextToEnd(Slot caller) {
        if (caller != null && caller.status != Status.DONE) {
            return -1; // the caller unwinds first; the others follow when it finishes
        }
        for (Slot s : slots) {
            if (s.status != Status.DONE && s != caller) {
                return s.index;
            }
        }
        return -1;
    }

    /** A CPU's thread has finished its body. */
    private void finished(Slot me) {
        me.status = Status.DONE;
        me.enabled = false;
        me.footprint = new int[0];
        if (phase == Phase.STARTING) {
            controller.release();
            return;
        }
        if (allDone() && buffersEmpty()) {
            controller.release();
            return;
        }
        int q = decide(me);
        if (q >= 0) {
            switchTo(q);
        } else if (allDone()) {
            controller.release();
        }
    }

    // ================================================================== what the strategy sees

    /** Number of CPUs under control. */
    public int cpus() {
        return slots.length;
    }

    /**
     * What the strategy schedules: the CPUs (0 .. cpus-1) and, under TSO, each CPU's store buffer
     * (cpus + c), whose one kind of step is "the oldest buffered store reaches memory".
     */
    public int entities() {
        return buffers == null ? slots.length : 2 * slots.length;
    }

    /**
     * For a store buffer {@code e} (under TSO): how many steps of its CPU had run when its oldest
     * store was buffered; the buffer's step comes after those in program order. 0 otherwise.
     */
    public int origin(int e) {
        if (e < slots.length) {
            return 0;
        }
        Buffered b = buffers[e - slots.length].peekFirst();
        return b == null ? 0 : b.origin();
    }

    /** The memory model of this execution. */
    public Memory memory() {
        return buffers != null ? Memory.TSO : views != null ? Memory.RA : Memory.SC;
    }

    public Status status(int e) {
        if (e >= slots.length) {
            return buffers[e - slots.length].isEmpty() ? Status.DONE : Status.READY;
        }
        return slots[e].status;
    }

    /** True if entity {@code e} can take a step now. */
    public boolean isEnabled(int e) {
        if (e >= slots.length) {
            return phase == Phase.RUNNING && !buffers[e - slots.length].isEmpty();
        }
        return enabled(slots[e]);
    }

    /** The footprint of entity {@code e}'s pending step: packed {@code location << 1 | write}. */
    public int[] footprint(int e) {
        if (e >= slots.length) {
            Buffered b = buffers[e - slots.length].peekFirst();
            return b == null ? new int[0] : new int[] {b.id() << 1 | 1};
        }
        return slots[e].footprint;
    }

    /** What the pending step is, in the runtime's words (the kernel call it is part of, or the wait). */
    public String label(int e) {
        return e >= slots.length ? "" : slots[e].label;
    }

    /** The context decisions ("in_task() = true") CPU {@code e} took before its pending step, or null. */
    public String decisions(int e) {
        return e >= slots.length ? null : slots[e].decisions;
    }

    /** The CPU's context (task, softirq, hardirq...) at its pending step; "store buffer" for a buffer. */
    public String context(int e) {
        if (e >= slots.length) {
            return "store buffer";
        }
        Cpu c = slots[e].cpu;
        return c.context().describe() + c.contextNote();
    }

    public String cpuName(int e) {
        return e >= slots.length ? slots[e - slots.length].cpu.name() + "'s store buffer" : slots[e].cpu.name();
    }

    /** The CPU that ran the last step, or -1. */
    public int lastChosen() {
        return lastChosen;
    }

    /** The name of location {@code id} (its variable's kind, or the lock it belongs to). */
    public String locationName(int id) {
        return id < locationNames.size() ? locationNames.get(id) : "#" + id;
    }

    /** The object behind location {@code id}, for naming it in a trace. */
    public Object locationObject(int id) {
        for (Map.Entry<Object, Integer> e : locations.entrySet()) {
            int base = e.getValue();
            int w = ((Location) e.getKey()).width();
            if (id >= base && id < base + w) {
                return e.getKey();
            }
        }
        return null;
    }

    /** True if the strategy abandoned the execution. */
    public boolean cut() {
        return cut;
    }

    /** The deadlock this execution ended in, or null. */
    public DeadlockError deadlock() {
        return deadlock;
    }

    private int locationId(Location loc, int slot) {
        Integer base = locations.get(loc);
        if (base == null) {
            base = nextLocation;
            locations.put(loc, base);
            nextLocation += loc.width();
            for (int i = 0; i < loc.width(); i++) {
                locationNames.add(loc.width() == 1 ? loc.getClass().getSimpleName() : loc.getClass().getSimpleName() + "[" + i + "]");
            }
        }
        return slot < 0 ? base : base + slot;
    }
}
