package klm.kernel;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A pointer-sized kernel variable holding a reference; same accessor mapping as {@link Word}.
 * rcu_assign_pointer() is {@link #storeRelease}; rcu_dereference() is {@link #readOnce} (the
 * address dependency it relies on is what Java's final-field/opaque semantics do not give, which
 * is exactly why the models that need it say so).
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
    T peekLocal() { return v; }

    public T plain() { if (explored) Scheduler.access(this, -1, false); return v; }

    public void setPlain(T x) { if (explored) Scheduler.access(this, -1, true); v = x; }

    @SuppressWarnings("unchecked")
    public T readOnce() { if (explored) Scheduler.access(this, -1, false); return (T) V.getOpaque(this); }

    public void writeOnce(T x) { if (explored) Scheduler.access(this, -1, true); V.setOpaque(this, x); }

    @SuppressWarnings("unchecked")
    public T loadAcquire() { if (explored) Scheduler.access(this, -1, false); return (T) V.getAcquire(this); }

    public void storeRelease(T x) { if (explored) Scheduler.access(this, -1, true); V.setRelease(this, x); }

    @SuppressWarnings("unchecked")
    public T xchg(T x) { if (explored) Scheduler.access(this, -1, true); return (T) V.getAndSet(this, x); }

    @SuppressWarnings("unchecked")
    public T cmpxchg(T expected, T x) { if (explored) Scheduler.access(this, -1, true); return (T) V.compareAndExchange(this, expected, x); }

    /** try_cmpxchg()-style convenience: true when the exchange happened. */
    public boolean tryCmpxchg(T expected, T x) { if (explored) Scheduler.access(this, -1, true); return V.compareAndSet(this, expected, x); }

    /**
     * try_cmpxchg_acquire(): ACQUIRE ordering only, as a lock's acquisition in the kernel
     * (queued_spin_lock(), __mutex_trylock_fast()); the lock's release is {@link #storeRelease}.
     */
    public boolean tryCmpxchgAcquire(T expected, T x) {
        if (explored) Scheduler.access(this, -1, true);
        return V.compareAndExchangeAcquire(this, expected, x) == expected;
    }

    @Override
    public Object exploreGet(int slot) { return v; }

    @Override
    @SuppressWarnings("unchecked")
    public void exploreSet(int slot, Object value) { v = (T) value; }
}
