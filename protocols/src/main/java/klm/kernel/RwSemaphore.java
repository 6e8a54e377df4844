package klm.kernel;

/**
 * struct rw_semaphore: many readers or one writer, sleeping. As in the kernel, a waiting writer
 * blocks new readers (down_read and down_read_trylock fail while a writer waits), so readers cannot
 * starve it; this is what makes a second down_read by a task that already holds the lock deadlock
 * when a writer arrived in between.
 */
public final class RwSemaphore extends KernelLock {
    /** Readers inside, or -1 for a writer. */
    private final Word count = new Word();
    private final Word waitingWriters = new Word();
    private final Ptr<Cpu> writer = new Ptr<>();
    private final WaitQueueHead wq;

    /** One rw-semaphore of a class with many (each vma's lock): lockdep sees {@code className}, traces {@code instance}. */
    public RwSemaphore(String className, String instance) {
        super(className, instance, true);
        this.wq = new WaitQueueHead(instance + ".wait_list");
    }

    public RwSemaphore(String name) {
        super(name, true);
        this.wq = new WaitQueueHead(name + ".wait_list");
    }

    private boolean tryRead() {
        for (;;) {
            int c = count.readOnce();
            if (c < 0 || waitingWriters.readOnce() > 0) {
                return false;
            }
            if (count.cmpxchgAcquire(c, c + 1) == c) { // rwsem_read_trylock(): acquire
                return true;
            }
        }
    }

    private boolean tryWrite(Cpu me) {
        if (count.cmpxchgAcquire(0, -1) == 0) { // rwsem_write_trylock(): acquire
            writer.writeOnce(me);
            return true;
        }
        return false;
    }

    /** down_read(). */
    public void downRead() {
        String outer = enterCall("down_read");
        try {
            Kernel.mightSleep("down_read(" + name() + ")");
            Cpu me = Cpu.current();
            hookAcquire(LockMode.READ, false);
            if (Waits.underExplorer() || !tryRead()) {
                wq.waitForLock(this::tryRead, this, name(), LockMode.READ, true);
            }
            held(me, LockMode.READ);
            me.pollInterrupts();
        } finally {
            leaveCall(outer);
        }
    }

    /** down_read_trylock(): fails if a writer holds the lock or waits for it. */
    public boolean downReadTrylock() {
        String outer = enterCall("down_read_trylock");
        try {
            if (trylockForcedToFail()) {
                return tried("down_read_trylock", false);
            }
            if (!tryRead()) {
                return tried("down_read_trylock", false);
            }
            hookAcquire(LockMode.READ, true);
            held(Cpu.current(), LockMode.READ);
            return true;
        } finally {
            leaveCall(outer);
        }
    }

    /** up_read(). */
    public void upRead() {
        String outer = enterCall("up_read");
        try {
            Cpu me = Cpu.current();
            hookRelease(LockMode.READ);
            dropped(me);
            if (count.addReturnRelease(-1) < 0) { // __up_read(): atomic_long_add_return_release()
                throw new KernelBug("BAD_UNLOCK", "up_read(" + name() + ") with no reader inside on " + me.describe());
            }
            wq.wakeUpAfterRelease(); // rwsem_wake() only when the count says there are waiters
            me.pollInterrupts();
        } finally {
            leaveCall(outer);
        }
    }

    /** down_write(). */
    public void downWrite() {
        String outer = enterCall("down_write");
        try {
            Kernel.mightSleep("down_write(" + name() + ")");
            Cpu me = Cpu.current();
            hookAcquire(LockMode.WRITE, false);
            if (!tryWrite(me)) {
                waitingWriters.incReturn();
                try {
                    wq.waitForLock(() -> tryWrite(me), this, name(), LockMode.WRITE, true);
                } finally {
                    waitingWriters.decReturn();
                    wq.wakeUpAfterRelease(); // readers held back by this waiting writer look again
                }
            }
            held(me, LockMode.WRITE);
            me.pollInterrupts();
        } finally {
            leaveCall(outer);
        }
    }

    /** down_write_trylock(). */
    public boolean downWriteTrylock() {
        String outer = enterCall("down_write_trylock");
        try {
            if (trylockForcedToFail()) {
                return tried("down_write_trylock", false);
            }
            Cpu me = Cpu.current();
            if (!tryWrite(me)) {
                return tried("down_write_trylock", false);
            }
            hookAcquire(LockMode.WRITE, true);
            held(me, LockMode.WRITE);
            return true;
        } finally {
            leaveCall(outer);
        }
    }

    /** up_write(). */
    public void upWrite() {
        String outer = enterCall("up_write");
        try {
            Cpu me = Cpu.current();
            if (writer.readOnce() != me || count.readOnce() != -1) {
                throw new KernelBug("BAD_UNLOCK", "up_write(" + name() + ") on " + me.describe() + " which does not hold it for write");
            }
            hookRelease(LockMode.WRITE);
            dropped(me);
            writer.writeOnce(null);
            count.addReturnRelease(1); // __up_write(): atomic_long_fetch_add_release(-RWSEM_WRITER_LOCKED, ...)
            wq.wakeUpAfterRelease(); // rwsem_wake() only when the count says there are waiters
            me.pollInterrupts();
        } finally {
            leaveCall(outer);
        }
    }

    /** rwsem_is_locked(). */
    public boolean rwsemIsLocked() {
        String outer = enterCall("rwsem_is_locked");
        try {
            return count.readOnce() != 0;
        } finally {
            leaveCall(outer);
        }
    }

    /** True while a writer holds it (for lockdep_assert_held_write-style checks). */
    public boolean writeLockedBy(Cpu cpu) {
        String outer = enterCall("lockdep_assert_held_write");
        try {
            return count.readOnce() == -1 && writer.readOnce() == cpu;
        } finally {
            leaveCall(outer);
        }
    }
}
