package klm.kernel;

/** What a CPU is blocked on, for the deadlock detector: a lock in a mode, or an event (lock == null). */
public final class WaitRecord {
    final Object lock;
    final String name;
    final LockMode mode;
    final boolean prefersWriters;
    final long since = System.nanoTime();
    long nextDetect = since + Waits.DETECT_INTERVAL_NANOS;
    /** When the waiter last saw the machine change (the HANG backstop counts from there), and what it saw. */
    long quietSince = since;
    String lastSeen;
    /** Times the waiter evaluated its condition and found it false (written by the waiter only). */
    volatile long falseChecks;
    /** A deadlock seen once, waiting to be confirmed (detector state of this waiter). */
    Object suspect;
    WaitRecord outer;

    WaitRecord(Object lock, String name, LockMode mode, boolean prefersWriters) {
        this.lock = lock;
        this.name = name;
        this.mode = mode;
        this.prefersWriters = prefersWriters;
    }

    String describe() {
        if (lock == null) {
            return "waits for " + name;
        }
        return "waits for " + name + " (" + mode.name().toLowerCase(java.util.Locale.ROOT) + ")";
    }
}
