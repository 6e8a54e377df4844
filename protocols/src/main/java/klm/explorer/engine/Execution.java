package klm.explorer.engine;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.function.BooleanSupplier;

import klm.explorer.memory.Machine;
import klm.explorer.memory.Memory;
import klm.explorer.memory.MemoryModel;
import klm.kernel.Cpu;
import klm.kernel.CpuControl;
import klm.kernel.DeadlockError;
import klm.kernel.Exploration;
import klm.kernel.Explored;
import klm.kernel.Location;
import klm.kernel.MachineHalted;
import klm.kernel.Smp;
import klm.kernel.WaitRecord;

/**
 * One controlled execution of the runtime: each simulated CPU runs on its own thread, but exactly
 * one runs at a time, and at every visible operation the running CPU hands control to a
 * {@link Strategy}, which picks the next entity (a CPU, or a memory model's own, such as a store
 * buffer). The memory model ({@link Memory}) decides what each access does; this class runs the
 * CPUs, hands control over, and evaluates waits.
 *
 * <p>Visible operations: every accessor of {@code Word}, {@code Ptr} and {@code PerCpuInt}, every
 * wait, and what the memory model makes a step (under SC, fences are not: a fence commutes with
 * every other operation there). Interrupt delivery is made of visible operations (the interrupt
 * point reads the CPU's pending list, which a raise writes), so an interrupt raised for another CPU
 * lands at any of that CPU's later interrupt points, as the schedule decides.
 *
 * <p>Waits are conditions, not loops: a CPU that waits (a spin lock, a sleeping lock, a wait queue,
 * a busy-wait of the model, an idle CPU waiting for an interrupt) is enabled only while its
 * condition holds. To know that without side effects, the condition is evaluated as a
 * <em>trial</em>: as the waiting CPU, with every runtime write logged and undone afterwards, and the
 * locations it touched recorded as the wait's footprint. A waiter is evaluated again only after a
 * write to one of those locations. When the waiter is chosen, it evaluates the condition for real,
 * as one atomic step (no scheduling point inside), which must agree with the trial. A state where
 * nothing can move and some CPU waits is a deadlock, reported as the bounded detector reports one.
 *
 * <p>An execution ends only when nothing is left: every CPU done or idle, nothing pending in the
 * memory model, no interrupt raised and not delivered; anything left then is an error naming it.
 * Wake-ups are not modelled: a sleeper is enabled exactly when its condition holds. State outside
 * {@code Word}/{@code Ptr}/{@code PerCpuInt} is invisible here and must be protected by a runtime lock.
 */
public final class Execution implements Exploration, State, Machine {
    /** Thrown inside a trial or atomic evaluation by a nested wait whose condition does not hold. */
    private static final class Blocked extends Error {
        Blocked() {
            super("nested wait", null, false, false);
        }
    }

    private static final Blocked BLOCKED = new Blocked();

    private enum Phase { STARTING, RUNNING, ENDING }

    /** One simulated CPU under control. */
    private final class Slot {
        final int index;
        final Cpu cpu;
        final Semaphore go = new Semaphore(0);
        Thread thread;
        Status status = Status.READY;
        /** Footprint of the pending operation: packed {@code location << 1 | write}. */
        int[] footprint = new int[0];
        /** The pending step is a load whose write the memory model chooses and reports ({@link Machine#loadStep}). */
        boolean viewLoad;
        String label = "";
        /** Steps of this CPU the strategy has chosen in this execution. */
        int stepsTaken;
        /** Context decisions the CPU took before its pending step, or null. */
        String decisions;
        BooleanSupplier cond;
        boolean enabled = true;
        /** What the pending step waits for besides being chosen (a fully ordered step under TSO: an empty store buffer), or null. */
        BooleanSupplier when;
        boolean dirty;
        Error resumeWith;
        boolean idleEnd;

        Slot(int index, Cpu cpu) {
            this.index = index;
            this.cpu = cpu;
        }

        Execution owner() {
            return Execution.this;
        }
    }

