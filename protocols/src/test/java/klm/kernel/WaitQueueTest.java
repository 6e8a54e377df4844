package klm.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WaitQueueTest {

    /**
     * A waker that sets the condition and wakes, racing a sleeper that checks and sleeps: thousands
     * of rounds, and no sleeper is left behind. Bounded mode normally re-checks every 1 ms, which
     * would hide a lost wake-up; here a sleeper sleeps 10 s between looks, so a lost wake-up is a
     * stall of 10 s, and each round must end within 5 s (a round on a loaded 2-core host took up to
     * 1.5 s, which a 1 s limit reported as a lost wake-up).
     */
    @Test
    void noLostWakeUp() throws Exception {
        Waits.setSliceMillisForTests(10_000);
        try {
            raceWakersAndSleepers();
        } finally {
            Waits.setSliceMillisForTests(1);
        }
    }

    private void raceWakersAndSleepers() throws Exception {
        for (boolean fastPath : new boolean[] {false, true}) {
            for (int round = 0; round < 2_000; round++) {
                Smp smp = new Smp(2);
                WaitQueueHead wq = new WaitQueueHead("wq");
                Word flag = new Word();
                long t0 = System.nanoTime();
                Throwable[] e = Cpus.run(smp,
                        () -> wq.waitEvent(() -> flag.readOnce() != 0),
                        () -> {
                            flag.writeOnce(1);
                            if (fastPath) {
                                wq.wakeUpIfSleepers();
                            } else {
                                wq.wakeUpAll();
                            }
                        });
                assertNull(e[0], "round " + round);
                assertNull(e[1]);
                long ms = (System.nanoTime() - t0) / 1_000_000;
                assertTrue(ms < 5_000, "round " + round + " took " + ms + " ms: the sleeper missed its wake-up");
            }
        }
    }

    @Test
    void wakeUpAllReleasesEverySleeper() throws Exception {
        Smp smp = new Smp(4);
        WaitQueueHead wq = new WaitQueueHead("wq");
        Word flag = new Word();
        Word woken = new Word();
        Runnable sleeper = () -> {
            wq.waitEvent(() -> flag.readOnce() != 0);
            woken.incReturn();
        };
        Throwable[] e = Cpus.run(smp, sleeper, sleeper, sleeper, () -> {
            Cpus.sleep(30);
            flag.writeOnce(1);
            wq.wakeUpAll();
        });
        for (Throwable t : e) {
            assertNull(t);
        }
        assertEquals(3, woken.readOnce());
    }

    @Test
    void completion() throws Exception {
        Smp smp = new Smp(2);
        Completion done = new Completion("done");
        Word order = new Word();
        Throwable[] e = Cpus.run(smp, () -> {
            done.waitForCompletion();
            assertEquals(1, order.readOnce());
        }, () -> {
            Cpus.sleep(20);
            order.writeOnce(1);
            done.complete();
        });
        assertNull(e[0]);
        assertNull(e[1]);
    }
}
