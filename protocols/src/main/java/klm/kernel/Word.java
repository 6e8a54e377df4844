package klm.kernel;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * An int-sized kernel variable, with one accessor per kernel access primitive, following the
 * project's mapping: plain C -> plain, READ_ONCE/WRITE_ONCE -> opaque, smp_load_acquire /
 * smp_store_release -> acquire/release, xchg/cmpxchg/atomic_*_return -> volatile
 * get-and-set / compare-and-exchange / get-and-add (fully ordered). Under the explorer every
 * accessor is a hook ({@link Explored}) with its ordering: the explorer's memory model decides what
 * a load reads (a buffered store, an older write) and whether a store reaches memory now.
 */
public final class Word implements Location {
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
    /** AccessMode.VOLATILE, copied for the same reason: every access volatile, for Fray. */
    private final boolean vol = AccessMode.VOLATILE;

    public Word() {}

    public Word(int initial) {
        this.v = initial;
    }

    /**
     * The checker's read, not the kernel's (an invariant looked at inside a CPU's code): a step like
     * a load, since where it runs in the interleaving matters, but it reads the newest write its CPU
     * can see (the explorer's memory model says which: its own pending store, else memory) and
     * orders nothing.
     */
    public int oracle() {
        if (explored) {
            Object b = Explored.oracle(this, -1);
            if (b != Explored.MEMORY) {
                return (Integer) b;
            }
        }
        return v;
    }

    /** A plain C read: no ordering, may be hoisted or torn by the compiler in C. */
    public int plain() { if (explored) { Object b = load(); if (b != Explored.MEMORY) return (Integer) b; } return vol ? (int) V.getVolatile(this) : v; }

    /** A plain C write. */
    public void setPlain(int x) { if (explored && store(x)) return; if (vol) V.setVolatile(this, x); else v = x; }

    /** READ_ONCE(). */
    public int readOnce() { if (explored) { Object b = load(); if (b != Explored.MEMORY) return (Integer) b; } return vol ? (int) V.getVolatile(this) : (int) V.getOpaque(this); }

    /** WRITE_ONCE(). */
    public void writeOnce(int x) { if (explored && store(x)) return; if (vol) V.setVolatile(this, x); else V.setOpaque(this, x); }

    /** smp_load_acquire() / atomic_read_acquire(). */
    public int loadAcquire() { if (explored) { Object b = Explored.load(this, -1, Exploration.Order.ACQUIRE); if (b != Explored.MEMORY) return (Integer) b; } return vol ? (int) V.getVolatile(this) : (int) V.getAcquire(this); }

    /** smp_store_release() / atomic_set_release(). */
    public void storeRelease(int x) { if (explored && Explored.store(this, -1, x, Exploration.Order.RELEASE)) return; if (vol) V.setVolatile(this, x); else V.setRelease(this, x); }

    /** xchg() / atomic_xchg(): fully ordered. */
    public int xchg(int x) {
        if (!explored) {
            return vol ? volatileRmw(old -> x) : (int) V.getAndSet(this, x);
        }
        Explored.rmwBegin(this, -1, Exploration.Order.FULL);
        int r = (int) V.getAndSet(this, x);
        Explored.rmwEnd(this, -1);
        return r;
    }

    /** cmpxchg() / atomic_cmpxchg(): fully ordered; returns the old value. */
    public int cmpxchg(int expected, int x) {
        if (!explored) {
            return vol ? volatileRmw(old -> old == expected ? x : old) : (int) V.compareAndExchange(this, expected, x);
        }
        Explored.rmwBegin(this, -1, Exploration.Order.FULL);
        int r = (int) V.compareAndExchange(this, expected, x);
        Explored.rmwEnd(this, -1);
        return r;
    }

    /** atomic_cmpxchg_acquire(): ACQUIRE ordering only (a lock's acquisition, rwsem_read_trylock()); returns the old value. */
    public int cmpxchgAcquire(int expected, int x) {
        if (!explored) {
            return vol ? volatileRmw(old -> old == expected ? x : old) : (int) V.compareAndExchangeAcquire(this, expected, x);
        }
        Explored.rmwBegin(this, -1, Exploration.Order.ACQUIRE);
        int r = (int) V.compareAndExchangeAcquire(this, expected, x);
        Explored.rmwEnd(this, -1);
        return r;
    }

    /** atomic_add_return_release(): RELEASE ordering only (a lock's release, __up_read()). */
    public int addReturnRelease(int delta) {
        if (!explored) {
            return (vol ? volatileRmw(old -> old + delta) : (int) V.getAndAddRelease(this, delta)) + delta;
        }
        Explored.rmwBegin(this, -1, Exploration.Order.RELEASE);
        int r = (int) V.getAndAddRelease(this, delta) + delta;
        Explored.rmwEnd(this, -1);
        return r;
    }

    /** atomic_add_return(): fully ordered. */
    public int addReturn(int delta) {
        if (!explored) {
            return (vol ? volatileRmw(old -> old + delta) : (int) V.getAndAdd(this, delta)) + delta;
        }
        Explored.rmwBegin(this, -1, Exploration.Order.FULL);
        int r = (int) V.getAndAdd(this, delta) + delta;
        Explored.rmwEnd(this, -1);
        return r;
    }

    /** atomic_inc_return(). */
    public int incReturn() { return addReturn(1); }

    /** atomic_dec_return(). */
    public int decReturn() { return addReturn(-1); }

    /** A read-modify-write as volatile get and compareAndSet, retried until it holds (klm.access=volatile); the old value. */
    private int volatileRmw(java.util.function.IntUnaryOperator f) {
        while (true) {
            int old = (int) V.getVolatile(this);
            if (V.compareAndSet(this, old, f.applyAsInt(old))) {
                return old;
            }
        }
    }

    private Object load() {
        return Explored.load(this, -1, Exploration.Order.RELAXED);
    }

    private boolean store(Object x) {
        return Explored.store(this, -1, x, Exploration.Order.RELAXED);
    }

    @Override
    public Object exploreGet(int slot) { return v; }

    @Override
    public void exploreSet(int slot, Object value) { v = (Integer) value; }

    @Override
    public String toString() { return Integer.toString(v); }
}
