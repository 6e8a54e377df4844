package klm.protocols.mmunotifier;

/**
 * The bugs of mmu-notifier's history (mm/mmu_notifier.c and its users) a variant's code may still
 * have; each constant names the commit that fixed it (docs/KERNEL-COMMITS.md has the full hashes).
 * The model's code switches on them with {@code has(Bug.X)}; a variant without any is the code after
 * every fix. The pages' Java diffs are generated from these switches.
 */
enum Bug {
    /** A device mirror that programs the device without mmu_interval_read_retry() (counterfactual; 99cb252f documents the loop). */
    DRIVER_NO_RETRY,
    /** A mirror whose final check is mmu_interval_check_retry(), the lockless hint (counterfactual; its comment forbids it). */
    DRIVER_RETRY_WITHOUT_LOCK,
    /** Before 319561669a59: mmu_interval_notifier_remove() waits on an unlocked read of invalidate_seq. */
    REMOVE_UNLOCKED_SEQ_READ,
    /** Before 543bdb2d825f: mmu_notifier_register() links with hlist_add_head(), no store-release. */
    PLAIN_PUBLISH,
    /** Before 3ad3d901bbcf: __mmu_notifier_release() unlinks a notifier, then calls its ->release. */
    RELEASE_AFTER_UNLINK,
    /** Before c2655835fd8c: a failed _start() skips every notifier's _end(). */
    UNPAIRED_START_END,
    /**
     * Every kernel since 99cb252f: mmu_interval_read_begin()'s wait_event() condition reads
     * invalidate_seq with READ_ONCE(); when it holds at once nothing orders the caller's later loads
     * after it, and mn_itree_inv_end() makes the sequence even with a plain increment. The fix this
     * project proposes (not in any kernel) reads it with smp_load_acquire() and writes it with
     * smp_store_release().
     */
    READ_BEGIN_RELAXED_WAIT
}
