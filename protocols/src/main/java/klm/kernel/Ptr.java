package klm.kernel;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A pointer-sized kernel variable holding a reference; same accessor mapping as {@link Word}.
 * rcu_assign_pointer() is {@link #storeRelease}; rcu_dereference() is {@link #readOnce} (the
 * address dependency it relies on is what Java's final-field/opaque semantics do not give, which
 * is exactly why the models that need it say so). Under the explorer a READ_ONCE() of a pointer
 * is announced as {@link Exploration.Order#ADDRESS}: the accesses made through the pointer depend on
 * it, and the memory model decides what that orders.
 */
public final class Ptr<T> implements Location {
    private static final VarHandle V;

    static {
        try {
            V = MethodHandles.lookup().findVarHandle(Ptr.class, "v", Object.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private T v;
    /** Waits.EXPLORING, copied: a final field costs Lincheck nothing, a static read it instruments. */
    private final boolean explored = Waits.EXPLORING;
    /** AccessMode.VOLATILE, copied for the same reason: every access volatile, for Fray. */
    private final boolean vol = AccessMode.VOLATILE;

    public Ptr() {}

    public Ptr(T initial) {
        this.v = initial;
    }

    /**
     * A read the explorer does not schedule, for facts only the reading CPU can change (a lock's
     * owner compared with the current CPU): no interleaving can make it read otherwise.
     */
    @SuppressWarnings("unchecked")
    T peekLocal() {
        // through what the CPU itself has not yet made visible: its own pending unlock (owner = null) counts
        Object b = Explored.peekLocal(this, -1);
        return b != Explored.MEMORY ? (T) b : v;
    }

    /** The value in memory, read by the explorer's engine itself: not a step, and no memory model is asked. */
    T memory() {
        return v;
    }

    /**
     * The checker's read, not the kernel's (an invariant looked at inside a CPU's code): a step like
     * a load, since where it runs in the interleaving matters, but it reads the newest write its CPU
     * can see (the explorer's memory model says which: its own pending store, else memory) and
     * orders nothing.
     */
    @SuppressWarnings("unchecked")
    public T oracle() {
        if (explored) {
            Object b = Explored.oracle(this, -1);
            if (b != Explored.MEMORY) {
                return (T) b;
            }
        }
        return v;
    }

    @SuppressWarnings("unchecked")
    public T plain() { if (explored) { Object b = load(); if (b != Explored.MEMORY) return (T) b; } return vol ? (T) V.getVolatile(this) : v; }

    public void setPlain(T x) { if (explored && store(x)) return; if (vol) V.setVolatile(this, x); else v = x; }

    @SuppressWarnings("unchecked")
    public T readOnce() { if (explored) { Object b = Explored.load(this, -1, Exploration.Order.ADDRESS); if (b != Explored.MEMORY) return (T) b; } return vol ? (T) V.getVolatile(this) : (T) V.getOpaque(this); }

    public void writeOnce(T x) { if (explored && store(x)) return; if (vol) V.setVolatile(this, x); else V.setOpaque(this, x); }

    /**
     * A read of the runtime's interrupt bookkeeping, not the kernel's ({@link
     * Exploration.Order#DELIVERY}); outside the explorer the same access as {@link #readOnce}.
     */
    @SuppressWarnings("unchecked")
    T readDelivery() { if (explored) { Object b = Explored.load(this, -1, Exploration.Order.DELIVERY); if (b != Explored.MEMORY) return (T) b; } return vol ? (T) V.getVolatile(this) : (T) V.getOpaque(this); }

    @SuppressWarnings("unchecked")
    public T loadAcquire() { if (explored) { Object b = Explored.load(this, -1, Exploration.Order.ACQUIRE); if (b != Explored.MEMORY) return (T) b; } return vol ? (T) V.getVolatile(this) : (T) V.getAcquire(this); }

    public void storeRelease(T x) { if (explored && Explored.store(this, -1, x, Exploration.Order.RELEASE)) return; if (vol) V.setVolatile(this, x); else V.setRelease(this, x); }

    @SuppressWarnings("unchecked")
    public T xchg(T x) {
        if (!explored) {
            return vol ? volatileRmw(old -> x) : (T) V.getAndSet(this, x);
        }
        Explored.rmwBegin(this, -1, Exploration.Order.FULL);
        T r = (T) V.getAndSet(this, x);
        Explored.rmwEnd(this, -1);
        return r;
    }

    @SuppressWarnings("unchecked")
    public T cmpxchg(T expected, T x) {
        if (!explored) {
            return vol ? volatileRmw(old -> old == expected ? x : old) : (T) V.compareAndExchange(this, expected, x);
        }
        Explored.rmwBegin(this, -1, Exploration.Order.FULL);
        T r = (T) V.compareAndExchange(this, expected, x);
        Explored.rmwEnd(this, -1);
        return r;
    }

    /** try_cmpxchg()-style convenience: true when the exchange happened. */
    public boolean tryCmpxchg(T expected, T x) {
        if (!explored) {
            return vol ? volatileRmw(old -> old == expected ? x : old) == expected : V.compareAndSet(this, expected, x);
        }
        Explored.rmwBegin(this, -1, Exploration.Order.FULL);
        boolean r = V.compareAndSet(this, expected, x);
        Explored.rmwEnd(this, -1);
        return r;
    }

    /**
     * try_cmpxchg_acquire(): ACQUIRE ordering only, as a lock's acquisition in the kernel
     * (queued_spin_lock(), __mutex_trylock_fast()); a spin lock's release is {@link #storeRelease},
     * a mutex's {@link #tryCmpxchgRelease}.
     */
    public boolean tryCmpxchgAcquire(T expected, T x) {
        if (!explored) {
            return (vol ? volatileRmw(old -> old == expected ? x : old) : V.compareAndExchangeAcquire(this, expected, x)) == expected;
        }
        Explored.rmwBegin(this, -1, Exploration.Order.ACQUIRE);
        boolean r = V.compareAndExchangeAcquire(this, expected, x) == expected;
        Explored.rmwEnd(this, -1);
        return r;
    }

    /**
     * try_cmpxchg_release(): RELEASE ordering only, as __mutex_unlock_fast(). An RMW all the same:
     * under TSO a locked instruction (it drains the store buffer, as x86's lock cmpxchg does), under
     * RA it reads a write its CPU's view allows and no other RMW has read; it is not a full barrier.
     */
    public boolean tryCmpxchgRelease(T expected, T x) {
        if (!explored) {
            return (vol ? volatileRmw(old -> old == expected ? x : old) : V.compareAndExchangeRelease(this, expected, x)) == expected;
        }
        Explored.rmwBegin(this, -1, Exploration.Order.RELEASE);
        boolean r = V.compareAndExchangeRelease(this, expected, x) == expected;
        Explored.rmwEnd(this, -1);
        return r;
    }

    /** A read-modify-write as volatile get and compareAndSet, retried until it holds (klm.access=volatile); the old value. */
    @SuppressWarnings("unchecked")
    private T volatileRmw(java.util.function.UnaryOperator<T> f) {
        while (true) {
            T old = (T) V.getVolatile(this);
            if (V.compareAndSet(this, old, f.apply(old))) {
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
    @SuppressWarnings("unchecked")
    public void exploreSet(int slot, Object value) { v = (T) value; }
}
