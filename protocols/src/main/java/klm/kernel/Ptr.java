package klm.kernel;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A pointer-sized kernel variable holding a reference; same accessor mapping as {@link Word}.
 * rcu_assign_pointer() is {@link #storeRelease}; rcu_dereference() is {@link #readOnce} (the
 * address dependency it relies on is what Java's final-field/opaque semantics do not give, which
 * is exactly why the models that need it say so).
 */
public final class Ptr<T> {
    private static final VarHandle V;

    static {
        try {
            V = MethodHandles.lookup().findVarHandle(Ptr.class, "v", Object.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private T v;

    public Ptr() {}

    public Ptr(T initial) {
        this.v = initial;
    }

    public T plain() { return v; }

    public void setPlain(T x) { v = x; }

    @SuppressWarnings("unchecked")
    public T readOnce() { return (T) V.getOpaque(this); }

    public void writeOnce(T x) { V.setOpaque(this, x); }

    @SuppressWarnings("unchecked")
    public T loadAcquire() { return (T) V.getAcquire(this); }

    public void storeRelease(T x) { V.setRelease(this, x); }

    @SuppressWarnings("unchecked")
    public T xchg(T x) { return (T) V.getAndSet(this, x); }

    @SuppressWarnings("unchecked")
    public T cmpxchg(T expected, T x) { return (T) V.compareAndExchange(this, expected, x); }

    /** try_cmpxchg()-style convenience: true when the exchange happened. */
    public boolean tryCmpxchg(T expected, T x) { return V.compareAndSet(this, expected, x); }
}
