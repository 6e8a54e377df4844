package klm.kernel;

import java.util.function.BooleanSupplier;

/**
 * What the explorer implements to control a run of the runtime (see {@link Explored}, the static
 * hooks the runtime calls, as {@link LockHooks} is for lock validators). The runtime knows only
 * this door: which memory model runs, what a store buffer or a view is, and how the next CPU is
 * chosen belong to the explorer.
 */
public interface Exploration {
    /** The ordering of an access or read-modify-write, in the kernel's terms. */
    enum Order {
        /** READ_ONCE/WRITE_ONCE, plain C, non-returning atomics. */
        RELAXED,
        /** smp_load_acquire(), a lock's acquisition, *_acquire RMWs. */
        ACQUIRE,
        /**
         * READ_ONCE() of a pointer (rcu_dereference()): a relaxed load whose value later accesses
         * go through, so an address dependency orders them after it.
         */
        ADDRESS,
        /** smp_store_release(), an unlock, *_release RMWs. */
        RELEASE,
        /** xchg(), cmpxchg(), value-returning atomics: fully ordered. */
        FULL,
        /**
         * Not a kernel access: the runtime's own record of an interrupt raised for a CPU, which
         * that CPU's interrupt points read as an interrupt controller would: the newest write,
         * ordered as an acquire (the handler sees what its raiser did before raising). When an
         * interrupt arrives is the schedule's choice (interrupt points are steps), so a memory
         * model gives such a load no older write to read.
         */
        DELIVERY
    }

    /** The kernel's barriers. */
    enum Fence {
        /** smp_mb() (and the smp_mb__*() forms mapped onto it). */
        MB,
        /** smp_rmb(). */
        RMB,
        /** smp_wmb(). */
        WMB
    }

    /**
     * A load by the running CPU, with its step: the value its memory model makes it read, or
     * {@link Explored#MEMORY} when it reads the variable's memory.
     */
    Object load(Location loc, int slot, Order order);

    /** The checker's read inside a CPU's code: a step, reading the newest write its CPU can see; orders nothing. */
    Object oracle(Location loc, int slot);

    /** A read without a step of a fact only the reading CPU can change: its own pending store, or {@link Explored#MEMORY}. */
    Object peekLocal(Location loc, int slot);

    /** A store; true when the memory model keeps it (a store buffer): the caller must not write memory. */
    boolean store(Location loc, int slot, Object value, Order order);

    /** Before a read-modify-write of {@code loc}; {@link #rmwEnd} follows it. */
    void rmwBegin(Location loc, int slot, Order order);

    /** After the read-modify-write announced by {@link #rmwBegin}. */
    void rmwEnd(Location loc, int slot);

    void fence(Fence fence);

    /**
     * Waits until {@code cond} holds (an idle CPU: until the execution ends, then false);
     * {@code record} names what is waited for, for a deadlock report (null when idle).
     */
    boolean await(Cpu cpu, BooleanSupplier cond, WaitRecord record, boolean idle);

    /** The machine {@code smp} halts (a CPU died): the other CPUs stop at their next step. */
    void halting(Smp smp);

    /** True on a thread the exploration controls (elsewhere waits and locks behave as in bounded mode). */
    boolean controls();

    /** True while interrupts must not be delivered (a wait condition evaluated as one step). */
    boolean suppressInterrupts();

    /** The CPU {@link Cpu#current()} answers while a waiter's condition is evaluated on another CPU's thread, or null. */
    Cpu override();
}
