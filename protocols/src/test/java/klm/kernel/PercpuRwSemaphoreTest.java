package klm.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;

import org.junit.jupiter.api.Test;

class PercpuRwSemaphoreTest {

    @Test
    void writerExcludesReaders() throws Exception {
        Smp smp = new Smp(3);
        PercpuRwSemaphore sem = new PercpuRwSemaphore("mem_hotplug_lock", 3);
        int[] value = new int[1];
        int[] torn = new int[1];
        Runnable reader = () -> {
            for (int i = 0; i < 3_000; i++) {
                sem.percpuDownRead();
                if ((value[0] & 1) != 0) {
                    torn[0]++;
                }
                sem.percpuUpRead();
            }
        };
        Runnable writer = () -> {
            for (int i = 0; i < 300; i++) {
                sem.percpuDownWrite();
                value[0]++;
                value[0]++;
                sem.percpuUpWrite();
            }
        };
        Throwable[] e = Cpus.run(smp, reader, reader, writer);
        for (Throwable t : e) {
            assertNull(t);
        }
        assertEquals(600, value[0]);
        assertEquals(0, torn[0]);
        assertEquals(0, sem.readers());
    }

    @Test
    void notRecursiveAWriterInBetweenDeadlocks() throws Exception {
        Smp smp = new Smp(2);
        PercpuRwSemaphore cpus = new PercpuRwSemaphore("cpu_hotplug_lock", 2);
        Word stage = new Word();
        Throwable[] e = Cpus.run(smp,
                () -> {
                    cpus.percpuDownRead(); // cpus_read_lock() in mem_hotplug_begin()
                    stage.writeOnce(1);
                    Cpus.awaitWaiting(smp.cpu(1)); // the writer waits in percpu_down_write()
                    cpus.percpuDownRead(); // lru_add_drain_all() takes it again
                },
                () -> {
                    while (stage.readOnce() == 0) {
                        Thread.onSpinWait();
                    }
                    cpus.percpuDownWrite(); // cpu_up()
                });
        DeadlockError d = assertInstanceOf(DeadlockError.class, e[0]);
        assertTrue(d.report().contains("cpu_hotplug_lock"), d.report());
        assertInstanceOf(DeadlockError.class, e[1]);
    }

    @Test
    void barrierPointsCanBeLeftOut() throws Exception {
        Smp smp = new Smp(1);
        PercpuRwSemaphore sem = new PercpuRwSemaphore("s", 1, EnumSet.of(PercpuRwSemaphore.BarrierPoint.B,
                PercpuRwSemaphore.BarrierPoint.C, PercpuRwSemaphore.BarrierPoint.D));
        Throwable[] e = Cpus.run(smp, () -> {
            sem.percpuDownRead();
            assertEquals(1, sem.readers());
            sem.percpuUpRead();
            sem.percpuDownWrite();
            sem.percpuUpWrite();
        });
        assertNull(e[0]);
    }
}
