package klm.lincheck;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import klm.verdict.Checker;
import klm.verdict.Selection;
import klm.verdict.Variant;

/**
 * Lincheck's column of the results table: every selected variant's scenario under
 * runConcurrentTest. A BUGGY variant must be found, with the expected kind of failure and outcome
 * name; a FIXED variant must come out clean after its stated number of invocations. The
 * observation is written for the summary before the assertion, so a mismatch is both a red test
 * and a ✗ in results/summary.md.
 */
class LincheckVerdictTest {

    static List<Variant> selected() {
        return Selection.fromSystemProperties().variants();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("selected")
    @Timeout(value = 15, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void lincheckVerdict(Variant v) throws Exception {
        Selection sel = Selection.fromSystemProperties();
        VerdictRecorder.check(v, Checker.LINCHECK, () -> {
            int invocations = v.lincheckInvocations(sel.mode());
            System.out.printf("[klm] lincheck %-40s %s, up to %,d invocations...%n", v.id(), v.kind(), invocations);
            return LincheckDriver.check(v, invocations);
        });
    }
}
