package klm.kernel;

/**
 * A lock class in lockdep's sense: the role of a lock ("hugetlb_lock", "mem_hotplug_lock"), not an
 * instance. Two instances created with the same name share the class.
 */
public record LockClass(String name) {
    public LockClass {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a lock class needs a name");
        }
    }

    public static LockClass of(String name) {
        return new LockClass(name);
    }

    @Override
    public String toString() {
        return name;
    }
}
