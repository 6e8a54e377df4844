package klm.verdict;

import java.util.ArrayList;
import java.util.List;

/**
 * Trims a Lincheck failure report for a results page: the headline, then the interleaving table
 * without the main thread's column (it only creates, starts and joins the CPU threads) and without
 * rows that became empty, cut to a number of lines.
 */
public final class LincheckTrace {
    private LincheckTrace() {}

    public static String trim(String report, int maxRows) {
        List<String> out = new ArrayList<>();
        List<String> lines = report.lines().toList();
        int i = 0;
        for (; i < lines.size(); i++) {
            String l = lines.get(i);
            if (l.startsWith("| ---") || l.startsWith("The following interleaving")) {
                break;
            }
            if (!l.isBlank() && !l.startsWith("\tat ") && out.size() < 6) {
                out.add(l.strip());
            }
        }
        int rows = 0;
        for (; i < lines.size(); i++) {
            String l = lines.get(i);
            if (!l.startsWith("|")) {
                if (l.startsWith("The following interleaving")) {
                    out.add(l);
                }
                if (l.startsWith("Detailed trace")) {
                    break;
                }
                continue;
            }
            String[] cells = l.split("\\|", -1);
            if (cells.length < 4 || l.startsWith("| ---")) {
                continue;
            }
            StringBuilder sb = new StringBuilder("|");
            boolean empty = true;
            for (int c = 2; c < cells.length - 1; c++) {
                String cell = cells[c]; // keep Lincheck's padding: the columns stay aligned
                if (!cell.isBlank()) {
                    empty = false;
                }
                sb.append(cell).append('|');
            }
            if (empty) {
                continue;
            }
            out.add(sb.toString());
            if (++rows >= maxRows) {
                out.add("... (trimmed to " + maxRows + " rows; the whole report is in target/observations/lincheck)");
                break;
            }
        }
        return String.join("\n", out);
    }
}
