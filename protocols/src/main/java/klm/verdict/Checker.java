package klm.verdict;

/** The checkers, in the order the results table shows them (the explorer once per memory model). */
public enum Checker {
    LINCHECK("Lincheck", "lincheck"),
    JCSTRESS("JCStress", "jcstress"),
    LOCKDEP("lockdep", "lockdep"),
    EXPLORER("explorer", "explorer"),
    /** The explorer under x86-TSO: store buffers (issue 13). */
    EXPLORER_TSO("explorer (TSO)", "explorer-tso");

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
