package klm.verdict;

/** A variant reproduces a bug from the kernel's history, or is the version that closed it. */
public enum Kind { BUGGY, FIXED }
