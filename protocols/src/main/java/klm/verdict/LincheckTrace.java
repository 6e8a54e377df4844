package klm.verdict;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Trims a Lincheck failure report for a results page: the headline, then the interleaving table
 * without the main thread's column (it only creates, starts and joins the CPU threads), without the
 * harness's plumbing (thread start, binding a thread to its simulated CPU, lock hooks and
 * bookkeeping, monitor enter/exit, the iterations of a wait loop), and without rows left empty.
 * What stays is the model's own calls, the switches between threads, waits, and what threw. A long
 * trace keeps its beginning and its end, where the failure is.
 */
public final class LincheckTrace {
    private LincheckTrace() {}

    /** Cells that are the harness's plumbing, not the protocol. */
    private static final Pattern NOISE = Pattern.compile(String.join("|",
            "run\\(\\)", "cpu\\.markRunning\\(\\)", "cpu\\.markDone\\(\\)", "body\\.run\\(\\)", "runCpu\\(\\d+\\).*",
            "smp\\.cpu\\(\\d+\\).*", "Cpu#\\d+\\.runOn\\(.*", "Thread\\.currentThread\\(\\).*", "startLine\\(\\)",
            "name\\(\\).*", "Kernel\\.mightSleep\\(.*", "Cpu\\.current\\(\\).*", "hook(Acquire|Release)\\(.*",
            "held\\(.*", "dropped\\(.*", "me\\.pollInterrupts\\(\\)", "pending(Hard|Soft)irq\\.readOnce\\(\\): null",
            "finished\\.incReturn\\(\\).*", "usesInterrupts\\(\\).*", "Array<Throwable>.*", "cond\\.getAsBoolean\\(\\).*",
            "MONITORENTER", "MONITOREXIT", "wq\\.sleepers\\.(inc|dec)Return\\(\\).*", "loop\\(.*", "<iterations? .*>",
            "me\\.\\w+ (=|\\u279c).*", "me\\.sleepingOn.*", "haltCheck\\(.*", "me\\.smp\\.halted\\(\\).*",
            "System\\.setProperty\\(.*", "Waits\\.(sleepUntil|spinUntil)\\(.*", "me\\.(beginWait|endWait)\\(.*",
            "Thread\\.onSpinWait\\(\\)"));

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
        List<String> rows = new ArrayList<>();
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
                if (NOISE.matcher(cell.strip()).matches()) {
                    cell = " ".repeat(cell.length());
                }
                if (!cell.isBlank()) {
                    empty = false;
                }
                sb.append(cell).append('|');
            }
            if (!empty) {
                rows.add(sb.toString());
            }
        }
        if (rows.size() <= maxRows) {
            out.addAll(rows);
        } else {
            int head = maxRows / 3;
            out.addAll(rows.subList(0, head));
            out.add("... (" + (rows.size() - maxRows) + " rows left out; the whole report is in target/observations/lincheck)");
            out.addAll(rows.subList(rows.size() - (maxRows - head), rows.size()));
        }
        return String.join("\n", out);
    }
}
