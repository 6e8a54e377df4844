package klm.kernel;

/** How a lock is requested or held (the lockdep "read" argument, roughly). */
public enum LockMode {
    /** spin lock, mutex: one holder. */
    EXCLUSIVE,
    /** down_read / percpu_down_read: shared, blocked by a writer (waiting writers too, where the lock prefers writers). */
    READ,
    /** lockdep's recursive read (read == 2): a shared acquisition lockdep does not treat as able to wait. */
    RECURSIVE_READ,
    /** down_write / percpu_down_write. */
    WRITE;

    public boolean shared() {
        return this == READ || this == RECURSIVE_READ;
    }

    /** True when a holder in mode {@code held} prevents a request in this mode. */
    public boolean blockedBy(LockMode held) {
        return !(shared() && held.shared());
    }
}
