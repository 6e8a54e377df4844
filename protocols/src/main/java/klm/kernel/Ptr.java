package klm.kernel;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A pointer-sized kernel variable holding a reference; same accessor mapping as {@link Word}.
 * rcu_assign_pointer() is {@link #storeRelease}; rcu_dereference() is {@link #readOnce} (the
 * address dependency it relies on is what Java's final-field/opaque semantics do not give, which
 * is exactly why the models that need it say so). Under the explorer's release/acquire model a
 * READ_ONCE() of a pointer is an acquire load: the model has no dependencies, and the kernel orders
 * a load through a pointer after the load of the pointer (stronger than LKMM, never weaker).
 */
public final class Ptr<T> implements Scheduler.Location {
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
        // under TSO through the CPU's own buffer: its own buffered unlock (owner = null) counts
        Object b = Scheduler.bufferedLoad(this, -1);
        return b != Scheduler.NOT_BUFFERED ? (T) b : v;
    }

    /**
     * The checker's read, not the kernel's (an invariant looked at inside a CPU's code): a step like
     * a load, since where it runs in the interleaving matters, but it reads the newest write (under
     * TSO the CPU's own buffered store, else memory; under RA the newest in the history) and orders
     * nothing.
     */
    @SuppressWarnings("unchecked")
    public T oracle() {
        if (explored) {
            Scheduler.access(this, -1, false);
            Object b = Scheduler.bufferedLoad(this, -1);
            if (b != Scheduler.NOT_BUFFERED) {
                return (T) b;
            }
        }
        return v;
    }

    public T plain() { if (explored) { Object b = load(); if (b != Scheduler.NOT_BUFFERED) return (T) b; } return v; }

    public void setPlain(T x) { if (explored && store(x)) return; v = x; }

    @SuppressWarnings("unchecked")
    public T readOnce() { if (explored) { Object b = Scheduler.load(this, -1, true); if (b != Scheduler.NOT_BUFFERED) return (T) b; } return (T) V.getOpaque(this); }

    public void writeOnce(T x) { if (explored && store(x)) return; V.setOpaque(this, x); }

    @SuppressWarnings("unchecked")
    public T loadAcquire() { if (explored) { Object b = Scheduler.load(this, -1, true); if (b != Scheduler.NOT_BUFFERED) return (T) b; } return (T) V.getAcquire(this); }

    public void storeRelease(T x) { if (explored && Scheduler.store(this, -1, x, true)) return; V.setRelease(this, x); }

    @SuppressWarnings("unchecked")
    public T xchg(T x) {
        if (!explored) {
            return (T) V.getAndSet(this, x);
        }
        Scheduler.accessFull(this, -1);
        T r = (T) V.getAndSet(this, x);
        Scheduler.rmwDone(this, -1);
        return r;
    }

    @SuppressWarnings("unchecked")
    public T cmpxchg(T expected, T x) {
        if (!explored) {
            return (T) V.compareAndExchange(this, expected, x);
        }
        Scheduler.accessFull(this, -1);
        T r = (T) V.compareAndExchange(this, expected, x);
        Scheduler.rmwDone(this, -1);
        return r;
    }

    /** try_cmpxchg()-style convenience: true when the exchange happened. */
    public boolean tryCmpxchg(T expected, T x) {
        if (!explored) {
            return V.compareAndSet(this, expected, x);
        }
        Scheduler.accessFull(this, -1);
        boolean r = V.compareAndSet(this, expected, x);
        Scheduler.rmwDone(this, -1);
        return r;
    }

    /**
     * try_cmpxchg_acquire(): ACQUIRE ordering only, as a lock's acquisition in the kernel
     * (queued_spin_lock(), __mutex_trylock_fast()); a spin lock's release is {@link #storeRelease},
     * a mutex's {@link #tryCmpxchgRelease}.
     */
    public boolean tryCmpxchgAcquire(T expected, T x) {
        if (!explored) {
            return V.compareAndExchangeAcquire(this, expected, x) == expected;
        }
        Scheduler.accessAcquire(this, -1);
        boolean r = V.compareAndExchangeAcquire(this, expected, x) == expected;
        Scheduler.rmwDone(this, -1);
        return r;
    }

    /**
     * try_cmpxchg_release(): RELEASE ordering only, as __mutex_unlock_fast(). An RMW all the same:
     * under TSO a locked instruction (it drains the store buffer, as x86's lock cmpxchg does), under
     * RA it reads the newest write; it is not a full barrier.
     */
    public boolean tryCmpxchgRelease(T expected, T x) {
        if (!explored) {
            return V.compareAndExchangeRelease(this, expected, x) == expected;
        }
        Scheduler.accessRelease(this, -1);
        boolean r = V.compareAndExchangeRelease(this, expected, x) == expected;
        Scheduler.rmwDone(this, -1);
        return r;
    }

    private Object load() {
        return Scheduler.load(this, -1);
    }

    private boolean store(Object x) {
        return Scheduler.store(this, -1, x);
    }

    @Override
    public Object exploreGet(int slot) { return v; }

    @Override
    @SuppressWarnings("unchecked")
    public void exploreSet(int slot, Object value) { v = (T) value; }
}
