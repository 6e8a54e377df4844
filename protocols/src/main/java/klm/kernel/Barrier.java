package klm.kernel;

import java.lang.invoke.VarHandle;

/**
 * Kernel barriers (include/asm-generic/barrier.h) mapped onto Java fences.
 * smp_mb() is the only one the protocols need to be exact; the one-sided ones are mapped to
 * fences that are at least as strong as the kernel's.
 */
public final class Barrier {
    private Barrier() {}

    /** smp_mb(): full fence; under the explorer, what its memory model makes of it. */
    public static void smpMb() {
        smpMb(Waits.EXPLORING);
    }

    /**
     * smp_mb() from runtime code that knows whether it runs under the explorer (a final field, free
     * under Lincheck): there the explorer's memory model decides what it orders.
     */
    static void smpMb(boolean explored) {
        VarHandle.fullFence();
        if (explored) {
            Explored.fence(Exploration.Fence.MB);
        }
    }

    /** smp_mb__after_spinlock(): a full barrier after a lock acquisition (as smp_mb() here). */
    public static void smpMbAfterSpinlock() {
        smpMb();
    }

    /** smp_rmb(): loads before vs loads after (Java's acquire fence is stronger: also orders later stores). */
    public static void smpRmb() {
        VarHandle.acquireFence();
        if (Waits.EXPLORING) {
            Explored.fence(Exploration.Fence.RMB);
        }
    }

    /** smp_wmb(): stores before vs stores after (Java's release fence is stronger: also orders earlier loads). */
    public static void smpWmb() {
        VarHandle.releaseFence();
        if (Waits.EXPLORING) {
            Explored.fence(Exploration.Fence.WMB);
        }
    }
}
