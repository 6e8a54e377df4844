package klm.protocols.vmalock;

/**
 * What a vma-lock variant's code still lacks, each with the commit that brought it (full hashes in
 * docs/KERNEL-COMMITS.md), or marked counterfactual: an order the kernel forbids, built to show why.
 * The model switches on them with {@code has(Bug.X)}; the pages' Java diffs are generated from these
 * switches.
 */
enum Bug {
    /** Before c0d0381ade79 (v5.7): nothing keeps the fault's ptep valid against a concurrent huge_pmd_unshare(). */
    NO_FAULT_SYNC,
    /**
     * Before 40549ba8f8e0 (v6.1): there is no hugetlb_vma_lock; from v5.7 the fault holds the file-wide
     * i_mmap_rwsem instead, correct but slow (1528 against 59544 faults/s in 40549ba8f8e0's measurement).
     */
    NO_VMA_LOCK,
    /** Counterfactual of the v5.7 era: huge_pmd_share() takes i_mmap_rwsem (read) again, under the fault's hold. */
    PMD_SHARE_RETAKES_I_MMAP,
    /** Counterfactual of the v6.1 era: an rmap walk holding i_mmap_rwsem waits for a vma lock instead of trying it. */
    BLOCKING_VMA_LOCK_IN_RMAP,
    /** Counterfactual of the v6.1 era: truncation skips a contended vma without hugetlb_unmap_file_folio()'s fallback. */
    NO_UNMAP_FILE_FOLIO_FALLBACK
}
