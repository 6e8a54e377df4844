package klm.kernel;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;

/**
 * The locks a CPU holds, like lockdep's per-task held_locks: written only by the CPU's own thread,
 * read by the deadlock detector of another CPU. The version is bumped (with release) on every
 * change, so a reader can take a consistent copy and can tell "nothing moved between two looks".
 */
final class HeldLocks {
    private static final VarHandle VERSION;

    static {
        try {
            VERSION = MethodHandles.lookup().findVarHandle(HeldLocks.class, "version", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    record Entry(Object lock, String name, LockMode mode, String context) {}

    private final Entry[] entries = new Entry[48];
    private int depth;
    private long version;

    void push(Object lock, String name, LockMode mode, String context) {
        if (depth == entries.length) {
            throw new IllegalStateException("more than " + entries.length + " locks held at once (MAX_LOCK_DEPTH)");
        }
        entries[depth++] = new Entry(lock, name, mode, context);
        bump();
    }

    void pop(Object lock) {
        for (int i = depth - 1; i >= 0; i--) {
            if (entries[i].lock() == lock) {
                System.arraycopy(entries, i + 1, entries, i, depth - i - 1);
                entries[--depth] = null;
                bump();
                return;
            }
        }
        // Released by a CPU that did not take it (legal for semaphores in the kernel): nothing to drop here.
        bump();
    }

    int depth() {
        return depth;
    }

    /** Drops the entries above {@code d} (the explorer undoing a trial evaluation). */
    void truncate(int d) {
        while (depth > d) {
            entries[--depth] = null;
        }
        bump();
    }

    void bump() {
        VERSION.setRelease(this, (long) VERSION.getOpaque(this) + 1);
    }

    long version() {
        return (long) VERSION.getAcquire(this);
    }

    /** A consistent copy, or null if the owner changed it while we read (the caller just retries later). */
    List<Entry> snapshot() {
        long before = version();
        List<Entry> copy = new ArrayList<>();
        int d = depth;
        for (int i = 0; i < d && i < entries.length; i++) {
            Entry e = entries[i];
            if (e != null) {
                copy.add(e);
            }
        }
        VarHandle.acquireFence();
        return version() == before ? copy : null;
    }
}
