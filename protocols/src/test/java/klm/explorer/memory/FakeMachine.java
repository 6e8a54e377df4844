package klm.explorer.memory;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import klm.kernel.Exploration.Fence;
import klm.kernel.Exploration.Order;
import klm.kernel.Explored;
import klm.kernel.Location;

/**
 * A machine without threads, to specify a memory model rule by rule: the test says which CPU
 * runs, the steps a model announces are recorded (never waited for), a load's choice of write is
 * scripted, and a variable is a plain cell the test writes where the runtime would.
 */
final class FakeMachine implements Machine {
    /** A variable: one int the model may read and restore. */
    static final class Cell implements Location {
        final String name;
        Object v = 0;

        Cell(String name) {
            this.name = name;
        }

        @Override
        public Object exploreGet(int slot) {
            return v;
        }

        @Override
        public void exploreSet(int slot, Object value) {
            v = value;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private final int cpus;
    final Memory memory;
    /** Each location's first id; a location {@linkplain Location#width() wider} than one takes one id per slot, as in the engine. */
    private final Map<Location, Integer> ids = new IdentityHashMap<>();
    private int nextId;
    private final int[] steps;
    int running = -1;
    int trialCpu = -1;
    long trial;
    boolean atomic;
    boolean ending;
    /** Every step announced: its footprint and label. */
    final List<int[]> announced = new ArrayList<>();
    final List<String> labels = new ArrayList<>();
    /** The write each load that has a choice reads (0: the newest); and how many it could read. */
    int nextRead;
    int lastChoices = 1;
    final List<String> decisions = new ArrayList<>();
    final List<Integer> written = new ArrayList<>();
    /** Per load the model reported ({@link Machine#readFrom}): the step that made the write it read, -1 for the initial value. */
    final List<Integer> readFrom = new ArrayList<>();

    FakeMachine(MemoryModel model, int cpus) {
        this.cpus = cpus;
        this.steps = new int[cpus];
        this.memory = model.newMemory(this);
    }

    // ---- what a test does as the runtime would

    /** CPU {@code c} stores {@code v} to {@code x} (the runtime writes memory unless the model keeps the store). */
    void store(int c, Cell x, int v, Order o) {
        running = c;
        if (!memory.store(x, -1, v, o)) {
            x.v = v;
        }
    }

    /** CPU {@code c} loads {@code x}, reading the write {@code back} places older than the newest where it may choose. */
    int load(int c, Cell x, Order o, int back) {
        running = c;
        nextRead = back;
        lastChoices = 1;
        Object r = memory.load(x, -1, o);
        return (Integer) (r == Explored.MEMORY ? x.v : r);
    }

    /** How many writes CPU {@code c} could read at {@code x} now (1: only the newest); the load reads the newest. */
    int choices(int c, Cell x) {
        load(c, x, Order.RELAXED, 0);
        return lastChoices;
    }

    /** CPU {@code c} does an RMW on {@code x} writing {@code v}; returns the value it read. */
    int rmw(int c, Cell x, int v, Order o) {
        return rmw(c, x, v, o, 0);
    }

    /** As {@link #rmw(int, Cell, int, Order)}, reading the write {@code back} places older than the newest it may read. */
    int rmw(int c, Cell x, int v, Order o, int back) {
        running = c;
        nextRead = back;
        lastChoices = 1;
        memory.rmwBegin(x, -1, o);
        int old = (Integer) x.v;
        x.v = v;
        memory.rmwEnd(x, -1);
        return old;
    }

    void fence(int c, Fence f) {
        running = c;
        memory.fence(f);
    }

    /** The id the machine gave {@code x} (first touch order). */
    int id(Cell x) {
        return locationId(x, -1);
    }

    /** The last announced step's footprint, as "w x, r y". */
    String lastStep() {
        return announced.isEmpty() ? "" : describe(announced.get(announced.size() - 1));
    }

    String describe(int[] fp) {
        List<String> parts = new ArrayList<>();
        for (int a : fp) {
            String name = "#" + (a >> 1);
            for (Map.Entry<String, Integer> e : orderIds.entrySet()) {
                if (e.getValue() == a >> 1) {
                    name = e.getKey();
                }
            }
            for (Map.Entry<Location, Integer> e : ids.entrySet()) {
                int w = e.getKey().width();
                if (a >> 1 >= e.getValue() && a >> 1 < e.getValue() + w) {
                    name = e.getKey() + (w > 1 ? "[" + ((a >> 1) - e.getValue()) + "]" : "");
                }
            }
            parts.add(((a & 1) != 0 ? "w " : "r ") + name);
        }
        return String.join(", ", parts);
    }

    // ---- Machine

    @Override
    public int cpus() {
        return cpus;
    }

    @Override
    public String cpuName(int cpu) {
        return "CPU" + cpu;
    }

    @Override
    public int stepsTaken(int cpu) {
        return steps[cpu];
    }

    @Override
    public int running() {
        return running;
    }

    @Override
    public int trialCpu() {
        return trial != 0 ? trialCpu : -1;
    }

    @Override
    public long trial() {
        return trial;
    }

    @Override
    public boolean atomic() {
        return atomic;
    }

    @Override
    public boolean ending() {
        return ending;
    }

    @Override
    public int locationId(Location loc, int slot) {
        Integer base = ids.get(loc);
        if (base == null) {
            base = nextId;
            ids.put(loc, base);
            nextId += loc.width();
        }
        return slot < 0 ? base : base + slot;
    }

    @Override
    public void step(int[] footprint, String what) {
        if (trial != 0 || atomic || ending || running < 0) {
            return;
        }
        announced.add(footprint);
        labels.add(what);
        whens.add(null);
        steps[running]++;
    }

    /** A step that may run only while its condition holds: recorded with it; a trial or an atomic evaluation throws {@link Blocked} where it does not hold. */
    final List<java.util.function.BooleanSupplier> whens = new ArrayList<>();

    /** What a trial or an atomic evaluation ends with where a condition cannot pass. */
    static final class Blocked extends RuntimeException {
        Blocked() {
            super("blocked", null, false, false);
        }
    }

    /** Order-only locations, by name; ids after the variables' (a test's variables are touched first). */
    final Map<String, Integer> orderIds = new java.util.LinkedHashMap<>();

    @Override
    public void step(int[] footprint, String what, java.util.function.BooleanSupplier when) {
        if (trial != 0 || atomic) {
            trialFootprint.add(footprint);
            if (!when.getAsBoolean()) {
                throw new Blocked();
            }
            return;
        }
        if (ending || running < 0) {
            return;
        }
        announced.add(footprint);
        labels.add(what);
        whens.add(when);
        readyWhenAnnounced.add(when.getAsBoolean());
        steps[running]++;
        while (!when.getAsBoolean()) { // the step waits: what the test says runs meanwhile (a buffer's steps)
            if (meanwhile == null) {
                throw new AssertionError("CPU" + running + "'s step " + describe(footprint) + " waits, and the test runs nothing meanwhile");
            }
            meanwhile.accept(running);
        }
    }

    /** Per step announced with a condition: whether it held when announced. */
    final List<Boolean> readyWhenAnnounced = new ArrayList<>();
    /** What runs while an announced step's condition does not hold (given the running CPU), as the strategy would schedule it. */
    java.util.function.IntConsumer meanwhile;

    /** Footprints a trial or atomic evaluation added through {@link #step(int[], String, java.util.function.BooleanSupplier)}. */
    final List<int[]> trialFootprint = new ArrayList<>();

    @Override
    public int orderLocation(String name) {
        return orderIds.computeIfAbsent(name, k -> 1000 + orderIds.size());
    }

    @Override
    public void access(Location loc, int slot, boolean write) {
        step(new int[] {locationId(loc, slot) << 1 | (write ? 1 : 0)}, "");
    }

    @Override
    public void loadStep(Location loc, int slot) {
        access(loc, slot, false);
    }

    @Override
    public int currentStep() {
        return announced.size() - 1;
    }

    @Override
    public void readFrom(int step) {
        if (trial == 0 && !atomic && !ending && running >= 0) {
            readFrom.add(step);
        }
    }

    @Override
    public void trialWrite(Location loc, int slot, Object value) {
        loc.exploreSet(slot, value);
    }

    @Override
    public int chooseRead(int n) {
        lastChoices = n;
        return Math.min(nextRead, n - 1);
    }

    @Override
    public void noteDecision(int cpu, String what) {
        decisions.add(cpuName(cpu) + ": " + what);
    }

    @Override
    public void written(int id) {
        written.add(id);
    }
}
