package klm.verdict;

/** The checkers, in the order the results table shows them (the explorer once per memory model). */
public enum Checker {
    LINCHECK("Lincheck", "lincheck"),
    JCSTRESS("JCStress", "jcstress"),
    LOCKDEP("lockdep", "lockdep"),
    EXPLORER("explorer", "explorer"),
    /** The explorer under x86-TSO: store buffers (issue 13). */
    EXPLORER_TSO("explorer (TSO)", "explorer-tso"),
    /** The explorer under its release/acquire "views" model: stale reads, store->store and load->load reordering (issue 13). */
    EXPLORER_RA("explorer (RA)", "explorer-ra");

    /** The explorer's column under memory model {@code m}. */
    public static Checker explorer(klm.kernel.Scheduler.Memory m) {
        return switch (m) {
            case SC -> EXPLORER;
            case TSO -> EXPLORER_TSO;
            case RA -> EXPLORER_RA;
        };
    }

    private final String title;
    private final String key;

    Checker(String title, String key) {
        this.title = title;
        this.key = key;
    }

    public String title() {
        return title;
    }

    /** Lower-case name used in files and JSON. */
    public String key() {
        return key;
    }
}
