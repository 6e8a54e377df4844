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
            t.join(PATIENCE_SECONDS * 1000);
            assertFalse(t.isAlive(), t.getName() + " still running after " + PATIENCE_SECONDS
                    + " s: a wait was not bounded, or a wake-up was lost");
        }
        return errors;
    }

    /** How long a test waits for another thread to reach a state before it fails saying so: far past any load. */
    static final long PATIENCE_SECONDS = 120;

    /**
     * Waits until {@code reached} holds: the observable state a test orders its threads by (a CPU
     * blocked in a wait, asleep on a queue), never a guess at how long the other thread needs.
     * Fails after {@link #PATIENCE_SECONDS}, naming what it waited for.
     */
    static void await(String what, java.util.function.BooleanSupplier reached) {
        long t0 = System.nanoTime();
        long deadline = t0 + java.util.concurrent.TimeUnit.SECONDS.toNanos(PATIENCE_SECONDS);
        while (!reached.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited " + PATIENCE_SECONDS + " s for " + what + ", in vain");
            }
            Thread.yield();
        }
    }

    /** Waits until {@code cpu} is blocked in a wait of the runtime (a lock, a queue, a completion). */
    static void awaitWaiting(Cpu cpu) {
        await(cpu.name() + " to block in a wait", () -> cpu.waiting != null || cpu.sleepingOn != null);
    }

    /** Waits until {@code cpu} sleeps on {@code wq}. */
    static void awaitSleeping(Cpu cpu, WaitQueueHead wq) {
        await(cpu.name() + " to sleep on " + wq.name(), () -> cpu.sleepingOn == wq);
    }
}
