package klm.protocols.hotplug;

import java.util.EnumSet;
import java.util.Set;

import klm.kernel.Kernel;
import klm.kernel.Word;
import klm.scenario.InvariantViolation;

/**
 * The three paths of seed 002 and the locks they meet on, with the fix as three steps that a
 * variant has or has not (Thomas Gleixner, "mm/memory-hotplug: Switch locking to a percpu rwsem",
 * July 2017):
 * <ol>
 *   <li>{@link Step#PERCPU_MEM_HOTPLUG_LOCK}: mem_hotplug_lock becomes a percpu rw-semaphore (so
 *       lockdep sees it);</li>
 *   <li>{@link Step#CPUS_READ_LOCK_IN_BEGIN}: mem_hotplug_begin() takes cpus_read_lock() before
 *       percpu_down_write(&amp;mem_hotplug_lock), and build_all_zonelists() uses
 *       stop_machine_cpuslocked();</li>
 *   <li>{@link Step#LRU_ADD_DRAIN_ALL_CPUSLOCKED}: __offline_pages() calls
 *       lru_add_drain_all_cpuslocked() instead of taking the cpu hotplug lock a second time.</li>
 * </ol>
 * The invariant is checked in every critical section: no reader of a hotplug lock is inside while
 * a writer of the same lock is (a violation is {@code BOTH_INSIDE}); deadlocks are the runtime's.
 */
public final class MemoryHotplug {
    public enum Step { PERCPU_MEM_HOTPLUG_LOCK, CPUS_READ_LOCK_IN_BEGIN, LRU_ADD_DRAIN_ALL_CPUSLOCKED }

    /** Time spent inside each critical section under stress (see {@link Kernel#udelay}). */
    static final int WORK = 200;

    private final HotplugRwLock cpuHotplugLock;
    private final HotplugRwLock memHotplugLock;
    private final Set<Step> steps;
    private final Section cpuSection = new Section("cpu_hotplug_lock");
    private final Section memSection = new Section("mem_hotplug_lock");

    MemoryHotplug(HotplugRwLock cpuHotplugLock, Set<Step> steps, int nrCpus) {
        this.cpuHotplugLock = cpuHotplugLock;
        this.steps = steps.isEmpty() ? EnumSet.noneOf(Step.class) : EnumSet.copyOf(steps);
        this.memHotplugLock = this.steps.contains(Step.PERCPU_MEM_HOTPLUG_LOCK)
                ? new PercpuHotplugLock("mem_hotplug_lock", nrCpus)
                : new HomebrewHotplugLock("mem_hotplug_lock", "memory_add_remove_lock", true);
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
        if (steps.contains(Step.CPUS_READ_LOCK_IN_BEGIN)) {
            cpusReadLock();
        }
        memHotplugLock.writeLock();
        memSection.enterWrite();
    }

    /** mem_hotplug_done(). */
    void memHotplugDone() {
        memSection.exitWrite();
        memHotplugLock.writeUnlock();
        if (steps.contains(Step.CPUS_READ_LOCK_IN_BEGIN)) {
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
        if (steps.contains(Step.LRU_ADD_DRAIN_ALL_CPUSLOCKED)) {
            lruAddDrainAllCpuslocked();
        } else {
            lruAddDrainAll();
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
        if (steps.contains(Step.CPUS_READ_LOCK_IN_BEGIN)) {
            stopMachineCpuslocked();
        } else {
            stopMachine();
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
