package klm.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

class RwSemaphoreTest {

    @Test
    void aWaitingWriterBlocksNewReaders() throws Exception {
        Smp smp = new Smp(3);
        RwSemaphore sem = new RwSemaphore("i_mmap_rwsem");
        Word stage = new Word();
        List<String> order = new CopyOnWriteArrayList<>();
        boolean[] trylockWhileWriterWaits = new boolean[1];
        Throwable[] e = Cpus.run(smp,
                () -> { // first reader: holds until the writer is queued and the second reader has tried
                    sem.downRead();
                    stage.writeOnce(1);
                    while (stage.readOnce() < 3) {
                        Thread.onSpinWait();
                    }
                    // the second reader either blocks behind the writer or (wrongly) gets in
                    Cpus.await("the second reader to block or get in", () -> smp.cpu(2).waiting != null || order.contains("reader2 in"));
                    order.add("reader1 up");
                    sem.upRead();
                },
                () -> { // the writer
                    while (stage.readOnce() < 1) {
                        Thread.onSpinWait();
                    }
                    stage.writeOnce(2);
                    sem.downWrite();
                    order.add("writer in");
                    sem.upWrite();
                },
                () -> { // second reader, arrives after the writer queued
                    while (stage.readOnce() < 2) {
                        Thread.onSpinWait();
                    }
                    Cpus.awaitWaiting(smp.cpu(1)); // the writer sleeps in down_write
                    trylockWhileWriterWaits[0] = sem.downReadTrylock();
                    stage.writeOnce(3);
                    sem.downRead();
                    order.add("reader2 in");
                    sem.upRead();
                });
        for (Throwable t : e) {
            assertNull(t);
        }
        assertFalse(trylockWhileWriterWaits[0], "down_read_trylock must fail while a writer waits");
        assertEquals(List.of("reader1 up", "writer in", "reader2 in"), order);
    }

    @Test
    void readersShareWritersExclude() throws Exception {
        Smp smp = new Smp(2);
        RwSemaphore sem = new RwSemaphore("s");
        int[] value = new int[1];
        int[] torn = new int[1];
        Runnable writer = () -> {
            for (int i = 0; i < 5_000; i++) {
                sem.downWrite();
                value[0]++;
                value[0]++;
                sem.upWrite();
            }
        };
        Runnable reader = () -> {
            for (int i = 0; i < 5_000; i++) {
                sem.downRead();
                if ((value[0] & 1) != 0) {
                    torn[0]++;
                }
                sem.upRead();
            }
        };
        Throwable[] e = Cpus.run(smp, writer, reader);
        assertNull(e[0]);
        assertNull(e[1]);
        assertEquals(10_000, value[0]);
        assertEquals(0, torn[0], "a reader saw a writer's critical section half done");
    }
}
