package klm.explorer.memory;

import klm.kernel.Exploration.Fence;
import klm.kernel.Exploration.Order;
import klm.kernel.Explored;
import klm.kernel.Location;

/**
 * The release/acquire "views" model ({@link Views}): every store and load is a step; a load may
 * read any write its CPU's view does not rule out, and a store may take any place in coherence
 * order after what its CPU's view covers, which the strategy chooses (named {@code r} in replay
 * strings: {@code 0r1} reads the write one older than the newest, or places the write before the
 * newest). An RMW chooses the write it reads the same way, its write going right after that one.
 * Release stores and RMWs
 * carry the writer's view, acquire loads join it; {@code smp_mb()} and the fully ordered RMWs are SC
 * fences, whose order is checked on the execution's graph ({@link FenceGraph}), not enumerated: a
 * load is offered only the writes some order of the full barriers allows, and a barrier is a step
 * that touches nothing, so the DPOR never reverses two ({@link #FENCE_ORDER_ENUMERATED}, the tests'
 * oracle, takes the order from the schedule instead); a fence
 * before its CPU's first access orders nothing, and when that first access is a fully ordered RMW,
 * its barrier after it runs as a step of its own before the CPU's next access, not at all if none
 * follows (LKMM's strong-fence needs an access on each side); a
 * READ_ONCE() of a pointer is an acquire load (the model has no dependencies).
 *
 * <p>A wait condition reads the newest writes (as a spinning CPU eventually does), and so do the
 * trial evaluations and the controller; they change no view. So does an interrupt point's read of
 * the runtime's pending interrupts ({@code Order.DELIVERY}), with an acquire's ordering, as an
 * ordinary step: when an interrupt arrives is the schedule's choice, not an older write's.
 */
public final class Ra implements MemoryModel {
    public static final Ra MODEL = new Ra(true);
    /**
     * The same model with the order of full barriers taken from the schedule (one global fence
     * view, every two barriers of two CPUs a race the DPOR reverses): what {@link #MODEL} checks
     * on the execution's graph instead ({@link FenceGraph}). The tests' walk over every interleaving
     * runs under it, so the check is compared with the enumeration it replaces.
     */
    static final Ra FENCE_ORDER_ENUMERATED = new Ra(false);

    /** Whether the order of full barriers is checked on a {@link FenceGraph} (else the global fence view, in schedule order). */
    private final boolean checked;

    private Ra(boolean checked) {
        this.checked = checked;
    }

    @Override
    public String id() {
        return "ra";
    }

    @Override
    public String title() {
        return "its release/acquire model";
    }

    @Override
    public String legend() {
        return "**ra** (release/acquire, the views model): a load may read an older write its CPU's view allows, so"
                + " stores may pass stores and loads may pass loads unless a release, an acquire or a barrier orders them;"
                + " a write may take any place in its variable's coherence order after the writes its CPU's view covers"
                + " (never between an RMW's write and the write that RMW read); it cannot show load buffering (a load"
                + " reading a write that runs after its CPU's later store).";
    }

    /** Every TSO behaviour is a release/acquire behaviour too. */
    @Override
    public String traceLegend() {
        return "a row marked `reads an old write` is a load that read a write older than the newest, which"
                + " its CPU's view allowed";
    }

    @Override
    public MemoryModel stronger() {
        return Tso.MODEL;
    }

    @Override
    public boolean sleepSetsSound() {
        return true;
    }

    @Override
    public boolean readChoices() {
        return true;
    }

    /**
     * True: a load may read any write from its CPU's view on, so a write W of another CPU that runs
     * before a load L of its location never takes a choice away from L; it only adds itself. Every
     * write L reads with L before W, L may read with W first: W does not move L's view, and when W
     * goes into the history every view's and message's place at or after W's moves up by one, so
     * the write L read is still at or after L's view; W's own choice of place depends on its CPU's
     * view only, which L does not change, and L's step changes only its CPU's views, which W does not
     * read. Both orders reach the same state. The DPOR therefore does not reverse the race of W
     * with L (the reversed order reaches nothing new), and orders L after the write it read only,
     * which the model reports ({@link Machine#readFrom}), not after the last write of its location
     * as under SC: with the reversal gone, that edge would make L look ordered after W when it read
     * an older write, and hide the races of L's later steps. A write after a load still races with
     * it (with the write first, the load may read it), and so do RMWs, wait conditions (which read
     * the newest write) and the checker's reads. {@code RaRandomProgramsTest} checks the rule
     * against the walk over every interleaving and read choice.
     */
    @Override
    public boolean loadsFollowReadsFrom() {
        return true;
    }

    @Override
    public Memory newMemory(Machine machine) {
        return new ViewState(machine, checked);
    }

    /**
     * Under {@link #FENCE_ORDER_ENUMERATED}, the order of full barriers, held in the global fence
     * view: a fully ordered RMW and an smp_mb() that would add to the fence view write it, so the
     * DPOR orders them; an smp_mb() whose CPU's view the fence view already covers only reads it
     * ({@link Views#fenceOnlyReads}), so two such fences are not reversed.
     */
    private static final Location FENCES = new Location() {
        @Override
        public Object exploreGet(int slot) {
            return null;
        }

        @Override
        public void exploreSet(int slot, Object value) {}

        @Override
        public String toString() {
            return "full-barrier order";
        }
    };

    private static final class ViewState extends NoEntities {
        private final Machine m;
        private final Views views;
        /** Whether the order of full barriers is checked, not enumerated: a barrier is then a step that touches nothing. */
        private final boolean checked;

