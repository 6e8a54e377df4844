package klm.explorer.memory;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Iterator;

import klm.kernel.Exploration.Fence;
import klm.kernel.Exploration.Order;
import klm.kernel.Explored;
import klm.kernel.Location;

/**
 * x86-TSO: each CPU's stores wait in its FIFO store buffer; its loads read its own newest buffered
 * store to a location before memory; a fully ordered operation (an RMW, a lock's acquisition or
 * release by a locked instruction, {@code smp_mb()}) drains the buffer first. A buffered store
 * reaching memory is a step of its own: each CPU's buffer is an entity the strategy schedules
 * (entity {@code cpus + c} is CPU c's buffer), named {@code b} in replay strings. {@code smp_rmb()}
 * and {@code smp_wmb()} order nothing TSO does not keep in order already.
 *
 * <p>Stores made inside a trial or atomic evaluation of a wait condition, by the controller, or
 * while the execution ends reach memory as under SC (the models' wait conditions store only
 * through RMWs, which drain the buffer anyway).
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
     * mmu-notifier's remove race ended complete and clean with them: a fully ordered step drains its
     * CPU's buffer, so the buffer's pending step vanished without ever racing with anything, and the
     * one execution that showed its race was cut by a sleep set. The DPOR now puts a buffer whose
     * pending step a fence consumed into the backtrack set of the state before the fence when a
     * later access races with the fence on a location it drained.
     */
    @Override
    public boolean sleepSetsSound() {
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
        /** The trial in which the waiter's buffer was drained (to memory, undone after): its loads skip the buffer. */
        private long drainedIn;

        @SuppressWarnings("unchecked")
        Buffers(Machine m) {
            this.m = m;
            buffers = new ArrayDeque[m.cpus()];
            for (int i = 0; i < buffers.length; i++) {
                buffers[i] = new ArrayDeque<>();
            }
        }

        /** The CPU whose buffer the current code reads through: the waiter's in a trial, else the running CPU's. */
        private int loader() {
            return m.trial() != 0 ? m.trialCpu() : m.running();
        }

        /** The newest store to {@code loc} in the loading CPU's own buffer, or MEMORY. */
        private Object buffered(Location loc, int slot) {
            int c = loader();
            if (c < 0 || (m.trial() != 0 && drainedIn == m.trial())) {
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
            // shown in the counterexample before the CPU's next step; Trace resolves {loc:N} to the variable's name
            m.noteDecision(c, "store buffered: {loc:" + id + "}" + (value == null || value instanceof Integer ? " = " + value : ""));
            return true;
        }

        /** Every RMW is a locked instruction on x86: it drains the buffer first. */
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
         * A fully ordered operation on {@code loc} (null: a fence): one step whose footprint is the
         * CPU's buffered stores and the location; when it runs, the buffer drains to memory, then
         * the caller's RMW reaches memory. A fence with nothing buffered orders nothing: not a step.
         */
        private void full(Location loc, int slot, String what) {
            if (m.trial() != 0) {
                int c = m.trialCpu();
                if (c >= 0 && drainedIn != m.trial()) {
                    for (Buffered b : buffers[c]) { // the waiter's stores reach memory first: undone after the trial
                        m.trialWrite(b.loc(), b.slot(), b.value());
                    }
                    drainedIn = m.trial();
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
                drain(c); // the chosen waiter's condition, for real: its trial footprint had the buffer
                return;
            }
            if (loc == null && buffers[c].isEmpty()) {
                return;
            }
            int[] fp = new int[buffers[c].size() + 1];
            int n = 0;
            for (Buffered b : buffers[c]) {
                n = add(fp, n, b.id() << 1 | 1);
            }
            if (loc != null) {
                n = add(fp, n, m.locationId(loc, slot) << 1 | 1);
            }
            m.step(Arrays.copyOf(fp, n), what);
            drain(c);
        }

        private static int add(int[] fp, int n, int packed) {
            for (int i = 0; i < n; i++) {
                if (fp[i] == packed) {
                    return n;
                }
            }
            fp[n] = packed;
            return n + 1;
        }

        /** CPU {@code c}'s buffered stores reach memory, oldest first. */
        private void drain(int c) {
            while (!buffers[c].isEmpty()) {
                Buffered b = buffers[c].pollFirst();
                b.loc().exploreSet(b.slot(), b.value());
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
            return b == null ? new int[0] : new int[] {b.id() << 1 | 1};
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
