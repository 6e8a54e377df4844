package klm.kernel;

/**
 * A snapshot of the context a CPU is in, as the kernel's preempt_count and irq flag describe it.
 * Lock hooks carry one, so that a validator can record "taken in softirq", "taken with softirqs
 * enabled", and so on.
 */
public record ExecContext(int cpu, boolean inHardirq, boolean inServingSoftirq, boolean bhDisabled,
                          boolean irqsDisabled) {

    /** in_task(): not in NMI, hardirq or a softirq being served (BH disabled is still task context). */
    public boolean inTask() {
        return !inHardirq && !inServingSoftirq;
    }

    /** in_softirq(): serving a softirq, or bottom halves disabled. */
    public boolean inSoftirq() {
        return inServingSoftirq || bhDisabled;
    }

    /** Softirqs could run here (they are neither disabled nor already being served, and irqs are on). */
    public boolean softirqsEnabled() {
        return !inSoftirq() && !inHardirq && !irqsDisabled;
    }

    /** Hard interrupts could run here. */
    public boolean hardirqsEnabled() {
        return !irqsDisabled;
    }

    /** "task", "softirq" or "hardirq", with the masks, for reports. */
    public String describe() {
        String where = inHardirq ? "hardirq" : inServingSoftirq ? "softirq" : "task";
        StringBuilder sb = new StringBuilder(where);
        if (irqsDisabled) sb.append(", irqs off");
        if (bhDisabled && !inServingSoftirq) sb.append(", BH off");
        return sb.toString();
    }
}