        ViewState(Machine m, boolean checked) {
            this.m = m;
            this.checked = checked;
            if (checked) {
                int[] ids = new int[m.cpus()];
                for (int c = 0; c < ids.length; c++) {
                    ids[c] = m.orderLocation("full barriers of " + m.cpuName(c)); // an id no variable has, for the views' entry
                }
                this.views = new Views(m.cpus(), ids);
            } else {
                this.views = new Views(m.cpus());
            }
        }

        /** A full barrier's footprint: the order of full barriers (written), or nothing when that order is checked. */
        private int[] barrier() {
            return checked ? new int[0] : new int[] {m.locationId(FENCES, -1) << 1 | 1};
        }

        /**
         * The CPU whose views the current operation changes: the running CPU, or -1 in a trial (which
         * changes no view), while the execution ends, or on the controller.
         */
        private int acting() {
            return m.trial() != 0 || m.ending() ? -1 : m.running();
        }

        /**
         * Before an access of the running CPU (or of the CPU a trial evaluates for): the barrier a
         * fully ordered RMW that was its first access left pending, as a step of its own on the
         * full-barrier order, as an smp_mb() there would be.
         */
        private void pendingBarrier() {
            int c = m.trial() != 0 ? m.trialCpu() : acting();
            if (c < 0 || !views.barrierPending(c)) {
                return;
            }
            m.step(barrier(), "smp_mb() after the RMW");
            if (m.trial() == 0) {
                views.pendingBarrier(c);
            }
        }

        @Override
        public Object load(Location loc, int slot, Order order) {
            pendingBarrier();
            boolean delivery = order == Order.DELIVERY; // the runtime's interrupt bookkeeping: the newest write
            if (delivery) {
                m.access(loc, slot, false); // ordered after the last write, as under SC: a raise it does not see comes after it
            } else {
                m.loadStep(loc, slot); // it reads any write its view allows, and says which (loadsFollowReadsFrom)
            }
            int c = acting();
            if (c < 0) {
                return Explored.MEMORY; // a trial reads the newest writes and changes no view; so does the controller
            }
            int id = m.locationId(loc, slot);
            int back = 0;
            if (!m.atomic() && !delivery) { // a wait condition, when it runs, reads the newest writes
                int n = views.candidates(c, id, loc, slot);
                if (n > 1) {
                    back = m.chooseRead(n);
                }
            }
            boolean acquire = order == Order.ACQUIRE || order == Order.ADDRESS || order == Order.FULL || delivery;
            Object v = views.load(c, id, loc, slot, back, acquire);
            if (!delivery) {
                m.readFrom(views.readStep()); // only a marked load (loadStep) reports the write it read
            }
            return v;
        }

        @Override
        public Object oracle(Location loc, int slot) {
            m.access(loc, slot, false);
            return Explored.MEMORY;
        }

        @Override
        public Object peekLocal(Location loc, int slot) {
            return Explored.MEMORY;
        }

        @Override
        public boolean store(Location loc, int slot, Object value, Order order) {
            pendingBarrier();
            m.access(loc, slot, true);
            int c = acting();
            if (c < 0) {
                return false;
            }
            int id = m.locationId(loc, slot);
            int back = 0;
            boolean release = order == Order.RELEASE || order == Order.FULL;
            if (!m.atomic()) { // a write may go before writes its CPU has not seen, in coherence order
                int n = views.placements(c, id, loc, slot, release);
                if (n > 1) {
                    back = m.chooseRead(n);
                }
            }
            return views.store(c, id, loc, slot, value, release, back, m.currentStep());
        }

        @Override
        public void rmwBegin(Location loc, int slot, Order order) {
            boolean full = order == Order.FULL;
            boolean acquire = full || order == Order.ACQUIRE;
            boolean release = full || order == Order.RELEASE;
            if (!full) {
                pendingBarrier(); // a full RMW's barrier before it runs the pending one in its own step
            }
            if (m.trial() != 0) {
                m.access(loc, slot, true);
                int t = m.trialCpu();
                if (full && !checked && (t < 0 || views.accessed(t))) {
                    m.step(barrier(), "");
                }
                return;
            }
            int c = acting();
            if (c < 0) {
                return;
            }
            int id = m.locationId(loc, slot);
            // a full RMW that is its CPU's first access runs no barrier in its step: the one before
            // it orders nothing, the one after it is left for the CPU's next access
            boolean fences = full && views.accessed(c) && !checked;
            m.step(fences ? new int[] {id << 1 | 1, m.locationId(FENCES, -1) << 1 | 1} : new int[] {id << 1 | 1}, "");
            views.rmwBegin(c, id, loc, slot, acquire, release, full, n -> m.atomic() ? 0 : m.chooseRead(n));
        }

        @Override
        public void rmwEnd(Location loc, int slot) {
            int c = acting();
            if (c >= 0) {
                views.rmwEnd(c, loc, slot, m.currentStep());
            }
        }

        @Override
        public void fence(Fence fence) {
            if (fence != Fence.MB) {
                int c = acting();
                if (c >= 0) {
                    if (fence == Fence.WMB) {
                        views.wmb(c);
                    } else {
                        views.rmb(c);
                    }
                }
                return;
            }
            if (m.trial() != 0) {
                m.step(barrier(), "smp_mb()");
                return;
            }
            int c = acting();
            if (c < 0) {
                return;
            }
            // a fence that would add nothing to the global fence view only reads it (see Views.fenceOnlyReads)
            m.step(checked ? barrier() : new int[] {m.locationId(FENCES, -1) << 1 | (views.fenceOnlyReads(c) ? 0 : 1)}, "smp_mb()");
            views.fence(c);
        }

        @Override
        public String pending() {
            return null;
        }
    }
}
