package klm.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

/** The hook point a validator attaches to: every lock reports class, mode, trylock and context. */
class LockHooksTest {

    @Test
    void everyLockReportsAcquireAndReleaseWithItsContext() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        LockListener l = ev -> events.add(ev.kind() + " " + ev.lockClass() + " " + ev.mode() + (ev.trylock() ? " try" : "")
                + " [" + ev.context().describe() + "]");
        Smp smp = new Smp(1);
        SpinLock spin = new SpinLock("hugetlb_lock");
        Mutex mutex = new Mutex("resize_lock");
        RwSemaphore rw = new RwSemaphore("i_mmap_rwsem");
        PercpuRwSemaphore pc = new PercpuRwSemaphore("mem_hotplug_lock", 1);
        LockdepMap map = new LockdepMap("cpu_hotplug.dep_map");
        LockHooks.attach(l);
        try {
            Cpus.run(smp, () -> {
                mutex.mutexLock();
                spin.spinLockIrq();
                spin.spinUnlockIrq();
                mutex.mutexUnlock();
                Kernel.current().raiseSoftirq("RCU", () -> {
                    spin.spinLock();
                    spin.spinUnlock();
                });
                Kernel.interruptPoint();
                rw.downWriteTrylock();
                rw.upWrite();
                pc.percpuDownRead();
                pc.percpuUpRead();
                map.lockMapAcquireRead();
                map.lockMapRelease();
            });
        } finally {
            LockHooks.detach(l);
        }
        assertEquals(List.of(
                "ACQUIRE resize_lock EXCLUSIVE [task]",
                "ACQUIRE hugetlb_lock EXCLUSIVE [task, irqs off]",
                "RELEASE hugetlb_lock EXCLUSIVE [task, irqs off]",
                "RELEASE resize_lock EXCLUSIVE [task]",
                "ACQUIRE hugetlb_lock EXCLUSIVE [softirq]",
                "RELEASE hugetlb_lock EXCLUSIVE [softirq]",
                "ACQUIRE i_mmap_rwsem WRITE try [task]",
                "RELEASE i_mmap_rwsem WRITE [task]",
                "ACQUIRE mem_hotplug_lock READ [task]",
                "RELEASE mem_hotplug_lock READ [task]",
                "ACQUIRE cpu_hotplug.dep_map RECURSIVE_READ [task]",
                "RELEASE cpu_hotplug.dep_map WRITE [task]"), events);
        assertTrue(!LockHooks.active());
    }
}
