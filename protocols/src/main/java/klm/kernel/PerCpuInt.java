package klm.kernel;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A per-CPU int (DEFINE_PER_CPU(unsigned int, ...)). Each slot is written only by the CPU that
 * owns it (its task and its interrupts run on the same thread), so this_cpu_inc() is modeled as an
 * opaque read and an opaque write: like x86's single non-locked {@code incl %gs:...}, it is
 * irq-safe on its own CPU and is NOT a barrier. Using an atomic add here would insert a full fence
 * and hide exactly the store-buffering bugs the percpu rw-semaphore barriers exist for.
 */
public final class PerCpuInt implements Location {
    private static final VarHandle A = MethodHandles.arrayElementVarHandle(int[].class);
    private final int[] slots;
    private final boolean explored = Waits.EXPLORING;
    /** Every access volatile (klm.access=volatile, for Fray). */
    private final boolean vol = AccessMode.VOLATILE;

    public PerCpuInt(int nrCpus) {
        this.slots = new int[nrCpus];
    }

    public int nrCpus() { return slots.length; }

    private int slotOf(Cpu cpu) {
        int id = cpu.id();
        if (id < 0 || id >= slots.length) {
            throw new IllegalStateException("per-CPU access from " + cpu.name() + " (id " + id
                    + "), but this variable has " + slots.length
                    + " CPUs; run the code on a simulated CPU (Smp.cpu(n).runOn or a CpuThread)");
        }
        return id;
    }

    /** this_cpu_inc(). */
    public void thisCpuInc() { thisCpuAdd(1); }

    /** this_cpu_dec(). */
    public void thisCpuDec() { thisCpuAdd(-1); }

    /** this_cpu_add(). */
    public void thisCpuAdd(int delta) {
        int i = slotOf(Cpu.current());
        if (explored) {
            // x86's this_cpu_add() is one instruction without a lock prefix: a plain store that a memory
            // model may keep pending (only this CPU writes its slot, so reading its own latest value is local)
            Object b = Explored.peekLocal(this, i);
            int cur = b != Explored.MEMORY ? (Integer) b : (int) A.getOpaque(slots, i);
            if (Explored.store(this, i, cur + delta, Exploration.Order.RELAXED)) {
                return; // kept pending by the memory model
            }
            // otherwise one step: only this CPU writes its slot, and
            // interrupts come at interrupt points
        }
        if (vol) {
            A.setVolatile(slots, i, (int) A.getVolatile(slots, i) + delta);
            return;
        }
        A.setOpaque(slots, i, (int) A.getOpaque(slots, i) + delta);
    }

    /** per_cpu(var, cpu) read with READ_ONCE. */
    public int readOnce(int cpu) {
        if (explored) {
            Object b = Explored.load(this, cpu, Exploration.Order.RELAXED);
            if (b != Explored.MEMORY) {
                return (Integer) b;
            }
        }
        return vol ? (int) A.getVolatile(slots, cpu) : (int) A.getOpaque(slots, cpu);
    }

    /** per_cpu_sum(): READ_ONCE of every slot, summed; not atomic as a whole, as in the kernel. */
    public int perCpuSum() {
        int sum = 0;
        for (int i = 0; i < slots.length; i++) {
            sum += explored || vol ? readOnce(i) : (int) A.getOpaque(slots, i); // under the explorer one step per slot: the sum is not atomic
        }
        return sum;
    }

    @Override
    public Object exploreGet(int slot) { return slots[slot]; }

    @Override
    public void exploreSet(int slot, Object value) { slots[slot] = (Integer) value; }

    @Override
    public int width() { return slots.length; }
}
