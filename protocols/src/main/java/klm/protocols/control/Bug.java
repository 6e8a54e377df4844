package klm.protocols.control;

/**
 * The controls' deliberate bugs (kernel/locking/locktorture.c's lock_busted, the textbook AB-BA
 * inversion, and the two classic lost wake-ups), and one switch that is not a bug (the waker's
 * check for sleepers). The model's code switches on them with {@code has(Bug.X)}; the pages' Java diffs
 * are generated from these switches.
 */
enum Bug {
    /** locktorture's lock_busted: the write lock and unlock ops do nothing. */
    LOCK_BUSTED,
    /** CPU1 takes the two mutexes in the opposite order to CPU0. */
    ABBA,
    /** The waker sets the condition and forgets wake_up(). */
    NO_WAKE_UP,
    /** Not a bug: the waker calls wake_up() only when it sees a sleeper on the queue. */
    WAKE_ONLY_SLEEPERS,
    /** The waker looks for sleepers with waitqueue_active() and no smp_mb() after its store, instead of wq_has_sleeper(). */
    WAITQUEUE_ACTIVE_WITHOUT_MB
}
