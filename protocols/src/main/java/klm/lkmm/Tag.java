package klm.lkmm;

/**
 * The annotations an event carries, as linux-kernel.bell and lock.cat name them: the access
 * annotations ({@code 'once}, {@code 'acquire}, {@code 'release}, {@code 'noreturn}), the lock
 * events of lock.cat, and the fence kinds of the {@code Barriers} enum. A set of tags is an
 * {@code int} bit mask ({@link #bit}).
 */
public enum Tag {
    /** READ_ONCE, WRITE_ONCE, a relaxed RMW's accesses (bell: {@code 'once}). */
    ONCE,
    /** smp_load_acquire, an _acquire RMW's read (bell: {@code 'acquire}). */
    ACQUIRE,
    /** smp_store_release, an _release RMW's write (bell: {@code 'release}). */
    RELEASE,
    /** The read of an RMW that returns no value, atomic_inc() (bell: {@code 'noreturn}). */
    NORETURN,
    /** An event of an atomic RMW instruction (bell: {@code instructions RMW[...]}, cat set {@code RMW}). */
    RMW,
    /** An x86 LOCK-prefixed instruction's event (any atomic RMW, failed or not, a lock's acquisition): x86-TSO only. */
    LOCKED,
    /** The initial write of a location (cat set {@code IW}). */
    INIT,
    /** spin_lock's read of the lock (lock.cat {@code LKR}). */
    LKR,
    /** spin_lock's write of the lock (lock.cat {@code LKW}). */
    LKW,
    /** spin_unlock (lock.cat {@code UL}). */
    UL,
    /** A failed spin_trylock (lock.cat {@code LF}). */
    LF,
    /** spin_is_locked() returning true (lock.cat {@code RL}). */
    RL,
    /** spin_is_locked() returning false (lock.cat {@code RU}). */
    RU,
    /** smp_mb() (bell {@code 'mb}). */
    MB,
    /** smp_rmb() (bell {@code 'rmb}). */
    RMB,
    /** smp_wmb() (bell {@code 'wmb}). */
    WMB,
    /** smp_mb__before_atomic() (bell {@code 'before-atomic}). */
    BEFORE_ATOMIC,
    /** smp_mb__after_atomic() (bell {@code 'after-atomic}). */
    AFTER_ATOMIC,
    /** smp_mb__after_spinlock() (bell {@code 'after-spinlock}). */
    AFTER_SPINLOCK,
    /** smp_mb__after_unlock_lock() (bell {@code 'after-unlock-lock}). */
    AFTER_UNLOCK_LOCK,
    /** barrier() (bell {@code 'barrier}): a compiler barrier, no ordering between CPUs. */
    BARRIER,
    /**
     * A plain C access ({@code *x = v}, {@code r = *x}): no annotation at all in linux-kernel.def's
     * sense, so the event is in none of the bell's Marked sets (bell: {@code let Plain = M \ Marked}).
     */
    PLAIN,
    /**
     * rcu_read_lock(), rcu_read_unlock() (bell {@code 'rcu-lock}, {@code 'rcu-unlock}): without grace
     * periods they order nothing; unlike barrier() they are not in the cat's {@code barrier} relation.
     */
    RCU_LOCK;

    public int bit() {
        return 1 << ordinal();
    }

    /** The mask of the given tags. */
    public static int of(Tag... tags) {
        int m = 0;
        for (Tag t : tags) {
            m |= t.bit();
        }
        return m;
    }
}
