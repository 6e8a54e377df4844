package klm.kernel;

/** The kernel name of a runtime object (a lock's class name, a wait queue's name), for traces; null otherwise. */
public final class KernelLockNames {
    private KernelLockNames() {}

    public static String nameOf(Object o) {
        if (o instanceof KernelLock l) {
            return l.name();
        }
        if (o instanceof WaitQueueHead q) {
            return q.name();
        }
        return null;
    }
}
