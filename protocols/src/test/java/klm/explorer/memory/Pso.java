package klm.explorer.memory;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Iterator;

import klm.kernel.Exploration.Fence;
import klm.kernel.Exploration.Order;
import klm.kernel.Explored;
import klm.kernel.Location;

/**
 * A memory model defined only in test code, to show that a model is a class and a registration:
 * SPARC-style partial store order. Each CPU has a FIFO store buffer per location (up to
 * {@link #SLOTS} locations a CPU; more is an error naming the limit), so stores to different
 * locations may reach memory out of order; loads stay in order and read the CPU's own buffered
 * store first; RMWs, smp_mb(), smp_wmb() and release stores drain the CPU's buffers first.
 * Entity {@code j * cpus + c} is CPU c's buffer for the j-th location it buffered, "p" in replay strings.
 */
final class Pso implements MemoryModel {
    static final Pso MODEL = new Pso();
    static final int SLOTS = 4;

    private Pso() {}

    @Override public String id() { return "pso"; }
    @Override public String title() { return "partial store order"; }
    @Override public String legend() { return "**pso** (partial store order, a test's model): stores to different locations may pass each other."; }
    @Override public String traceLegend() { return "a `(store buffered: ...)` row is a store that waits in its CPU's buffer for that location"; }
    @Override public MemoryModel stronger() { return Tso.MODEL; }
    @Override public boolean sleepSetsSound() { return false; }
    @Override public int extraEntities(int cpus) { return SLOTS * cpus; }
    @Override public String entityLetter() { return "p"; }
    @Override public String entityKind() { return "store buffer for one location"; }
    @Override public boolean readChoices() { return false; }

    @Override
    public Memory newMemory(Machine machine) {
        return new Buffers(machine);
    }

    private record Buffered(Location loc, int slot, Object value, int id, int origin) {}

    private static final class Buffers implements Memory {
        private final Machine m;
        private final int cpus;
        /** buffers[j * cpus + c]: CPU c's buffer for the location slotIds[c][j]. */
        private final ArrayDeque<Buffered>[] buffers;
        private final int[][] slotIds;

        @SuppressWarnings("unchecked")
        Buffers(Machine m) {
            this.m = m;
            this.cpus = m.cpus();
            buffers = new ArrayDeque[SLOTS * cpus];
            for (int i = 0; i < buffers.length; i++) {
                buffers[i] = new ArrayDeque<>();
            }
            slotIds = new int[cpus][SLOTS];
            for (int[] s : slotIds) {
                Arrays.fill(s, -1);
            }
        }

        private int entity(int c, int id, boolean make) {
            for (int j = 0; j < SLOTS; j++) {
                if (slotIds[c][j] == id) {
                    return j * cpus + c;
                }
                if (slotIds[c][j] < 0) {
                    if (!make) {
                        return -1;
                    }
                    slotIds[c][j] = id;
                    return j * cpus + c;
                }
            }
            if (!make) {
                return -1;
            }
            throw new IllegalStateException("the test's PSO model buffers at most " + SLOTS + " locations a CPU");
        }

        private int loader() {
            return m.trial() != 0 ? m.trialCpu() : m.running();
        }

        private Object buffered(Location loc, int slot) {
            int c = loader();
            if (c < 0 || m.trial() != 0) {
                return Explored.MEMORY; // a trial reads memory (conservative for a test model)
            }
            int e = entity(c, m.locationId(loc, slot), false);
            if (e < 0) {
                return Explored.MEMORY;
            }
            Iterator<Buffered> it = buffers[e].descendingIterator();
            return it.hasNext() ? it.next().value() : Explored.MEMORY;
        }

        @Override
        public Object load(Location loc, int slot, Order order) {
            m.access(loc, slot, false);
            return buffered(loc, slot);
        }

        @Override
        public Object oracle(Location loc, int slot) {
            m.access(loc, slot, false);
            return buffered(loc, slot);
        }

