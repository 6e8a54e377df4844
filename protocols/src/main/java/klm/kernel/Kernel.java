package klm.kernel;

/**
 * The kernel's per-CPU context API, for {@code import static klm.kernel.Kernel.*}: irq and
 * bottom-half masking, the context predicates, might_sleep(), and an explicit interrupt point.
 * Everything acts on {@link Cpu#current()}.
 */
public final class Kernel {
    private Kernel() {}

    public static Cpu current() {
        return Cpu.current();
    }

    /** smp_processor_id(). */
    public static int smpProcessorId() {
        return Cpu.current().id();
    }

    /** in_task(): true in process context, also with bottom halves or irqs disabled. */
    public static boolean inTask() {
        Cpu c = Cpu.current();
        boolean r = c.context().inTask();
        if (c.explored) {
            String ctx = c.context().describe();
            c.noteDecision("in_task() = " + r + (ctx.equals("task") ? "" : ": " + ctx));
        }
        return r;
    }

    /** in_softirq(): serving a softirq or bottom halves disabled (softirq_count() != 0). */
    public static boolean inSoftirq() {
        return Cpu.current().context().inSoftirq();
    }

    /** in_serving_softirq(). */
    public static boolean inServingSoftirq() {
        return Cpu.current().softirqServing > 0;
    }

    /** in_hardirq() (in_irq()). */
    public static boolean inHardirq() {
        return Cpu.current().hardirqCount > 0;
    }

    /** in_interrupt(): hardirq, softirq served, or bottom halves disabled. */
    public static boolean inInterrupt() {
        ExecContext c = Cpu.current().context();
        return c.inHardirq() || c.inSoftirq();
    }

    /** irqs_disabled(). */
    public static boolean irqsDisabled() {
        return Cpu.current().irqsDisabled;
    }

    /** local_irq_disable(). */
    public static void localIrqDisable() {
        Cpu.current().irqsDisabled = true;
    }

    /** local_irq_enable(): pending interrupts run now. */
    public static void localIrqEnable() {
        Cpu c = Cpu.current();
        c.irqsDisabled = false;
        c.pollInterrupts();
    }

    /** local_irq_save(): returns the flags to restore (1 = irqs were disabled). */
    public static long localIrqSave() {
        Cpu c = Cpu.current();
        long flags = c.irqsDisabled ? 1 : 0;
        c.irqsDisabled = true;
        return flags;
    }

    /** local_irq_restore(flags). */
    public static void localIrqRestore(long flags) {
        Cpu c = Cpu.current();
        c.irqsDisabled = flags != 0;
        if (!c.irqsDisabled) {
            c.pollInterrupts();
        }
    }

    /** local_bh_disable(). */
    public static void localBhDisable() {
        Cpu.current().bhDisableCount++;
    }

    /** local_bh_enable(): softirqs raised meanwhile run now (do_softirq). */
    public static void localBhEnable() {
        Cpu c = Cpu.current();
        if (c.bhDisableCount == 0) {
            throw new KernelBug("BH_UNBALANCED", "local_bh_enable() without local_bh_disable() on " + c.describe());
        }
        c.bhDisableCount--;
        c.pollInterrupts();
    }

    /** preempt_disable() / preempt_enable(), as spin locks do. */
    public static void preemptDisable() {
        Cpu.current().preemptCount++;
    }

    public static void preemptEnable() {
        Cpu c = Cpu.current();
        c.preemptCount--;
        c.pollInterrupts();
    }

    /** in_atomic() || irqs_disabled(): where sleeping is a bug. */
    public static boolean inAtomic() {
        Cpu c = Cpu.current();
        return c.preemptCount > 0 || c.irqsDisabled || c.hardirqCount > 0 || c.softirqServing > 0 || c.bhDisableCount > 0;
    }

    /** might_sleep(): "BUG: sleeping function called from invalid context". */
    public static void mightSleep(String what) {
        if (inAtomic()) {
            throw new KernelBug("SLEEP_IN_ATOMIC", "BUG: sleeping function called from invalid context: "
                    + what + " on " + Cpu.current().describe());
        }
    }

    /**
     * udelay(): time passing inside a critical section (draining, stop_machine, a long copy).
     * Under stress it spins {@code loops} times so that overlaps last long enough to happen on real
     * hardware; under Lincheck it does nothing, since Lincheck explores every interleaving
     * whatever the durations.
     */
    public static void udelay(int loops) {
        if (!Waits.bounded()) {
            return;
        }
        for (int i = 0; i < loops; i++) {
            Thread.onSpinWait();
        }
    }

    /** A point in model code where an interrupt may arrive (the kernel can be interrupted anywhere irqs are on). */
    public static void interruptPoint() {
        Cpu.current().pollInterrupts();
    }
}
