package klm.report;

import java.nio.file.Path;
import klm.catalog.Selection;

/**
 * The last step of the main job: merges observations into results/ and exits non-zero (after
 * writing) when an observed verdict differs from the expected one.
 * Arguments: results-dir observations-dir run-id protocol variant mode.
 */
public final class SummaryMain {
    private SummaryMain() {}

    public static int run(String[] args) throws Exception {
        if (args.length < 6) {
            System.err.println("usage: SummaryMain <results-dir> <observations-dir> <run-id> <protocol> <variant> <mode>");
            return 2;
        }
        Selection sel = Selection.parse(args[3], args[4], args[5]);
        Path results = Path.of(args[0]).toAbsolutePath();
        Path observations = Path.of(args[1]).toAbsolutePath();
        Summary s = new Summary(sel, observations, args[2]);
        s.writeTo(results, observations.resolve("staging"));
        System.out.println();
        System.out.println("[klm] " + s.consoleTable().replace("\n", "\n[klm] "));
        System.out.println("[klm] wrote " + results.resolve("summary.md") + " and " + results.resolve("summary.json"));
        for (String f : s.crossCheckFailures()) {
            System.out.println("[klm] CROSS-CHECK FAILED: " + f.replace("\n", "\n[klm]   "));
        }
        if (!s.ok()) {
            System.out.println("[klm] FAILED: " + s.mismatches().size() + " observed verdict(s) differ from the expected ones, "
                    + s.crossCheckFailures().size() + " cross-check failure(s)");
            for (Summary.Row r : s.mismatches()) {
                System.out.println("[klm]   " + Summary.mismatchLine(r)); // the last lines of a red build
            }
            return 1;
        }
        System.out.println("[klm] every observed verdict equals the expected one");
        return 0;
    }

    public static void main(String[] args) throws Exception {
        System.exit(run(args));
    }
}
