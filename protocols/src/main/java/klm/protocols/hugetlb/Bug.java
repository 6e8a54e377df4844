package klm.protocols.hugetlb;

/**
 * What a hugetlb-free variant's code has that the code after every fix has not, each with its era
 * (full hashes in docs/KERNEL-COMMITS.md). The model switches on them with {@code has(Bug.X)}; the
 * pages' Java diffs are generated from these switches.
 */
enum Bug {
    /**
     * Before db71ef79b59b (v5.13): free_huge_page() and the task paths take hugetlb_lock and the
     * subpool lock with plain spin_lock(), although the free may run in softirq context.
     */
    PLAIN_LOCKS,
    /**
     * c77c0a8ac4c5 (v5.5) to db71ef79b59b (v5.13): free_huge_page() hands the page to a workqueue
     * when !in_task(), and frees it directly otherwise, even with bottom halves disabled.
     */
    DEFERRED_FREE,
    /**
     * Waiman Long's v2 of the deferral (Dec 2019): an xchg-linked list with a NEXT_PENDING marker
     * instead of the llist of v3, which became c77c0a8ac4c5.
     */
    NEXT_PENDING_LIST,
    /** A mutation of {@link #NEXT_PENDING_LIST}, never posted: no marker, so the worker may read the link first. */
    NO_NEXT_PENDING_MARKER,
    /** An intermediate of the db71ef79b59b series (its v5 changelog): set_max_huge_pages() left on spin_lock(). */
    SET_MAX_HUGE_PAGES_NOT_CONVERTED,
    /** Before 2938396771c8 (v5.13): no per-hstate resize_lock; two nr_hugepages writers interleave. */
    NO_RESIZE_LOCK
}
