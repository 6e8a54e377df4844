package klm.protocols.hotplug;

/**
 * What the hotplug variants' code still lacks: cpu/hotplug's conversion (fc8dffd379ca), the three
 * parts of memory hotplug's fix (3f906ba23689, v4.13: its commit message lists them), and a mutation
 * of the percpu rw-semaphore. The model switches on them with {@code has(Bug.X)}; the pages' Java
 * diffs are generated from these switches.
 */
enum Bug {
    /** Before fc8dffd379ca (v4.13): cpu_hotplug_lock is the homebrew refcount-and-mutex construct. */
    HOMEBREW_CPU_HOTPLUG_LOCK,
    /** Before 3f906ba23689, part 1: mem_hotplug_lock is the homebrew construct, not a percpu rw-semaphore. */
    HOMEBREW_MEM_HOTPLUG_LOCK,
    /**
     * Before 3f906ba23689, part 2: mem_hotplug_begin() does not take cpus_read_lock() first, and
     * build_all_zonelists() takes it inside (stop_machine()) while mem_hotplug_lock is held for write.
     */
    CPUS_READ_LOCK_INSIDE,
    /** Before 3f906ba23689, part 3: __offline_pages() calls lru_add_drain_all(), which takes cpus_read_lock() again. */
    LRU_ADD_DRAIN_ALL_RELOCKS,
    /** A mutation, never shipped: the percpu rw-semaphore's reader without smp_mb() A (litmus SB+poonceonces). */
    NO_READER_BARRIER_A
}
