package klm.protocols.hotplug;

import java.util.Set;

import klm.kernel.PercpuRwSemaphore;

/**
 * A hotplug lock built on the percpu rw-semaphore (DEFINE_STATIC_PERCPU_RWSEM): cpu_hotplug_lock
 * since "cpu/hotplug: Convert hotplug locking to percpu rwsem" (v4.13), mem_hotplug_lock since
 * seed 002. Its waiting writer blocks new readers; it is not recursive.
 */
final class PercpuHotplugLock implements HotplugRwLock {
    private final PercpuRwSemaphore sem;

    PercpuHotplugLock(String name, int nrCpus) {
        this.sem = new PercpuRwSemaphore(name, nrCpus);
    }

    PercpuHotplugLock(String name, int nrCpus, Set<PercpuRwSemaphore.BarrierPoint> barriers) {
        this.sem = new PercpuRwSemaphore(name, nrCpus, barriers);
    }

    @Override
    public String name() {
        return sem.name();
    }

    @Override
    public void readLock() {
        sem.percpuDownRead();
    }

    @Override
    public void readUnlock() {
        sem.percpuUpRead();
    }

    @Override
    public void writeLock() {
        sem.percpuDownWrite();
    }

    @Override
    public void writeUnlock() {
        sem.percpuUpWrite();
    }
}
