package klm.kernel;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * An int-sized kernel variable, with one accessor per kernel access primitive, following the
 * project's mapping: plain C -> plain, READ_ONCE/WRITE_ONCE -> opaque, smp_load_acquire /
 * smp_store_release -> acquire/release, xchg/cmpxchg/atomic_*_return -> volatile
 * get-and-set / compare-and-exchange / get-and-add (fully ordered). Under the explorer's TSO model
 * a store waits in the CPU's store buffer, a load reads the CPU's own newest buffered store first,
 * and a fully ordered operation drains the buffer; under its release/acquire model a load may read
 * an older write its CPU's view allows ({@link Scheduler.Memory}, {@link Views}).
 */
public final class Word implements Scheduler.Location {
    private static final VarHandle V;

    static {
        try {
            V = MethodHandles.lookup().findVarHandle(Word.class, "v", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private int v;
    /** Waits.EXPLORING, copied: a final field costs Lincheck nothing, a static read it instruments. */
    private final boolean explored = Waits.EXPLORING;

    public Word() {}

    public Word(int initial) {
        this.v = initial;
    }

    /**
     * The checker's read, not the kernel's (an invariant looked at inside a CPU's code): a step like
     * a load, since where it runs in the interleaving matters, but it reads the newest write (under
     * TSO the CPU's own buffered store, else memory; under RA the newest in the history) and orders
     * nothing.
     */
    public int oracle() {
        if (explored) {
            Scheduler.access(this, -1, false);
            Object b = Scheduler.bufferedLoad(this, -1);
            if (b != Scheduler.NOT_BUFFERED) {
                return (Integer) b;
            }
        }
        return v;
    }

    /** A plain C read: no ordering, may be hoisted or torn by the compiler in C. */
    public int plain() { if (explored) { Object b = load(); if (b != Scheduler.NOT_BUFFERED) return (Integer) b; } return v; }

    /** A plain C write. */
    public void setPlain(int x) { if (explored && store(x)) return; v = x; }

    /** READ_ONCE(). */
    public int readOnce() { if (explored) { Object b = load(); if (b != Scheduler.NOT_BUFFERED) return (Integer) b; } return (int) V.getOpaque(this); }

    /** WRITE_ONCE(). */
    public void writeOnce(int x) { if (explored && store(x)) return; V.setOpaque(this, x); }

    /** smp_load_acquire() / atomic_read_acquire(). */
    public int loadAcquire() { if (explored) { Object b = Scheduler.load(this, -1, true); if (b != Scheduler.NOT_BUFFERED) return (Integer) b; } return (int) V.getAcquire(this); }

    /** smp_store_release() / atomic_set_release(). */
    public void storeRelease(int x) { if (explored && Scheduler.store(this, -1, x, true)) return; V.setRelease(this, x); }

    /** xchg() / atomic_xchg(): fully ordered. */
    public int xchg(int x) {
        if (!explored) {
            return (int) V.getAndSet(this, x);
        }
        Scheduler.accessFull(this, -1);
        int r = (int) V.getAndSet(this, x);
        Scheduler.rmwDone(this, -1);
        return r;
    }

    /** cmpxchg() / atomic_cmpxchg(): fully ordered; returns the old value. */
    public int cmpxchg(int expected, int x) {
        if (!explored) {
            return (int) V.compareAndExchange(this, expected, x);
        }
        Scheduler.accessFull(this, -1);
        int r = (int) V.compareAndExchange(this, expected, x);
        Scheduler.rmwDone(this, -1);
        return r;
    }

    /** atomic_cmpxchg_acquire(): ACQUIRE ordering only (a lock's acquisition, rwsem_read_trylock()); returns the old value. */
    public int cmpxchgAcquire(int expected, int x) {
        if (!explored) {
            return (int) V.compareAndExchangeAcquire(this, expected, x);
        }
        Scheduler.accessAcquire(this, -1);
        int r = (int) V.compareAndExchangeAcquire(this, expected, x);
        Scheduler.rmwDone(this, -1);
        return r;
    }

    /** atomic_add_return_release(): RELEASE ordering only (a lock's release, __up_read()). */
    public int addReturnRelease(int delta) {
        if (!explored) {
            return (int) V.getAndAddRelease(this, delta) + delta;
        }
        Scheduler.accessRelease(this, -1);
        int r = (int) V.getAndAddRelease(this, delta) + delta;
        Scheduler.rmwDone(this, -1);
        return r;
    }

    /** atomic_add_return(): fully ordered. */
    public int addReturn(int delta) {
        if (!explored) {
            return (int) V.getAndAdd(this, delta) + delta;
        }
        Scheduler.accessFull(this, -1);
        int r = (int) V.getAndAdd(this, delta) + delta;
        Scheduler.rmwDone(this, -1);
        return r;
    }

    /** atomic_inc_return(). */
    public int incReturn() { return addReturn(1); }

    /** atomic_dec_return(). */
    public int decReturn() { return addReturn(-1); }

    private Object load() {
        return Scheduler.load(this, -1);
    }

    private boolean store(Object x) {
        return Scheduler.store(this, -1, x);
    }

    @Override
    public Object exploreGet(int slot) { return v; }

    @Override
    public void exploreSet(int slot, Object value) { v = (Integer) value; }

    @Override
    public String toString() { return Integer.toString(v); }
}