    /** Undo log and footprint of a trial evaluation. */
    private static final class Trial {
        final long id;
        final int cpu;
        final List<Object[]> undo = new ArrayList<>();
        final IntSet footprint = new IntSet();

        Trial(long id, int cpu) {
            this.id = id;
            this.cpu = cpu;
        }
    }

    /** A small set of packed accesses, in first-touch order; a write supersedes a read. */
    private static final class IntSet {
        int[] a = new int[4];
        int n;

        void add(int packed) {
            int loc = packed >> 1;
            for (int i = 0; i < n; i++) {
                if (a[i] >> 1 == loc) {
                    a[i] |= packed & 1;
                    return;
                }
            }
            if (n == a.length) {
                a = java.util.Arrays.copyOf(a, n * 2);
            }
            a[n++] = packed;
        }

        int[] toArray() {
            return java.util.Arrays.copyOf(a, n);
        }
    }

    private final Smp smp;
    private final Strategy strategy;
    private final Slot[] slots;
    private final Memory memory;
    private final int extra;
    private final Semaphore controller = new Semaphore(0);
    private Phase phase = Phase.STARTING;
    private final Map<Object, Integer> locations = new IdentityHashMap<>();
    private final List<String> locationNames = new ArrayList<>();
    private int nextLocation;
    /** The memory model's order-only locations ({@link Machine#orderLocation}), by name. */
    private final Map<String, Integer> orderLocations = new HashMap<>();
    private final BitSet orderOnly = new BitSet();
    private Trial trial;
    private long trials;
    private boolean atomic;
    private boolean cut;
    private DeadlockError deadlock;
    private Throwable internalError;
    private int lastChosen = -1;
    /** Steps chosen so far in this execution (CPUs' and the memory model's entities'). */
    private int stepsChosen;
    /** The CPU {@link Cpu#current()} answers during a trial evaluation run on another CPU's thread. */
    private Cpu override;

    private Execution(Smp smp, int cpus, Strategy strategy, MemoryModel model) {
        this.smp = smp;
        this.strategy = strategy;
        this.slots = new Slot[cpus];
        for (int i = 0; i < cpus; i++) {
            slots[i] = new Slot(i, smp.cpu(i));
        }
        this.extra = model.extraEntities(cpus);
        this.memory = model.newMemory(this);
    }

    // ================================================================== running one execution

