package klm.lincheck;

import klm.verdict.Observation;
import klm.verdict.Variant;

/** Lets the performance run drive {@link LincheckDriver} exactly as the verdict tests do. */
public final class LincheckPerfAccess {
    private LincheckPerfAccess() {}

    public static Observation check(Variant v, int invocations) {
        return LincheckDriver.check(v, invocations);
    }
}
