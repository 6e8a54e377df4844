package klm.kernel;

/**
 * How the runtime performs the accesses of {@link Word}, {@link Ptr} and {@link PerCpuInt} outside
 * the explorer (system property {@code klm.access}):
 * <ul>
 *   <li>{@code kernel} (default): the project's mapping of the kernel's primitives (plain, opaque,
 *       acquire/release, fully ordered read-modify-writes);</li>
 *   <li>{@code volatile}: every access is a volatile get or set, and every read-modify-write a loop of
 *       volatile get and {@code compareAndSet}. This is only for a peer that schedules threads at
 *       volatile accesses and no others (Fray, in the performance run): without it such a tool sees
 *       no point at which the simulated CPUs could interleave. It makes every access sequentially
 *       consistent, so it hides every reordering bug; no checker of the verdict table runs in it.</li>
 * </ul>
 * The explorer's hooks come first in every accessor, so this mode changes nothing under the explorer.
 */
public final class AccessMode {
    private AccessMode() {}

    /** True when every access is volatile ({@code -Dklm.access=volatile}). */
    public static final boolean VOLATILE = parse(System.getProperty("klm.access", "kernel"));

    static boolean parse(String value) {
        return switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "kernel", "" -> false;
            case "volatile" -> true;
            default -> throw new IllegalArgumentException("klm.access=" + value
                    + " is not an access mode; valid: kernel (the default), volatile (every access volatile, for Fray)");
        };
    }
}
