package klm.protocols.hotplug;

import java.util.EnumSet;

import klm.kernel.Kernel;
import klm.kernel.Word;
import klm.scenario.InvariantViolation;

/**
 * The three paths of memory hotplug's 2017 deadlock and the locks they meet on, with the three parts
 * of the fix (Thomas Gleixner, 3f906ba23689 "mm/memory-hotplug: switch locking to a percpu rwsem")
 * as {@link Bug} constants a variant still has or not:
 * <ol>
 *   <li>{@link Bug#HOMEBREW_MEM_HOTPLUG_LOCK} until mem_hotplug_lock becomes a percpu rw-semaphore
 *       (so lockdep sees it);</li>
 *   <li>{@link Bug#CPUS_READ_LOCK_INSIDE} until mem_hotplug_begin() takes cpus_read_lock() before
 *       percpu_down_write(&amp;mem_hotplug_lock) and build_all_zonelists() uses
 *       stop_machine_cpuslocked();</li>
 *   <li>{@link Bug#LRU_ADD_DRAIN_ALL_RELOCKS} until __offline_pages() calls
 *       lru_add_drain_all_cpuslocked() instead of taking the cpu hotplug lock a second time.</li>
 * </ol>
 * The invariant is checked in every critical section: no reader of a hotplug lock is inside while
 * a writer of the same lock is (a violation is {@code BOTH_INSIDE}); deadlocks are the runtime's.
 */
public final class MemoryHotplug {
    /** Time spent inside each critical section under stress (see {@link Kernel#udelay}). */
    static final int WORK = 200;

    private final HotplugRwLock cpuHotplugLock;
    private final HotplugRwLock memHotplugLock;
    /** An EnumSet (deterministic iteration, as Lincheck's replay needs). */
    private final EnumSet<Bug> bugs;
    private final Section cpuSection = new Section("cpu_hotplug_lock");
    private final Section memSection = new Section("mem_hotplug_lock");

    MemoryHotplug(HotplugRwLock cpuHotplugLock, EnumSet<Bug> bugs, int nrCpus) {
        this.cpuHotplugLock = cpuHotplugLock;
        this.bugs = EnumSet.copyOf(bugs);
        this.memHotplugLock = memHotplugLock(nrCpus);
    }

    private boolean has(Bug b) {
        return bugs.contains(b);
    }

    /** DEFINE_STATIC_PERCPU_RWSEM(mem_hotplug_lock), or the homebrew construct it replaced. */
    private HotplugRwLock memHotplugLock(int nrCpus) {
        if (has(Bug.HOMEBREW_MEM_HOTPLUG_LOCK)) {
            return new HomebrewHotplugLock("mem_hotplug_lock", "memory_add_remove_lock", true);
        } else {
            return new PercpuHotplugLock("mem_hotplug_lock", nrCpus);
        }
    }

    /** Readers and writers inside one lock's critical sections, for the invariant. */
    private static final class Section {
        final String lock;
        final Word readers = new Word();
        final Word writers = new Word();

        Section(String lock) {
            this.lock = lock;
        }

        void enterRead() {
            readers.incReturn();
            if (writers.readOnce() != 0) {
                throw new InvariantViolation("BOTH_INSIDE", "a reader of " + lock + " is inside with its writer");
            }
        }

        void exitRead() {
            readers.decReturn();
        }

        void enterWrite() {
            if (writers.incReturn() != 1 || readers.readOnce() != 0) {
                throw new InvariantViolation("BOTH_INSIDE", "the writer of " + lock + " is inside with readers or another writer");
            }
        }

        void exitWrite() {
            writers.decReturn();
        }
    }

    // ------------------------------------------------------------ kernel/cpu.c

    /** get_online_cpus() / cpus_read_lock(). */
    void cpusReadLock() {
        cpuHotplugLock.readLock();
        cpuSection.enterRead();
    }

    /** put_online_cpus() / cpus_read_unlock(). */
    void cpusReadUnlock() {
        cpuSection.exitRead();
        cpuHotplugLock.readUnlock();
    }

    /** cpu_up(): the cpu hotplug writer (cpu_hotplug_begin() / cpus_write_lock()). */
    public void cpuUp() {
        cpuHotplugLock.writeLock();
        cpuSection.enterWrite();
        Kernel.udelay(WORK); // bring the CPU up, run the hotplug callbacks
        cpuSection.exitWrite();
        cpuHotplugLock.writeUnlock();
    }

    // ------------------------------------------------------------ mm/memory_hotplug.c

    /** get_online_mems(). */
    void getOnlineMems() {
        memHotplugLock.readLock();
        memSection.enterRead();
    }

    /** put_online_mems(). */
    void putOnlineMems() {
        memSection.exitRead();
        memHotplugLock.readUnlock();
    }

    /** mem_hotplug_begin(). */
    void memHotplugBegin() {
        if (!has(Bug.CPUS_READ_LOCK_INSIDE)) {
            cpusReadLock();
        }
        memHotplugLock.writeLock();
        memSection.enterWrite();
    }

    /** mem_hotplug_done(). */
    void memHotplugDone() {
        memSection.exitWrite();
        memHotplugLock.writeUnlock();
        if (!has(Bug.CPUS_READ_LOCK_INSIDE)) {
            cpusReadUnlock();
        }
    }

    /** offline_pages(): the memory hotplug path. */
    public void offlinePages() {
        memHotplugBegin();
        offlinePagesLocked();
        memHotplugDone();
    }

    /** __offline_pages(): drain the LRU pagevecs, then, the zone being empty, rebuild the zonelists. */
    private void offlinePagesLocked() {
        if (has(Bug.LRU_ADD_DRAIN_ALL_RELOCKS)) {
            lruAddDrainAll();
        } else {
            lruAddDrainAllCpuslocked();
        }
        buildAllZonelists();
    }

    /** lru_add_drain_all(): takes the cpu hotplug lock itself. */
    private void lruAddDrainAll() {
        cpusReadLock();
        lruAddDrainAllCpuslocked();
        cpusReadUnlock();
    }

    /** lru_add_drain_all_cpuslocked(): the caller holds the cpu hotplug lock. */
    private void lruAddDrainAllCpuslocked() {
        Kernel.udelay(WORK); // schedule the drain work on every online CPU and wait for it
    }

    // ------------------------------------------------------------ mm/page_alloc.c

    /** build_all_zonelists(). */
    private void buildAllZonelists() {
        if (has(Bug.CPUS_READ_LOCK_INSIDE)) {
            stopMachine();
        } else {
            stopMachineCpuslocked();
        }
    }

    /** stop_machine(): cpus_read_lock(); stop_machine_cpuslocked(); cpus_read_unlock(). */
    private void stopMachine() {
        cpusReadLock();
        stopMachineCpuslocked();
        cpusReadUnlock();
    }

    private void stopMachineCpuslocked() {
        Kernel.udelay(WORK); // __build_all_zonelists on a stopped machine
    }

    // ------------------------------------------------------------ mm/slab_common.c

    /** kmem_cache_create(): get_online_cpus(); get_online_mems(); ...; put_online_mems(); put_online_cpus(). */
    public void kmemCacheCreate() {
        cpusReadLock();
        getOnlineMems();
        Kernel.udelay(WORK); // create the cache on every node and CPU
        putOnlineMems();
        cpusReadUnlock();
    }
}