    /**
     * Runs {@code bodies} (CPU 0, 1, ...) of machine {@code smp} as one controlled execution driven
     * by {@code strategy} under memory model {@code model}; returns when every CPU's thread has
     * finished. {@link #cut()} tells whether the strategy abandoned it.
     */
    public static Execution run(Smp smp, List<Runnable> bodies, Strategy strategy, MemoryModel model) {
        Execution s = new Execution(smp, bodies.size(), strategy, model);
        Explored.install(s);
        boolean finished = false;
        try {
            s.execute(bodies);
            finished = true;
        } finally {
            Explored.uninstall(s);
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
     * The explorer's CPU threads, one per slot index, kept from one execution to the next: starting
     * new threads for every execution took most of its time. Only the exploring thread touches this
     * list (one exploration at a time); a worker's task and its end pass through the worker's
     * semaphores, which order them.
     */
    private static final List<Worker> WORKERS = new ArrayList<>();

    private static final class Worker {
        final Semaphore job = new Semaphore(0);
        final Semaphore done = new Semaphore(0);
        final Thread thread;
        Runnable task;
        /** What escaped a task (the task records a body's errors itself; this is the engine's own). */
        Throwable escaped;

        Worker(int index) {
            thread = CpuControl.newWorker("explorer-cpu" + index, this::loop);
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
            w.task = () -> {
                CpuControl.markRunning(slot.cpu);
                try {
                    body.run();
                } catch (Throwable e) {
                    if (!(e instanceof MachineHalted) && internalError == null) {
                        internalError = e; // a body must record its own errors (ScenarioRun.runCpu does)
                    }
                } finally {
                    CpuControl.markDone(slot.cpu);
                    finished(slot);
                }
            };
            CpuControl.bind(w.thread, slot.cpu, slot);
            slot.thread = w.thread;
            w.job.release();
            controller.acquireUninterruptibly(); // it runs to its first visible operation (or its end)
        }
        phase = Phase.RUNNING;
        if (allDone() && memory.pending() == null) {
            nothingLeft();
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
            CpuControl.unbind(s.thread);
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
        return CpuControl.tag() instanceof Slot s && s.owner() == this ? s : null;
    }

    // ================================================================== the door: what the runtime calls

    @Override
    public Object load(Location loc, int slot, Order order) {
        return memory.load(loc, slot, order);
    }

    @Override
    public Object oracle(Location loc, int slot) {
        return memory.oracle(loc, slot);
    }

    @Override
    public Object peekLocal(Location loc, int slot) {
        return memory.peekLocal(loc, slot);
    }

    @Override
    public boolean store(Location loc, int slot, Object value, Order order) {
        return memory.store(loc, slot, value, order);
    }

    @Override
    public void rmwBegin(Location loc, int slot, Order order) {
        memory.rmwBegin(loc, slot, order);
    }

    @Override
    public void rmwEnd(Location loc, int slot) {
        memory.rmwEnd(loc, slot);
    }

    @Override
    public void fence(Fence fence) {
        memory.fence(fence);
    }

    @Override
    public boolean await(Cpu cpu, BooleanSupplier cond, WaitRecord record, boolean idle) {
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
        me.when = null;
        me.dirty = true;
        me.viewLoad = false;
        me.label = idle ? "idle" : record != null ? CpuControl.describe(record) : "waits";
        me.decisions = CpuControl.takeDecisions(cpu);
        if (record != null) {
            CpuControl.beginWait(cpu, record);
        }
        try {
            handOff(me);
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
                CpuControl.endWait(cpu, record);
            }
        }
    }

    @Override
    public void halting(Smp smp) {
        if (this.smp == smp && phase == Phase.RUNNING) {
            phase = Phase.ENDING;
            for (Slot o : slots) {
                if (o.resumeWith == null) {
                    o.resumeWith = new MachineHalted(o.cpu);
                }
            }
        }
    }

    @Override
    public boolean controls() {
        return trial != null || atomic || me() != null;
    }

    @Override
    public boolean suppressInterrupts() {
        return trial != null || atomic;
    }

    @Override
    public Cpu override() {
        return override;
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

    // ================================================================== what a memory model uses

    @Override
    public int cpus() {
        return slots.length;
    }

    @Override
    public int stepsTaken(int cpu) {
        return slots[cpu].stepsTaken;
    }

    @Override
    public int running() {
        Slot me = me();
        return me == null ? -1 : me.index;
    }

    @Override
    public int trialCpu() {
        return trial == null ? -1 : trial.cpu;
    }

    @Override
    public long trial() {
        return trial == null ? 0 : trial.id;
    }

    @Override
    public boolean atomic() {
        return atomic;
    }

    @Override
    public boolean ending() {
        return phase == Phase.ENDING;
    }

    @Override
    public int locationId(Location loc, int slot) {
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

    @Override
    public void step(int[] fp, String what) {
        step(fp, what, false, null);
    }

    @Override
    public void step(int[] fp, String what, BooleanSupplier when) {
        step(fp, what, false, when); // chosen only while when holds; in a trial it adds the footprint
        if ((trial != null || atomic) && !when.getAsBoolean()) {
            throw BLOCKED; // the condition cannot pass now: its waiter is not enabled
        }
    }

    @Override
    public int orderLocation(String name) {
        Integer id = orderLocations.get(name);
        if (id == null) {
            id = nextLocation++;
            orderLocations.put(name, id);
            locationNames.add(name);
            orderOnly.set(id);
        }
        return id;
    }

    private void step(int[] fp, String what, boolean viewLoad, BooleanSupplier when) {
        if (trial != null) {
            for (int a : fp) {
                trial.footprint.add(a);
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
        me.status = Status.READY;
        me.enabled = true;
        me.when = when;
        me.footprint = fp;
        me.viewLoad = viewLoad;
        String call = CpuControl.apiCall(me.cpu);
        me.label = call != null ? call : what;
        me.decisions = CpuControl.takeDecisions(me.cpu);
        handOff(me);
    }

    @Override
    public void access(Location loc, int slot, boolean write) {
        if (trial != null) {
            trial.footprint.add(locationId(loc, slot) << 1 | (write ? 1 : 0));
            if (write) {
                trial.undo.add(new Object[] {loc, slot, loc.exploreGet(slot)});
            }
            return;
        }
        if (atomic || phase == Phase.ENDING || me() == null) {
            return; // not a step (ids are given only to what a step or a trial touches)
        }
        step(new int[] {locationId(loc, slot) << 1 | (write ? 1 : 0)}, "");
    }

    @Override
    public void loadStep(Location loc, int slot) {
        if (trial != null || atomic || phase == Phase.ENDING || me() == null) {
            access(loc, slot, false);
            return;
        }
        step(new int[] {locationId(loc, slot) << 1}, "", true, null);
    }

    @Override
    public int currentStep() {
        return stepsChosen - 1;
    }

    @Override
    public void readFrom(int step) {
        if (trial == null && !atomic && phase == Phase.RUNNING && me() != null) {
            strategy.readFrom(this, step);
        }
    }

    @Override
    public void trialWrite(Location loc, int slot, Object value) {
        trial.footprint.add(locationId(loc, slot) << 1 | 1);
        trial.undo.add(new Object[] {loc, slot, loc.exploreGet(slot)});
        loc.exploreSet(slot, value);
    }

    @Override
    public int chooseRead(int n) {
        int k = strategy.chooseRead(this, n);
        if (k < 0 || k >= n) {
            throw new IllegalStateException("the strategy chose write " + k + " of " + n);
        }
        return k;
    }

    @Override
    public void noteDecision(int cpu, String what) {
        CpuControl.noteDecision(slots[cpu].cpu, what);
    }

    @Override
    public void written(int loc) {
        for (Slot s : slots) {
            if ((s.status == Status.WAITING || s.status == Status.IDLE) && touches(s.footprint, loc)) {
                s.dirty = true;
            }
        }
    }

    // ================================================================== the hand-off

    /** The running CPU {@code me} has announced its next step: pick who runs, and wait for our turn. */
    private void handOff(Slot me) {
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
        slots[q].go.release();
    }

    /**
     * Decides at the current state: evaluates waiting CPUs whose conditions may have changed, asks
     * the strategy, and applies the choice. Returns the CPU to run, or -1 when the execution is
     * ending (then the ending has been arranged: resumptions are queued).
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
        for (int k = 0; k < extra && !any; k++) {
            any = memory.entityEnabled(k);
        }
        if (!any) {
            strategy.terminal(this);
            endWithoutEnabled();
            return nextToEnd(caller);
        }
        int q = strategy.choose(this);
        if (q == Strategy.CUT) {
            cut = true;
            abandon();
            return nextToEnd(caller);
        }
        stepsChosen++;
        if (q >= slots.length) {
            if (q >= slots.length + extra || !memory.entityEnabled(q - slots.length)) {
                internalError = new IllegalStateException("the strategy chose entity " + q + ", which is not enabled");
                abandon();
                return nextToEnd(caller);
            }
            lastChosen = q;
            memory.entityStep(q - slots.length); // a memory model's step: done here, then the next choice
            return decide(caller);
        }
        Slot chosen = slots[q];
        if (!enabled(chosen)) {
            internalError = new IllegalStateException("the strategy chose " + chosen.cpu.name() + ", which is not enabled");
            abandon();
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

    private void abandon() {
        phase = Phase.ENDING;
        for (Slot o : slots) {
            o.resumeWith = new MachineHalted(o.cpu);
        }
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
        return s.status != Status.DONE && s.enabled && (s.when == null || s.when.getAsBoolean());
    }

    /** A trial evaluation of a waiter's condition, as that CPU, with every write undone. */
    private void evaluate(Slot s) {
        Trial t = new Trial(++trials, s.index);
        Cpu c = s.cpu;
        Object saved = CpuControl.saveForTrial(c);
        Cpu previousOverride = override;
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
            CpuControl.restoreAfterTrial(c, saved);
        }
        s.enabled = ok;
        s.dirty = false;
        s.footprint = t.footprint.toArray();
        s.viewLoad = false;
    }

    /** Nothing can move: a normal end (every CPU done or idle, nothing pending) or a deadlock. */
    private void endWithoutEnabled() {
        phase = Phase.ENDING;
        List<Cpu> waiting = new ArrayList<>();
        for (Slot s : slots) {
            if (s.status == Status.WAITING) {
                waiting.add(s.cpu);
            }
        }
        if (waiting.isEmpty()) {
            nothingLeft();
            for (Slot s : slots) {
                if (s.status == Status.IDLE) {
                    s.idleEnd = true;
                }
            }
            return;
        }
        deadlock = CpuControl.explainBlocked(smp, waiting);
        for (Slot s : slots) {
            if (s.status == Status.WAITING) {
                s.resumeWith = deadlock;
            } else if (s.status != Status.DONE) {
                s.resumeWith = new MachineHalted(s.cpu);
            }
        }
    }

    /** A normal end (no CPU waits): anything still pending is an error naming it, never a quiet clean end. */
    private void nothingLeft() {
        String left = leftPending();
        if (left != null && internalError == null) {
            internalError = new IllegalStateException("the execution ended with " + left
                    + " left: nothing could move, yet it had not happened");
        }
    }

    /** What a normal end would leave undone: a model's pending store, an interrupt raised and not delivered; or null. */
    private String leftPending() {
        List<String> left = new ArrayList<>();
        String m = memory.pending();
        if (m != null) {
            left.add(m);
        }
        for (Slot s : slots) {
            if (CpuControl.interruptsLeft(s.cpu)) {
                left.add("an interrupt raised for " + s.cpu.name() + " and not delivered");
            }
        }
        return left.isEmpty() ? null : String.join(", ", left);
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
        me.when = null;
        me.footprint = new int[0];
        me.viewLoad = false;
        if (phase == Phase.STARTING) {
            controller.release();
            return;
        }
        if (allDone() && memory.pending() == null) {
            if (phase == Phase.RUNNING) {
                nothingLeft();
            }
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

    @Override
    public int entities() {
        return slots.length + extra;
    }

    @Override
    public int origin(int e) {
        return e < slots.length ? 0 : memory.entityOrigin(e - slots.length);
    }

    @Override
    public int ownerCpu(int e) {
        return e < slots.length ? e : (e - slots.length) % slots.length;
    }

    @Override
    public Status status(int e) {
        if (e >= slots.length) {
            return memory.entityDone(e - slots.length) ? Status.DONE : Status.READY;
        }
        return slots[e].status;
    }

    @Override
    public boolean isEnabled(int e) {
        if (e >= slots.length) {
            return phase == Phase.RUNNING && memory.entityEnabled(e - slots.length);
        }
        return enabled(slots[e]);
    }

    @Override
    public int[] footprint(int e) {
        return e >= slots.length ? memory.entityFootprint(e - slots.length) : slots[e].footprint;
    }

    @Override
    public boolean viewLoad(int e) {
        return e < slots.length && slots[e].status != Status.DONE && slots[e].viewLoad;
    }

    @Override
    public String label(int e) {
        return e >= slots.length ? "" : slots[e].label;
    }

    @Override
    public String decisions(int e) {
        return e >= slots.length ? null : slots[e].decisions;
    }

    @Override
    public String context(int e) {
        return e >= slots.length ? memory.entityContext(e - slots.length) : CpuControl.context(slots[e].cpu);
    }

    @Override
    public String cpuName(int e) {
        return e >= slots.length ? memory.entityName(e - slots.length) : slots[e].cpu.name();
    }

    @Override
    public int lastChosen() {
        return lastChosen;
    }

    @Override
    public String locationName(int id) {
        return id < locationNames.size() ? locationNames.get(id) : "#" + id;
    }

    @Override
    public boolean orderOnly(int id) {
        return orderOnly.get(id);
    }

    @Override
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
}
