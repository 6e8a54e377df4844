package klm.scenario;

import klm.kernel.DeadlockError;
import klm.kernel.KernelBug;

/**
 * What one run of a scenario ended in: {@code OK}, or a named bad outcome ({@code LOST_UPDATE},
 * {@code DEADLOCK}, {@code USE_AFTER_FREE}, ...) of a category that the checkers' verdicts use.
 */
public record Outcome(String name, Category category, String detail) {
    public enum Category { OK, VIOLATION, DEADLOCK, ERROR }

    public static final Outcome OK = new Outcome("OK", Category.OK, "");

    public static Outcome violation(String name, String detail) {
        return new Outcome(name, Category.VIOLATION, detail);
    }

    public static Outcome deadlock(String name, String detail) {
        return new Outcome(name, Category.DEADLOCK, detail);
    }

    /** The outcome an error thrown by a CPU's task stands for. */
    public static Outcome of(Throwable t) {
        if (t instanceof DeadlockError d) {
            return deadlock(d.outcome(), d.report());
        }
        if (t instanceof KernelBug b) {
            return violation(b.outcome(), b.getMessage());
        }
        if (t instanceof InvariantViolation v) {
            return violation(v.outcome(), v.getMessage());
        }
        return new Outcome("ERROR", Category.ERROR, t.toString());
    }

    /** The outcome names a {@link DeadlockError} can carry. */
    public static final java.util.Set<String> DEADLOCK_NAMES = java.util.Set.of("DEADLOCK", "SELF_DEADLOCK", "HANG", "COUNT_LEAK");

    /** The category of an outcome known only by name (as JCStress reports it). */
    public static Category categoryOf(String name) {
        if (name.equals("OK")) {
            return Category.OK;
        }
        if (DEADLOCK_NAMES.contains(name)) {
            return Category.DEADLOCK;
        }
        if (name.equals("ERROR")) {
            return Category.ERROR;
        }
        return Category.VIOLATION;
    }

    public boolean ok() {
        return category == Category.OK;
    }

    /** The prefix every failed run's AssertionError carries, so a checker's report can be classified. */
    public static final String MARK = "KLM-OUTCOME ";

    public String asFailureMessage() {
        return MARK + category + " " + name + ": " + detail;
    }

    /** Reads back {@link #asFailureMessage()} from a longer text (a Lincheck report), or null. */
    public static Outcome parseFailureMessage(String text) {
        if (text == null) {
            return null;
        }
        int i = text.indexOf(MARK);
        if (i < 0) {
            return null;
        }
        String rest = text.substring(i + MARK.length());
        String[] parts = rest.split(" ", 3);
        if (parts.length < 2) {
            return null;
        }
        String name = parts[1].endsWith(":") ? parts[1].substring(0, parts[1].length() - 1) : parts[1];
        String detail = parts.length > 2 ? parts[2].lines().findFirst().orElse("") : "";
        try {
            return new Outcome(name, Category.valueOf(parts[0]), detail);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
