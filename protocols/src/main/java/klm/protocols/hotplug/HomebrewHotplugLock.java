package klm.protocols.hotplug;

import klm.kernel.Cpu;
import klm.kernel.KernelBug;
import klm.kernel.LockdepMap;
import klm.kernel.Mutex;
import klm.kernel.Ptr;
import klm.kernel.WaitQueueHead;
import klm.kernel.Word;

/**
 * The "homebrewn recursive reader writer semaphore construct" of seed 002, as kernel/cpu.c had it
 * for cpu hotplug (get_online_cpus / cpu_hotplug_begin) and mm/memory_hotplug.c copied it for
 * memory hotplug (get_online_mems / mem_hotplug_begin), until July 2017:
 * <pre>
 *   reader:  if (active_writer == current) return;      // recursion
 *            lock_map_acquire_read(dep_map);             // a RECURSIVE read for lockdep
 *            mutex_lock(lock); refcount++; mutex_unlock(lock);
 *   writer:  mutex_lock(add_remove_lock); active_writer = current; lock_map_acquire(dep_map);
 *            for (;;) { mutex_lock(lock); if (!refcount) break;   // keeps `lock` held
 *                       mutex_unlock(lock); schedule(); }
 * </pre>
 * Two properties matter for the seed: a writer waiting for readers to drain has dropped the inner
 * mutex, so it does NOT hold back new readers (unlike an rw-semaphore); and lockdep saw the readers
 * only as recursive reads (lock_map_acquire_read), which lockdep of 2017 never used as the source of
 * a dependency, which is how the inversion "evaded the full lock dep coverage" while both locks
 * were homebrew. The inner mutex of memory hotplug ({@code mem_hotplug.lock}, initialised with
 * __MUTEX_INITIALIZER) was an ordinary validated mutex: with cpu hotplug already a percpu
 * rw-semaphore, lockdep reported the inversion through it (Andrey Ryabinin, 28 June 2017:
 * "cpu_hotplug_lock.rw_sem --&gt; mem_hotplug.lock#2 --&gt; zonelists_mutex"). Some versions of
 * kernel/cpu.c excluded cpu hotplug's inner mutex from validation
 * (lockdep_set_novalidate_class(&amp;cpu_hotplug.lock)); {@code validateInnerMutex} says which.
 */
final class HomebrewHotplugLock implements HotplugRwLock {
    private final String name;
    /** Serialises writers: cpu_add_remove_lock / memory_add_remove_lock. */
    private final Mutex addRemoveLock;
    private final Ptr<Cpu> activeWriter = new Ptr<>();
    /** "Synchronizes accesses to refcount, also blocks the new readers during an ongoing hotplug operation." */
    private final Mutex lock;
    private final Word refcount = new Word(); // written under lock (plain); the sleeping writer peeks with READ_ONCE
    private final WaitQueueHead writerWait;
    private final LockdepMap depMap;

    HomebrewHotplugLock(String name, String addRemoveLockName, boolean validateInnerMutex) {
        this.name = name;
        this.addRemoveLock = new Mutex(addRemoveLockName);
        this.lock = validateInnerMutex ? new Mutex(name + ".lock") : Mutex.novalidate(name + ".lock");
        this.writerWait = new WaitQueueHead(name + ".wq");
        this.depMap = new LockdepMap(name);
    }

    @Override
    public String name() {
        return name;
    }

    /** get_online_cpus() / get_online_mems(). */
    @Override
    public void readLock() {
        if (activeWriter.readOnce() == Cpu.current()) {
            return; // the writer re-entering as a reader
        }
        depMap.lockMapAcquireRead();
        lock.mutexLock();
        refcount.setPlain(refcount.plain() + 1);
        lock.mutexUnlock();
    }

    /** put_online_cpus() / put_online_mems(). */
    @Override
    public void readUnlock() {
        if (activeWriter.readOnce() == Cpu.current()) {
            return;
        }
        lock.mutexLock();
        if (refcount.plain() == 0) {
            lock.mutexUnlock();
            throw new KernelBug("REFCOUNT_UNDERFLOW", "WARN_ON(!" + name + ".refcount)");
        }
        refcount.writeOnce(refcount.plain() - 1);
        if (refcount.plain() == 0 && activeWriter.readOnce() != null) {
            writerWait.wakeUpAll(); // wake_up_process(active_writer)
        }
        lock.mutexUnlock();
        depMap.lockMapRelease();
    }

    /** cpu_hotplug_begin() / mem_hotplug_begin(). */
    @Override
    public void writeLock() {
        addRemoveLock.mutexLock();
        activeWriter.writeOnce(Cpu.current());
        depMap.lockMapAcquire();
        for (;;) {
            lock.mutexLock();
            if (refcount.plain() == 0) {
                break; // keeps `lock` held: new readers block on it until writeUnlock()
            }
            lock.mutexUnlock();
            // set_current_state(TASK_UNINTERRUPTIBLE); schedule(); until the last reader wakes us,
            // then round the loop to re-check under the mutex.
            writerWait.waitEvent(() -> refcount.readOnce() == 0);
        }
    }

    /** cpu_hotplug_done() / mem_hotplug_done(). */
    @Override
    public void writeUnlock() {
        activeWriter.writeOnce(null);
        lock.mutexUnlock();
        depMap.lockMapRelease();
        addRemoveLock.mutexUnlock();
    }
}
