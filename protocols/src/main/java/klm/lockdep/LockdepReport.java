package klm.lockdep;

/**
 * One lockdep splat: its kind (the outcome name a checker reports), the kernel's headline, and the
 * whole text in the kernel's shape (the chain or the usage states, then "Possible unsafe locking
 * scenario" with CPU0/CPU1 columns, then "*** DEADLOCK ***").
 */
public record LockdepReport(Kind kind, String headline, String text) {
    public enum Kind {
        /** "possible circular locking dependency detected". */
        CIRCULAR_DEPENDENCY,
        /** "possible recursive locking detected". */
        RECURSIVE_LOCKING,
        /** "inconsistent {X} -> {Y} usage.". */
        INCONSISTENT_USAGE,
        /** "SOFTIRQ-safe -> SOFTIRQ-unsafe lock order detected" (or HARDIRQ). */
        IRQ_SAFE_TO_UNSAFE,
        /** "possible irq lock inversion dependency detected". */
        IRQ_INVERSION
    }
}
