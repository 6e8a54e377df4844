package klm.kernel;

import java.util.function.BooleanSupplier;

/**
 * The hooks the runtime calls where the explorer must see or decide something: every access of
 * {@link Word}, {@link Ptr} and {@link PerCpuInt}, the barriers, the waits, a halt. They are called
 * only behind a variable's final {@code explored} field (a final field costs Lincheck nothing, a
 * static read it instruments), and do nothing while no exploration is installed.
 */
public final class Explored {
    private Explored() {}

    /** What a load answers when it reads the variable's memory (nothing buffered, the newest write). */
    public static final Object MEMORY = new Object();

    /** The exploration running in this JVM, if any (one at a time). */
    private static Exploration active;

    /** Installs {@code e} for the execution it runs; fails if another one is installed. */
    public static void install(Exploration e) {
        if (!Waits.EXPLORING) {
            throw new IllegalStateException("the explorer needs -Dklm.blocking=explorer (this JVM runs " + Waits.MODE + ")");
        }
        if (active != null) {
            throw new IllegalStateException("another exploration is running in this JVM");
        }
        active = e;
    }

    public static void uninstall(Exploration e) {
        if (active == e) {
            active = null;
        }
    }

    static Object load(Location loc, int slot, Exploration.Order order) {
        Exploration e = active;
        return e == null ? MEMORY : e.load(loc, slot, order);
    }

    static Object oracle(Location loc, int slot) {
        Exploration e = active;
        return e == null ? MEMORY : e.oracle(loc, slot);
    }

    static Object peekLocal(Location loc, int slot) {
        Exploration e = active;
        return e == null ? MEMORY : e.peekLocal(loc, slot);
    }

    static boolean store(Location loc, int slot, Object value, Exploration.Order order) {
        Exploration e = active;
        return e != null && e.store(loc, slot, value, order);
    }

    static void rmwBegin(Location loc, int slot, Exploration.Order order) {
        Exploration e = active;
        if (e != null) {
            e.rmwBegin(loc, slot, order);
        }
    }

    static void rmwEnd(Location loc, int slot) {
        Exploration e = active;
        if (e != null) {
            e.rmwEnd(loc, slot);
        }
    }

    static void fence(Exploration.Fence f) {
        Exploration e = active;
        if (e != null) {
            e.fence(f);
        }
    }

    static boolean await(Cpu cpu, BooleanSupplier cond, WaitRecord record, boolean idle) {
        return active.await(cpu, cond, record, idle);
    }

    static void halting(Smp smp) {
        Exploration e = active;
        if (e != null) {
            e.halting(smp);
        }
    }

    static boolean controlled() {
        Exploration e = active;
        return e != null && e.controls();
    }

    static boolean suppressInterrupts() {
        Exploration e = active;
        return e != null && e.suppressInterrupts();
    }

    static Cpu override() {
        Exploration e = active;
        return e == null ? null : e.override();
    }
}
