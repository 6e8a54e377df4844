package klm.report;

import java.util.ArrayList;
import java.util.List;

/**
 * What a results page quotes of a Lincheck failure report: its headline (the failure and the
 * outcome the model raised), not its interleaving table. That table is written in Lincheck's
 * vocabulary, Java calls on objects named {@code HugePage#3} and {@code SpinLock#1}, at Lincheck's
 * own switch points, and no filter over it both keeps every unlock and context decision and drops
 * the runtime's plumbing (docs/DESIGN.md, "Which trace a page shows"). The page shows the explorer's
 * counterexample instead, in the kernel's names; the whole Lincheck report stays in
 * {@code target/observations/lincheck/<protocol>__<variant>.trace.txt}.
 */
public final class LincheckTrace {
    private LincheckTrace() {}

    /** Widest a rendered line may be: a page's code block should not scroll. */
    static final int MAX_WIDTH = 100;

    /** The report's lines before its interleaving table (at most {@code maxLines}, stack frames left out). */
    public static String headline(String report, int maxLines) {
        List<String> out = new ArrayList<>();
        for (String l : report.lines().toList()) {
            if (l.startsWith("| ") || l.startsWith("The following interleaving") || l.startsWith("Detailed trace")) {
                break;
            }
            if (!l.isBlank() && !l.startsWith("\tat ") && out.size() < maxLines) {
                out.add(l.strip());
            }
        }
        return String.join("\n", out);
    }
}
