package klm.kernel;

import java.lang.invoke.VarHandle;

/**
 * Kernel barriers (include/asm-generic/barrier.h) mapped onto Java fences.
 * smp_mb() is the only one the protocols need to be exact; the one-sided ones are mapped to
 * fences that are at least as strong as the kernel's.
 */
public final class Barrier {
    private Barrier() {}

    /** smp_mb(): full fence. */
    public static void smpMb() {
        VarHandle.fullFence();
    }

    /** smp_rmb(): loads before vs loads after (Java's acquire fence is stronger: also orders later stores). */
    public static void smpRmb() {
        VarHandle.acquireFence();
    }

    /** smp_wmb(): stores before vs stores after (Java's release fence is stronger: also orders earlier loads). */
    public static void smpWmb() {
        VarHandle.releaseFence();
    }
}
