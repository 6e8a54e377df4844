package klm.kernel;

import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The one acquire/release hook point that every lock of the runtime calls, so a lock-order
 * validator can be attached without touching the protocols. With no listener attached the cost is
 * one read of an empty list. The annotations the kernel puts on hand-made locks
 * (lock_map_acquire_read() and friends) call it directly through {@link LockdepMap}.
 */
public final class LockHooks {
    private LockHooks() {}

    private static final CopyOnWriteArrayList<LockListener> LISTENERS = new CopyOnWriteArrayList<>();

    public static void attach(LockListener l) {
        LISTENERS.addIfAbsent(l);
    }

    public static void detach(LockListener l) {
        LISTENERS.remove(l);
    }

    public static boolean active() {
        return !LISTENERS.isEmpty();
    }

    public static void acquire(LockClass cls, Object instance, LockMode mode, boolean trylock) {
        if (!LISTENERS.isEmpty()) {
            fire(LockEvent.Kind.ACQUIRE, cls, instance, mode, trylock);
        }
    }

    public static void release(LockClass cls, Object instance, LockMode mode) {
        if (!LISTENERS.isEmpty()) {
            fire(LockEvent.Kind.RELEASE, cls, instance, mode, false);
        }
    }

    /** Whether an attached validator wants this trylock to fail as if the lock were contended. */
    public static boolean failTrylock(LockClass cls, Object instance) {
        if (LISTENERS.isEmpty()) {
            return false;
        }
        for (LockListener l : LISTENERS) {
            if (l.failTrylock(cls, instance)) {
                return true;
            }
        }
        return false;
    }

    private static void fire(LockEvent.Kind kind, LockClass cls, Object instance, LockMode mode, boolean trylock) {
        Cpu cpu = Cpu.current();
        LockEvent e = new LockEvent(kind, cls, instance, mode, trylock, cpu.context(), cpu);
        for (LockListener l : LISTENERS) {
            l.onLockEvent(e);
        }
    }
}
