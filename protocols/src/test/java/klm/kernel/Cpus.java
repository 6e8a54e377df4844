package klm.kernel;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.List;

/** Test helper: runs one body per CPU of a machine on CpuThreads and returns what each threw. */
final class Cpus {
    private Cpus() {}

    static Throwable[] run(Smp smp, Runnable... bodies) throws InterruptedException {
        Throwable[] errors = new Throwable[bodies.length];
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < bodies.length; i++) {
            final int cpu = i;
            threads.add(smp.start(i, () -> {
                try {
                    bodies[cpu].run();
                } catch (Throwable t) {
                    errors[cpu] = t;
                }
            }));
        }
        for (Thread t : threads) {
            t.join(30_000);
            assertFalse(t.isAlive(), t.getName() + " still running after 30 s: a wait was not bounded");
        }
        return errors;
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
