package klm.verdict;

import java.util.Locale;

/** quick (the default: what CI and a first look need) or thorough (longer JCStress, more Lincheck invocations). */
public enum RunMode {
    QUICK, THOROUGH;

    public static RunMode parse(String value) {
        String v = value == null || value.isBlank() ? "quick" : value.trim().toLowerCase(Locale.ROOT);
        for (RunMode m : values()) {
            if (m.key().equals(v)) {
                return m;
            }
        }
        throw new SelectionException("-Dmode=" + value + " is not a mode; valid modes: quick, thorough");
    }

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
