package klm.verdict;

/**
 * Where a variant's code comes from (pairs are first-class), so that a reader knows
 * whether the kernel ever ran it.
 */
public enum Provenance {
    /** A control: textbook locking (locktorture's) that every checker must get right. */
    CONTROL("control", "textbook locking every checker must get right"),
    /** The kernel shipped it: a release had this code (the variant names the commits). */
    HISTORICAL("historical", "the kernel shipped this code"),
    /** A step of a patch series or a posted version of a patch, not a release. */
    INTERMEDIATE("intermediate", "a step of a patch series or a posted version, never a release"),
    /** An order or a shortcut the kernel forbids, built to show why it is forbidden. */
    COUNTERFACTUAL("counterfactual", "an order or shortcut the kernel forbids, built to show why"),
    /** A fix this project proposes for a finding of its own: no kernel has it (yet). */
    PROPOSED("proposed", "a fix proposed for a finding of this project, in no kernel"),
    /** A deliberate break that never shipped (a control, a dropped barrier, a missed conversion). */
    MUTATION("mutation", "a deliberate break that never shipped");

    private final String label;
    private final String meaning;

    Provenance(String label, String meaning) {
        this.label = label;
        this.meaning = meaning;
    }

    public String label() {
        return label;
    }

    public String meaning() {
        return meaning;
    }
}
