package klm.kernel;

import java.util.EnumSet;
import java.util.Set;

/**
 * struct percpu_rw_semaphore (kernel/locking/percpu-rwsem.c) in its v5.7 shape, after Peter
 * Zijlstra's "locking/percpu-rwsem: Remove the embedded rwsem" (7f26482a872c, with
 * "Extract __percpu_down_read_trylock()", 75ff64572e49): a {@code block} flag, a per-CPU
 * {@code read_count}, readers waiting for the writer to leave, and the writer waiting for readers
 * to drain. The four barriers are named as in the kernel comments:
 * <pre>
 *   reader try:   this_cpu_inc(read_count); A: smp_mb(); if (!atomic_read_acquire(&amp;block)) inside;
 *                 else this_cpu_dec(read_count); rcuwait_wake_up(&amp;writer)   (no B on this path)
 *   reader exit:  B: smp_mb(); this_cpu_dec(read_count); rcuwait_wake_up(&amp;writer)
 *   writer:       D: atomic_xchg(&amp;block, 1) (fully ordered); wait until per_cpu_sum(read_count) == 0; C: smp_mb()
 *   writer exit:  atomic_set_release(&amp;block, 0); wake readers
 * </pre>
 * (Before v5.7 D was {@code WRITE_ONCE(readers_block, 1); smp_mb();} after down_write() of an
 * embedded rw-semaphore, and a failed reader try left through __percpu_up_read(), B included.)
 * A pairs with D (store buffering: SB+fencembonceonces, Never); B pairs with C. A set of barrier
 * points can be left out to build the buggy variants. One simplification: since v5.7 writers
 * queue on the semaphore's wait queue and take {@code block} with the xchg; the model serialises
 * writers with a mutex before the xchg, which gives the same exclusion and the same writer
 * preference (a set {@code block} holds back new readers). The kernel's fast path skips the
 * barriers via rcu_sync while no writer is around; this model always takes the barriered path
 * (the slow path's ordering is the one the protocol relies on), which is stated rather than hidden.
 */
public final class PercpuRwSemaphore extends KernelLock {
    /** The barrier points of percpu-rwsem.c. */
    public enum BarrierPoint { A, B, C, D }

    private final PerCpuInt readCount;
    private final Word block = new Word();
    private final WaitQueueHead waiters;
    private final WaitQueueHead writerWait;
    private final Mutex writerExclusion;
    private final boolean barrierA;
    private final boolean barrierB;
    private final boolean barrierC;
    private final boolean barrierD;

    /** DEFINE_STATIC_PERCPU_RWSEM(name) with all four barriers. */
    public PercpuRwSemaphore(String name, int nrCpus) {
        this(name, nrCpus, EnumSet.allOf(BarrierPoint.class));
    }

    /** A percpu rw-semaphore that keeps only the given barrier points (the others are plain accesses). */
    public PercpuRwSemaphore(String name, int nrCpus, Set<BarrierPoint> barriers) {
        super(name, true);
        this.readCount = new PerCpuInt(nrCpus);
        this.waiters = new WaitQueueHead(name + ".waiters");
        this.writerWait = new WaitQueueHead(name + ".writer");
        this.writerExclusion = new Mutex(name + ".rw_sem", false);
        this.barrierA = barriers.contains(BarrierPoint.A);
        this.barrierB = barriers.contains(BarrierPoint.B);
        this.barrierC = barriers.contains(BarrierPoint.C);
        this.barrierD = barriers.contains(BarrierPoint.D);
    }

    /** __percpu_down_read_trylock(). */
    private boolean readTrylock() {
        readCount.thisCpuInc();
        if (barrierA) {
            Barrier.smpMb(explored); // A: matches D in percpu_down_write()
        }
        if (block.loadAcquire() == 0) {
            return true;
        }
        readCount.thisCpuDec();
        writerWait.wakeUpIfSleepers(); // rcuwait_wake_up(&sem->writer)
        return false;
    }

    /** percpu_down_read(). Not recursive: a writer that arrived in between blocks the second read. */
    public void percpuDownRead() {
        String outer = enterCall("percpu_down_read");
        try {
            Kernel.mightSleep("percpu_down_read(" + name() + ")");
            Cpu me = Cpu.current();
            hookAcquire(LockMode.READ, false);
            if (!readTrylock()) {
                // __percpu_down_read(): sleep until the writer is gone, then try again.
                do {
                    waiters.waitForLock(() -> block.loadAcquire() == 0, this, name(), LockMode.READ, true);
                } while (!readTrylock());
            }
            held(me, LockMode.READ);
            me.pollInterrupts();
        } finally {
            leaveCall(outer);
        }
    }

    /** percpu_down_read_trylock(). */
    public boolean percpuDownReadTrylock() {
        String outer = enterCall("percpu_down_read_trylock");
        try {
            if (trylockForcedToFail() || !readTrylock()) {
                return tried("percpu_down_read_trylock", false);
            }
            hookAcquire(LockMode.READ, true);
            held(Cpu.current(), LockMode.READ);
            return true;
        } finally {
            leaveCall(outer);
        }
    }

    /** percpu_up_read(). */
    public void percpuUpRead() {
        String outer = enterCall("percpu_up_read");
        try {
            Cpu me = Cpu.current();
            hookRelease(LockMode.READ);
            dropped(me);
            if (barrierB) {
                Barrier.smpMb(explored); // B: matches C in readers_active_check()
            }
            readCount.thisCpuDec();
            writerWait.wakeUpIfSleepers();
            me.pollInterrupts();
        } finally {
            leaveCall(outer);
        }
    }

    /**
     * readers_active_check(), its loads: true when per_cpu_sum(read_count) is 0. The writer waits
     * on it; barrier C, which the kernel function runs just before it returns true, is taken by
     * {@link #percpuDownWrite()} right after the wait, as a step of its own, so that the window
     * between the loads and C is open to other CPUs as it is in the kernel.
     */
    private boolean readersActiveCheck() {
        return readCount.perCpuSum() == 0;
    }

    /** percpu_down_write(). */
    public void percpuDownWrite() {
        String outer = enterCall("percpu_down_write");
        try {
            Kernel.mightSleep("percpu_down_write(" + name() + ")");
            Cpu me = Cpu.current();
            hookAcquire(LockMode.WRITE, false);
            writerExclusion.mutexLock();
            if (barrierD) {
                block.xchg(1); // D: xchg is a full barrier; matches A in __percpu_down_read_trylock()
            } else {
                block.writeOnce(1);
            }
            // The wait has no barrier of its own, as wait_event() (v4.4..v4.10); since v4.11
            // rcuwait_wait_event()'s set_current_state() is an smp_mb() before each check, which
            // would order the block store before the loads even without D.
            writerWait.waitForLock(this::readersActiveCheck, this, name(), LockMode.WRITE, true);
            if (barrierC) {
                Barrier.smpMb(explored); // C: end of readers_active_check(); matches B in percpu_up_read()
            }
            held(me, LockMode.WRITE);
        } finally {
            leaveCall(outer);
        }
    }

    /** percpu_up_write(). */
    public void percpuUpWrite() {
        String outer = enterCall("percpu_up_write");
        try {
            Cpu me = Cpu.current();
            hookRelease(LockMode.WRITE);
            dropped(me);
            block.storeRelease(0); // pairs with the reader's smp_load_acquire(block)
            waiters.wakeUpAll();
            writerExclusion.mutexUnlock();
            me.pollInterrupts();
        } finally {
            leaveCall(outer);
        }
    }

    /** Readers inside right now (per_cpu_sum(read_count)). */
    public int readers() {
        return readCount.perCpuSum();
    }
}
