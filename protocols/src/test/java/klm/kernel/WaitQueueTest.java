package klm.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WaitQueueTest {

    /**
     * A waker that sets the condition and wakes, racing a sleeper that checks and sleeps: thousands
     * of rounds, and no sleeper is left behind. Bounded mode normally re-checks every 1 ms, which
     * would hide a lost wake-up; here a sleeper never looks again by itself, so a lost wake-up is a
     * sleeper that never returns, which Cpus.run reports by name. No round is timed: how long a
     * round takes on a loaded machine says nothing.
     */
    @Test
    void noLostWakeUp() throws Exception {
        Waits.setSliceMillisForTests(3_600_000);
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
            for (int i = 0; i < 3; i++) {
                Cpus.awaitSleeping(smp.cpu(i), wq); // every sleeper is asleep: the wake-up must reach each
            }
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
            Cpus.awaitWaiting(smp.cpu(0)); // the waiter sleeps in wait_for_completion()
            order.writeOnce(1);
            done.complete();
        });
        assertNull(e[0]);
        assertNull(e[1]);
    }
}
