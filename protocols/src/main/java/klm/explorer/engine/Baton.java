package klm.explorer.engine;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.LockSupport;

/**
 * The explorer's hand-off between two threads: {@link #pass} gives a permit, {@link #await} takes
 * one, waiting until there is one. It orders like a semaphore: everything the passing thread did
 * before {@code pass} happens-before what the taking thread does after {@code await}. Which thread
 * runs next is decided before the pass (by the strategy); a baton only carries that decision, so
 * how a thread waits never changes what the explorer explores.
 *
 * <p>Two kinds, chosen by {@code -Dklm.explorer.handoff}: {@code semaphore} (a {@link Semaphore}:
 * the waiter parks at once) and {@code spin:N} (the waiter first spins for up to {@code N}
 * nanoseconds, then parks). See {@link #parse}.
 */
abstract class Baton {
    /** Gives one permit, waking the waiter if it parked. */
    abstract void pass();

    /** Takes one permit, waiting for it. */
    abstract void await();

    /** The kind of baton a property value names; bad values are an error naming the valid ones. */
    static Kind parse(String value) {
        String v = value == null ? "" : value.trim();
        if (v.isEmpty()) {
            return Kind.DEFAULT;
        }
        if (v.equals("semaphore")) {
            return new Kind(-1);
        }
        if (v.startsWith("spin:") || v.startsWith("yield:")) {
            try {
                long n = Long.parseLong(v.substring(v.indexOf(':') + 1).trim());
                if (n >= 0 && n <= 1_000_000) {
                    return new Kind(n, v.startsWith("yield:"));
                }
            } catch (NumberFormatException e) {
                // falls through to the error
            }
        }
        throw new IllegalArgumentException("-Dklm.explorer.handoff=" + value
                + ": expected 'semaphore', 'spin:N' (spin up to N nanoseconds, 0 to 1000000, before parking) or 'yield:N' (the same, yielding the processor instead of spinning)");
    }

    /** A kind of baton: {@code spinNanos < 0} is a semaphore. */
    record Kind(long spinNanos, boolean yield) {
        static final Kind DEFAULT = new Kind(-1);

        Kind(long spinNanos) {
            this(spinNanos, false);
        }

        Baton create() {
            return spinNanos < 0 ? new Blocking() : new Spinning(spinNanos, yield);
        }

        @Override
        public String toString() {
            return spinNanos < 0 ? "semaphore" : (yield ? "yield:" : "spin:") + spinNanos;
        }
    }

    /** A semaphore: the waiter parks at once. */
    static final class Blocking extends Baton {
        private final Semaphore s = new Semaphore(0);

        @Override
        void pass() {
            s.release();
        }

        @Override
        void await() {
            s.acquireUninterruptibly();
        }
    }

    /**
     * Spins for a bounded time, then parks. One thread waits on a baton at a time (the CPU's own
     * thread, the worker, or the exploring thread); any thread may pass.
     *
     * <p>Why no wake-up is lost, whatever the timing: {@code permits} and {@code parked} are
     * volatile, and all volatile accesses of a run fall in one total order that agrees with each
     * thread's program order. The waiter writes {@code parked = true} and then reads
     * {@code permits}; the passer adds to {@code permits} and then reads {@code parked}. Either the
     * waiter's read comes after the passer's addition in that order, and the waiter sees the permit
     * and does not park; or it comes before, so the waiter's write of {@code parked} comes before
     * the passer's read of it, which sees {@code true} (the waiter clears it only after taking a
     * permit) and unparks it. An unpark that comes before the waiter's {@code park} is not lost:
     * {@link LockSupport} keeps it, and that {@code park} returns at once. An unpark that was not
     * needed (the waiter took the permit in between) leaves the thread a token that makes a later
     * {@code park} return early; every park here is in a loop that checks {@code permits} again.
     * The bounded spin only decides how soon the waiter notices a permit, never whether.
     */
    static final class Spinning extends Baton {
        private static final VarHandle PERMITS;

        static {
            try {
                PERMITS = MethodHandles.lookup().findVarHandle(Spinning.class, "permits", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private final long spinNanos;
        private volatile int permits;
        private volatile boolean parked;
        private volatile Thread waiter;

        private final boolean yield;

        Spinning(long spinNanos, boolean yield) {
            this.spinNanos = spinNanos;
            this.yield = yield;
        }

        @Override
        void pass() {
            PERMITS.getAndAdd(this, 1);
            if (parked) {
                LockSupport.unpark(waiter);
            }
        }

        @Override
        void await() {
            if (take()) {
                return;
            }
            if (spinNanos > 0) {
                // bounded: on a machine with fewer cores than busy threads a spinner takes a core
                // the running thread needs, so it gives up soon and parks
                long deadline = System.nanoTime() + spinNanos;
                do {
                    if (yield) {
                        Thread.yield();
                    } else {
                        Thread.onSpinWait();
                    }
                    if (take()) {
                        return;
                    }
                } while (System.nanoTime() - deadline < 0);
            }
            waiter = Thread.currentThread();
            parked = true; // before the check of permits in take(): see the class comment
            try {
                while (!take()) {
                    LockSupport.park(this);
                }
            } finally {
                parked = false;
            }
        }

        private boolean take() {
            for (;;) {
                int p = permits;
                if (p == 0) {
                    return false;
                }
                if (PERMITS.compareAndSet(this, p, p - 1)) {
                    return true;
                }
            }
        }
    }
}
