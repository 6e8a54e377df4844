package klm.protocols.control;

/**
 * The controls' two deliberate bugs (kernel/locking/locktorture.c's lock_busted and the textbook
 * AB-BA inversion). The model's code switches on them with {@code has(Bug.X)}; the pages' Java diffs
 * are generated from these switches.
 */
enum Bug {
    /** locktorture's lock_busted: the write lock and unlock ops do nothing. */
    LOCK_BUSTED,
    /** CPU1 takes the two mutexes in the opposite order to CPU0. */
    ABBA
}
