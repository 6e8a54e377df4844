package klm.lincheck;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import klm.catalog.Selection;
import klm.lockdep.LockdepDriver;
import klm.verdict.Checker;
import klm.verdict.Variant;

/**
 * lockdep's column of the results table: every selected variant's paths, once each, single-threaded,
 * with the validator attached. It lives beside the Lincheck verdict test because this module's
 * failures do not stop the JCStress stage from writing the summary (the build runs fail-at-end and
 * the jcstress module does not depend on this one).
 */
class LockdepVerdictTest {

    static List<Variant> selected() {
        return Selection.fromSystemProperties().variants();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("selected")
    void lockdepVerdict(Variant v) throws Exception {
        VerdictRecorder.check(v, Checker.LOCKDEP, () -> LockdepDriver.observe(v));
    }
}
