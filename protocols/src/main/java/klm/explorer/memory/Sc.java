package klm.explorer.memory;

import klm.kernel.Exploration.Fence;
import klm.kernel.Exploration.Order;
import klm.kernel.Explored;
import klm.kernel.Location;

/**
 * Sequential consistency: every access reaches memory when it runs, and reads the newest write.
 * A fence commutes with every other operation, so it is not a step: a choice there could never
 * produce a new behaviour.
 */
public final class Sc implements MemoryModel {
    public static final Sc MODEL = new Sc();

    private Sc() {}

    @Override
    public String id() {
        return "sc";
    }

    @Override
    public String title() {
        return "sequential consistency";
    }

    @Override
    public String legend() {
        return "**sc** (sequential consistency): every access reaches memory when it runs, so what it can show is"
                + " an interleaving of the CPUs' steps; it shows no reordering.";
    }

    @Override
    public String traceLegend() {
        return "";
    }

    @Override
    public MemoryModel stronger() {
        return null;
    }

    @Override
    public boolean sleepSetsSound() {
        return true;
    }

    @Override
    public Memory newMemory(Machine machine) {
        return new State(machine);
    }

    private static final class State extends NoEntities {
        private final Machine m;

        State(Machine m) {
            this.m = m;
        }

        @Override
        public Object load(Location loc, int slot, Order order) {
            m.access(loc, slot, false);
            return Explored.MEMORY;
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
            m.access(loc, slot, true);
            return false;
        }

        @Override
        public void rmwBegin(Location loc, int slot, Order order) {
            m.access(loc, slot, true);
        }

        @Override
        public void rmwEnd(Location loc, int slot) {}

        @Override
        public void fence(Fence fence) {}

        @Override
        public String pending() {
            return null;
        }
    }
}
