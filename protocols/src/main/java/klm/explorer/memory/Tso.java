package klm.explorer.memory;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Iterator;
import java.util.function.BooleanSupplier;

import klm.kernel.Exploration.Fence;
import klm.kernel.Exploration.Order;
import klm.kernel.Explored;
import klm.kernel.Location;

/**
 * x86-TSO: each CPU's stores wait in its FIFO store buffer; its loads read its own newest buffered
 * store to a location before memory. A buffered store reaching memory is a step of its own: each
 * CPU's buffer is an entity the strategy schedules (entity {@code cpus + c} is CPU c's buffer),
 * named {@code b} in replay strings. A fully ordered operation (an RMW, a lock's acquisition or
 * release by a locked instruction, {@code smp_mb()}) is a step that may run only when its CPU's
 * buffer is empty, as on x86, where a locked instruction or MFENCE completes with the buffer
 * drained: the buffer's own steps drain it, and no step moves another entity's stores. Each buffer
 * has an order-only location ({@link Machine#orderLocation}) that its steps write and its CPU's
 * fully ordered steps read, so the strategy orders the buffer's steps before the fence; on every
 * other location a buffer and its own CPU commute ({@link #entitiesCommuteWithTheirCpu}).
 * {@code smp_rmb()} and {@code smp_wmb()} order nothing TSO does not keep in order already.
 *
 * <p>Stores made inside a trial or atomic evaluation of a wait condition, by the controller, or
 * while the execution ends reach memory as under SC (the models' wait conditions store only
 * through RMWs, and a condition that takes a lock passes only with the waiter's buffer empty).
 */
public final class Tso implements MemoryModel {
    public static final Tso MODEL = new Tso();

    private Tso() {}

    @Override
    public String id() {
        return "tso";
    }

    @Override
    public String title() {
        return "x86-TSO";
    }

    @Override
    public String legend() {
        return "**tso** (x86-TSO): each CPU's stores wait in a FIFO store buffer, so a store may be passed by the same"
                + " CPU's later load (store buffering); stores stay in order, loads stay in order, and a store reaches every"
                + " other CPU at once; locked operations and smp_mb() drain the buffer.";
    }

    @Override
    public String traceLegend() {
        return "a `(store buffered: ...)` row is a store that waits in its CPU's buffer, a `[store buffer]` row that"
                + " store reaching memory";
    }

    @Override
    public MemoryModel stronger() {
        return Sc.MODEL;
    }

    /**
     * True. They were off while explorations of the percpu rw-semaphore without barrier A and of
     * mmu-notifier's remove race ended complete and clean with them: a fully ordered step drained its
     * CPU's buffer inside its own step, so the buffer's pending step vanished without ever racing with
     * anything, and the one execution that showed its race was cut by a sleep set. A fully ordered
     * step now waits until the buffer's own steps have emptied it, so every store reaches memory by a
     * step of its buffer, which races with what it should.
     */
    @Override
    public boolean sleepSetsSound() {
        return true;
    }

    /**
     * True: a buffer's step writes its oldest store; its CPU's load of that location reads the
     * CPU's newest buffered store to it, which is in memory or still buffered afterwards, the same
     * value either way; a fully ordered step of the CPU, the only kind that could tell the
     * difference, waits until the buffer is empty and is ordered after its steps by the buffer's
     * order-only location.
     */
    @Override
    public boolean entitiesCommuteWithTheirCpu() {
        return true;
    }

    @Override
    public int extraEntities(int cpus) {
        return cpus;
    }

    @Override
    public String entityLetter() {
        return "b";
    }

    @Override
    public String entityKind() {
        return "store buffer";
    }

    @Override
    public boolean readChoices() {
        return false;
    }

    @Override
    public Memory newMemory(Machine machine) {
        return new Buffers(machine);
    }

    /** A store waiting in a CPU's buffer: where it goes, what it writes, its location id, and its program point. */
    private record Buffered(Location loc, int slot, Object value, int id, int origin) {}

    private static final class Buffers implements Memory {
        private final Machine m;
        private final ArrayDeque<Buffered>[] buffers;
        /** Per CPU: whether it has buffered a store since its last fully ordered step (then its next smp_mb() is a step). */
        private final boolean[] storedSince;
        /** Per CPU: the id of its buffer's order-only location (-1: not given yet), written by the buffer's steps, read by the CPU's fully ordered ones. */
        private final int[] order;
        /** Per CPU: whether its store buffer is empty, the condition of its fully ordered steps. */
        private final BooleanSupplier[] emptied;

        @SuppressWarnings("unchecked")
        Buffers(Machine m) {
            this.m = m;
            buffers = new ArrayDeque[m.cpus()];
            for (int i = 0; i < buffers.length; i++) {
                buffers[i] = new ArrayDeque<>();
            }
            storedSince = new boolean[m.cpus()];
            order = new int[m.cpus()];
            Arrays.fill(order, -1);
            emptied = new BooleanSupplier[m.cpus()];
            for (int i = 0; i < emptied.length; i++) {
                emptied[i] = buffers[i]::isEmpty;
            }
        }

