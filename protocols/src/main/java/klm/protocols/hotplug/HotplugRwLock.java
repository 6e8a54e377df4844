package klm.protocols.hotplug;

/**
 * A hotplug lock as the hotplug paths use it: a read side (get_online_cpus / get_online_mems,
 * later cpus_read_lock) and a write side (cpu_hotplug_begin / mem_hotplug_begin, later
 * cpus_write_lock / percpu_down_write). Two implementations: the pre-2017 homebrew construct and
 * the percpu rw-semaphore that replaced it.
 */
interface HotplugRwLock {
    void readLock();

    void readUnlock();

    void writeLock();

    void writeUnlock();

    String name();
}