        @Override
        public Object peekLocal(Location loc, int slot) {
            return buffered(loc, slot);
        }

        @Override
        public boolean store(Location loc, int slot, Object value, Order order) {
            int c = m.running();
            if (m.trial() != 0 || m.atomic() || m.ending() || c < 0 || order == Order.RELEASE) {
                if (order == Order.RELEASE && c >= 0 && m.trial() == 0 && !m.ending()) {
                    full(c, loc, slot, "");
                    return false; // the release store reaches memory after every earlier store
                }
                m.access(loc, slot, true);
                return false;
            }
            int id = m.locationId(loc, slot);
            buffers[entity(c, id, true)].addLast(new Buffered(loc, slot, value, id, m.stepsTaken(c)));
            m.noteDecision(c, "store buffered: {loc:" + id + "}" + (value instanceof Integer ? " = " + value : ""));
            return true;
        }

        @Override
        public void rmwBegin(Location loc, int slot, Order order) {
            int c = m.running();
            if (m.trial() != 0 || c < 0 || m.ending()) {
                m.access(loc, slot, true);
                return;
            }
            full(c, loc, slot, "");
        }

        @Override
        public void rmwEnd(Location loc, int slot) {}

        @Override
        public void fence(Fence fence) {
            int c = m.running();
            if (fence != Fence.RMB && c >= 0 && m.trial() == 0 && !m.ending()) {
                full(c, null, -1, fence == Fence.MB ? "smp_mb()" : "smp_wmb()");
            }
        }

        /** One step that drains CPU c's buffers (and touches loc); none when nothing is buffered and loc is null. */
        private void full(int c, Location loc, int slot, String what) {
            if (m.atomic()) {
                drain(c);
                if (loc != null) {
                    m.access(loc, slot, true);
                }
                return;
            }
            int[] fp = new int[SLOTS + 1];
            int n = 0;
            for (int j = 0; j < SLOTS; j++) {
                if (!buffers[j * cpus + c].isEmpty()) {
                    fp[n++] = slotIds[c][j] << 1 | 1;
                }
            }
            if (loc != null) {
                int id = m.locationId(loc, slot) << 1 | 1;
                boolean dup = false;
                for (int i = 0; i < n; i++) {
                    dup |= fp[i] == id;
                }
                if (!dup) {
                    fp[n++] = id;
                }
            }
            if (n == 0) {
                return;
            }
            m.step(Arrays.copyOf(fp, n), what);
            drain(c);
        }

        private void drain(int c) {
            for (int j = 0; j < SLOTS; j++) {
                ArrayDeque<Buffered> b = buffers[j * cpus + c];
                while (!b.isEmpty()) {
                    Buffered s = b.pollFirst();
                    s.loc().exploreSet(s.slot(), s.value());
                }
            }
        }

        @Override public boolean entityEnabled(int k) { return !buffers[k].isEmpty(); }
        @Override public boolean entityDone(int k) { return buffers[k].isEmpty(); }

        @Override
        public int[] entityFootprint(int k) {
            Buffered b = buffers[k].peekFirst();
            return b == null ? new int[0] : new int[] {b.id() << 1 | 1};
        }

        @Override
        public int entityOrigin(int k) {
            Buffered b = buffers[k].peekFirst();
            return b == null ? 0 : b.origin();
        }

        @Override
        public void entityStep(int k) {
            Buffered b = buffers[k].pollFirst();
            b.loc().exploreSet(b.slot(), b.value());
            m.written(b.id());
        }

        @Override public String entityName(int k) { return m.cpuName(k % cpus) + "'s store buffer " + k / cpus; }
        @Override public String entityContext(int k) { return "store buffer"; }

        @Override
        public String pending() {
            for (int k = 0; k < buffers.length; k++) {
                if (!buffers[k].isEmpty()) {
                    return "a store in " + entityName(k);
                }
            }
            return null;
        }
    }
}