        private int order(int c) {
            if (order[c] < 0) {
                order[c] = m.orderLocation(m.cpuName(c) + "'s store buffer");
            }
            return order[c];
        }

        /** The CPU whose buffer the current code reads through: the waiter's in a trial, else the running CPU's. */
        private int loader() {
            return m.trial() != 0 ? m.trialCpu() : m.running();
        }

        /** The newest store to {@code loc} in the loading CPU's own buffer, or MEMORY. */
        private Object buffered(Location loc, int slot) {
            int c = loader();
            if (c < 0) {
                return Explored.MEMORY;
            }
            Iterator<Buffered> it = buffers[c].descendingIterator();
            while (it.hasNext()) {
                Buffered b = it.next();
                if (b.loc() == loc && b.slot() == slot) {
                    return b.value();
                }
            }
            return Explored.MEMORY;
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
            if (m.trial() != 0 || m.atomic() || m.ending() || c < 0) {
                m.access(loc, slot, true);
                return false;
            }
            int id = m.locationId(loc, slot);
            buffers[c].addLast(new Buffered(loc, slot, value, id, m.stepsTaken(c)));
            storedSince[c] = true;
            // shown in the counterexample before the CPU's next step; Trace resolves {loc:N} to the variable's name
            m.noteDecision(c, "store buffered: {loc:" + id + "}" + (value == null || value instanceof Integer ? " = " + value : ""));
            return true;
        }

        /** Every RMW is a locked instruction on x86: it waits until the buffer is empty. */
        @Override
        public void rmwBegin(Location loc, int slot, Order order) {
            full(loc, slot, "");
        }

        @Override
        public void rmwEnd(Location loc, int slot) {}

        @Override
        public void fence(Fence fence) {
            if (fence == Fence.MB) {
                full(null, -1, "smp_mb()");
            }
        }

        /**
         * A fully ordered operation on {@code loc} (null: a fence): one step, which may run only
         * when the CPU's buffer is empty (x86 drains it before a locked instruction or MFENCE
         * completes: here the buffer's own steps drain it, and the CPU waits); its footprint is
         * the location, written, and a read of the buffer's order-only location, which each of the
         * buffer's steps writes, so the buffer's steps happen before it. A fence is a step only
         * when the CPU has buffered a store since its last fully ordered step, whether or not the
         * buffer has drained since: which steps a CPU takes then follows from its own program,
         * never from when its buffer's steps ran. In a trial or the atomic evaluation of a wait
         * condition the condition passes only with the waiter's buffer empty.
         */
        private void full(Location loc, int slot, String what) {
            if (m.trial() != 0) {
                int c = m.trialCpu();
                if (c >= 0) {
                    m.step(new int[] {order(c) << 1}, what, emptied[c]);
                }
                if (loc != null) {
                    m.access(loc, slot, true);
                }
                return;
            }
            int c = m.running();
            if (c < 0 || m.ending()) {
                return;
            }
            if (m.atomic()) {
                // the chosen waiter's condition, for real: its trial found the buffer empty
                m.step(new int[] {order(c) << 1}, what, emptied[c]);
                storedSince[c] = false;
                return;
            }
            if (loc == null && !storedSince[c]) {
                return; // nothing stored since the last fully ordered step: the fence orders nothing
            }
            int[] fp = loc == null ? new int[] {order(c) << 1} : new int[] {m.locationId(loc, slot) << 1 | 1, order(c) << 1};
            m.step(fp, what, emptied[c]);
            storedSince[c] = false;
            if (!buffers[c].isEmpty()) {
                throw new IllegalStateException(m.cpuName(c) + "'s fully ordered step ran with " + buffers[c].size()
                        + " store(s) in its store buffer");
            }
        }

        @Override
        public boolean entityEnabled(int k) {
            return !buffers[k].isEmpty();
        }

        @Override
        public boolean entityDone(int k) {
            return buffers[k].isEmpty();
        }

        @Override
        public int[] entityFootprint(int k) {
            Buffered b = buffers[k].peekFirst();
            return b == null ? new int[0] : new int[] {b.id() << 1 | 1, order(k) << 1 | 1};
        }

        @Override
        public int entityOrigin(int k) {
            Buffered b = buffers[k].peekFirst();
            return b == null ? 0 : b.origin();
        }

        /** The oldest store of CPU {@code k}'s buffer reaches memory. */
        @Override
        public void entityStep(int k) {
            Buffered b = buffers[k].pollFirst();
            b.loc().exploreSet(b.slot(), b.value());
            m.written(b.id());
            m.written(order(k)); // a waiter whose condition takes a lock may now find the buffer empty
        }

        @Override
        public String entityName(int k) {
            return m.cpuName(k) + "'s store buffer";
        }

        @Override
        public String entityContext(int k) {
            return "store buffer";
        }

        @Override
        public String pending() {
            for (int c = 0; c < buffers.length; c++) {
                if (!buffers[c].isEmpty()) {
                    return buffers[c].size() + " store(s) in " + m.cpuName(c) + "'s store buffer";
                }
            }
            return null;
        }
    }
}
