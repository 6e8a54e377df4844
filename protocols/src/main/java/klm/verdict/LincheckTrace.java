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
            "Thread\\.onSpinWait\\(\\)", "owner\\.(tryCmpxchg|tryCmpxchgAcquire|readOnce|storeRelease)\\(.*", "me\\.context\\(\\).*",
            "ExecContext#\\d+\\..*", "ownerContext = .*", "Array<\\w+>#\\d+\\[\\d+\\].*", "smp\\.halt\\(\\)",
            "runState = .*", "v\\.\\w+\\(.*", "(add|inc|dec)Return\\(.*", "halted\\.\\w+\\(.*", "c\\.sleepingOn.*",
            "\\w*(Exception|Error)\\.<init>\\(.*", "writer\\.(readOnce|writeOnce)\\(.*", "count\\.\\w+\\(.*",
            "wq\\.wakeUp\\w*\\(\\)", "try(Write|Read)\\(.*", "Kernel\\.current\\(\\).*", "\\w+\\.writeLockedBy\\(.*",
            "waitingWriters\\.\\w+\\(.*", "sleepers\\.\\w+\\(.*", "preemptCount.*", "super\\.<init>.*",
            "push\\(Ptr#.*", "deliverIfIdleInSequentialRun\\(\\)", "smp\\.sequential\\(\\).*", "(Cpu#\\d+\\.)?pollInterrupts\\(\\)",
            "pending(Hard|Soft)irq\\.\\w+\\(.*", "(soft|hard)irqDeliverable\\(\\).*", "Waits\\.bounded\\(\\).*",
            "Cpu#\\d+\\.idleUntil\\(.*", "takeAll\\(.*", "(suspend|resume)Wait\\(.*", "irq\\.(name|handler)\\(\\).*",
            "contextNote.*", "softirqServing.*", "hardirqCount.*", "irqsDisabled.*", "ArrayList\\..*", "fifo\\..*",
            "list\\.(xchg|readOnce|tryCmpxchg)\\(.*", "i\\.next\\(\\).*",
            "(Cpu#\\d+\\.)?(waiting|bhDisableCount|irqsDisabled|hardirqCount|softirqServing) (=|\\u279c).*",
            "ArrayList#\\d+\\..*", "(Abstract\\w+|Object)\\.<init>.*", "Itr#\\d+\\..*", "checkForComodification\\(\\)",
            "work\\.(pending|queued|completed|runs|flushWait)\\..*", "poolLock\\..*", "worklist\\..*", "nrQueued\\..*",
            "more\\..*", "IntArray#.*", "\\w+\\.ordinal\\(\\).*", "sequential (=|\\u279c).*", "(Cpu#\\d+\\.)?context\\(\\).*",
            "ExecContext\\.<init>.*", "processOneWork\\(\\).*", "stopping\\..*",
            "rangeCheckForAdd\\(.*", "grow\\(\\).*", "Math\\.\\w+\\(.*", "System\\.arraycopy\\(.*", "Cpu\\.Irq\\.<init>.*",
            "Record\\.<init>.*", "c\\.irqsDisabled.*", "Kernel\\.localIrq(Save|Restore)\\(.*", "spin(Un)?[lL]ock\\(\\)",
            "StringBuilder.*", "sb\\..*", "(elements|tail|head) (=|\\u279c).*", "inc\\(\\d+, \\d+\\).*", "LockHooks\\..*",
            "LISTENERS\\..*", "size\\(\\).*", "getArray\\(\\).*", "finished\\..*", "wqHasSleeper\\(\\).*",
            "freeing\\.(irqSafe|deferred)\\(\\).*", "lock\\.spin(Un)?lock\\(\\)", "vmas\\.iterator\\(\\).*",
            "c\\.pollInterrupts\\(\\)", "Kernel\\.inTask\\(\\).*"));

    /** Where an interrupt handler starts: its body counts its depth from here, not from task(n). */
    private static final Pattern HANDLER = Pattern.compile(
            "run(Soft|Hard)irqs\\(\\)|Lambda#\\d+\\.run\\(\\).*|work\\.func\\.run\\(\\).*|(\\w+\\.)?runPending\\(\\).*");

    /** Lincheck's "at Foo.bar(Foo.java:12)" suffix on detailed-trace rows. */
    private static final Pattern LOCATION = Pattern.compile(" at [\\w$.<>]+\\([\\w.]+:\\d+\\)\\s*$");
    /** How many call levels below a thread's task(n) a step is still the protocol's (deeper: lock internals). */
    private static final int MAX_DEPTH = 3;

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
        // Prefer the detailed trace: the short table folds a thread that ran without a switch into run().
        int detailed = -1;
        for (int j = i; j < lines.size(); j++) {
            if (lines.get(j).startsWith("Detailed trace")) {
                detailed = j;
                break;
            }
        }
        out.add(detailed >= 0 ? "The interleaving (Lincheck's detailed trace, the protocol's steps):"
                : "The following interleaving leads to the error:");
        List<String[]> table = new ArrayList<>();
        for (int j = detailed >= 0 ? detailed : i; j < lines.size(); j++) {
            String l = lines.get(j);
            if (detailed < 0 && l.startsWith("Detailed trace")) {
                break;
            }
            if (!l.startsWith("|") || l.startsWith("| ---")) {
                continue;
            }
            String[] cells = l.split("\\|", -1);
            if (cells.length >= 4) {
                table.add(cells);
            }
        }
        int columns = table.isEmpty() ? 0 : table.get(0).length;
        int[] base = new int[columns];
        java.util.Arrays.fill(base, -1);
        List<java.util.ArrayDeque<Integer>> handlerBase = new ArrayList<>();
        List<java.util.ArrayDeque<Integer>> loops = new ArrayList<>();
        for (int c = 0; c < columns; c++) {
            handlerBase.add(new java.util.ArrayDeque<>());
            loops.add(new java.util.ArrayDeque<>());
        }
        List<String[]> kept = new ArrayList<>();
        for (String[] cells : table) {
            String[] row = new String[Math.max(0, Math.min(cells.length - 1, columns) - 2)];
            boolean empty = true;
            for (int c = 2; c < cells.length - 1 && c < columns; c++) {
                String cell = LOCATION.matcher(cells[c]).replaceAll("");
                String text = cell.strip();
                int indent = cell.length() - cell.stripLeading().length();
                if (text.startsWith("task(") && base[c] < 0) {
                    base[c] = indent;
                }
                java.util.ArrayDeque<Integer> handlers = handlerBase.get(c);
                while (!text.isEmpty() && !handlers.isEmpty() && indent <= handlers.peek()) {
                    handlers.pop(); // back out of an interrupt handler
                }
                java.util.ArrayDeque<Integer> loopStack = loops.get(c);
                while (!text.isEmpty() && !loopStack.isEmpty() && indent <= loopStack.peek()) {
                    loopStack.pop();
                }
                int structural = loopStack.size(); // loop(...) and <iteration> rows nest without being calls
                int fromHere = handlers.isEmpty() ? base[c] : handlers.peek() + 2;
                if ((text.startsWith("loop(") || text.startsWith("<iteration")) && base[c] >= 0
                        && indent - fromHere - 2 * structural <= 2 * MAX_DEPTH) {
                    loopStack.push(indent); // only the protocol's own loops, not the runtime's
                }
                boolean keep = !text.isEmpty() && !NOISE.matcher(text).matches();
                boolean always = text.startsWith("switch") || text.contains("threw") || text.equals("WAIT")
                        || text.startsWith("Thread ");
                int from = handlers.isEmpty() ? base[c] : handlers.peek() + 2;
                if (HANDLER.matcher(text).matches()) {
                    handlers.push(indent);
                    keep = true;
                    always = true;
                }
                if (keep && !always && base[c] >= 0 && indent - from - 2 * structural > 2 * MAX_DEPTH) {
                    keep = false; // inside a lock or the runtime: not the protocol's step
                }
                if (!keep) {
                    cell = "";
                }
                if (!cell.isBlank()) {
                    empty = false;
                }
                row[c - 2] = text.startsWith("Thread ") ? text : cell.stripTrailing();
            }
            if (!empty) {
                kept.add(row);
            }
        }
        List<String> rows = narrow(kept);
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

    /** Widest a rendered trace row may be: a page's code block should not scroll. */
    static final int MAX_WIDTH = 100;

    /**
     * The kept cells as a narrow table: each column's common indentation removed and the rest halved
     * (one space per call level), each column as wide as its longest cell but at most its share of
     * {@link #MAX_WIDTH}; a longer cell is cut with "~".
     */
    private static List<String> narrow(List<String[]> kept) {
        int ncols = kept.isEmpty() ? 0 : kept.get(0).length;
        int share = ncols == 0 ? MAX_WIDTH : Math.max(20, (MAX_WIDTH - 1) / ncols - 1);
        int[] minIndent = new int[ncols];
        java.util.Arrays.fill(minIndent, Integer.MAX_VALUE);
        for (String[] row : kept) {
            for (int c = 0; c < ncols && c < row.length; c++) {
                String cell = row[c];
                if (cell != null && !cell.isBlank() && !cell.startsWith("Thread ")) {
                    minIndent[c] = Math.min(minIndent[c], cell.length() - cell.stripLeading().length());
                }
            }
        }
        List<String[]> shaped = new ArrayList<>();
        int[] width = new int[ncols];
        for (String[] row : kept) {
            String[] out = new String[ncols];
            for (int c = 0; c < ncols; c++) {
                String cell = c < row.length && row[c] != null ? row[c] : "";
                if (!cell.isBlank() && !cell.startsWith("Thread ") && minIndent[c] != Integer.MAX_VALUE) {
                    int indent = cell.length() - cell.stripLeading().length();
                    cell = " ".repeat(Math.max(0, indent - minIndent[c]) / 2) + cell.strip();
                } else {
                    cell = cell.strip();
                }
                if (cell.length() > share) {
                    cell = cell.substring(0, share - 1) + "~";
                }
                out[c] = cell;
                width[c] = Math.max(width[c], cell.length());
            }
            shaped.add(out);
        }
        List<String> rows = new ArrayList<>();
        for (String[] row : shaped) {
            StringBuilder sb = new StringBuilder("|");
            for (int c = 0; c < ncols; c++) {
                sb.append(String.format("%-" + Math.max(1, width[c]) + "s", row[c])).append('|');
            }
            rows.add(sb.toString());
        }
        return rows;
    }
}
