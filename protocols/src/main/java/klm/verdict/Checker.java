package klm.verdict;

/** The four checkers, in the order the results table shows them. */
public enum Checker {
    LINCHECK("Lincheck", "lincheck"),
    JCSTRESS("JCStress", "jcstress"),
    LOCKDEP("lockdep", "lockdep"),
    EXPLORER("explorer", "explorer");

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
