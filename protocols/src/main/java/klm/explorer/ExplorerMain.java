package klm.explorer;

import java.util.Locale;

import klm.catalog.Selection;
import klm.kernel.Waits;
import klm.verdict.Checker;
import klm.verdict.Observation;
import klm.verdict.SelectionException;
import klm.verdict.Variant;

/**
 * The explorer from the command line: explores the selected variants ({@code -Dprotocol},
 * {@code -Dvariant}, {@code -Dmode}) and prints one line each, with the counterexample's table;
 * or, with {@code -Dklm.replay=SCHEDULE} and one variant, runs that one execution again. Needs
 * {@code -Dklm.blocking=explorer}. Exit status: 0 when every verdict is as expected, 1 if not,
 * 2 on bad input.
 */
public final class ExplorerMain {
    private ExplorerMain() {}

    public static void main(String[] args) {
        System.exit(run());
    }

    static int run() {
        if (!Waits.EXPLORING) {
            System.err.println("[klm] the explorer needs -Dklm.blocking=explorer");
            return 2;
        }
        Selection sel;
        try {
            sel = Selection.fromSystemProperties();
            ExplorerDriver.memory(); // a bad -Dklm.memory fails here, before anything runs
        } catch (SelectionException e) {
            System.err.println("[klm] " + e.getMessage());
            return 2;
        }
        String replay = System.getProperty("klm.replay", "").trim();
        if (!replay.isEmpty()) {
            if (sel.variants().size() != 1) {
                System.err.println("[klm] -Dklm.replay needs exactly one variant (-Dprotocol=P -Dvariant=V); the selection has "
                        + sel.variants().size());
                return 2;
            }
            Variant v = sel.variants().get(0);
            try {
                Explorer.Result r = Explorer.replay(v::newRun, replay, ExplorerDriver.memory());
                System.out.println("[klm] replay of " + v.id() + ": " + r.outcome().name());
                System.out.print(r.trace());
                return 0;
            } catch (IllegalArgumentException e) {
                System.err.println("[klm] " + v.id() + ": bad replay string: " + e.getMessage());
                return 2;
            }
        }
        boolean allMatch = true;
        Checker column = klm.explorer.memory.MemoryModels.column(ExplorerDriver.memory());
        for (Variant v : sel.variants()) {
            if (v.expected(column).verdict() == klm.verdict.Verdict.NOT_RUN) {
                System.out.printf(Locale.ROOT, "[klm] explorer %-45s not run: %s%n", v.id(), v.expected(column).why());
                continue;
            }
            Observation o = ExplorerDriver.observe(v, sel.mode());
            boolean match = v.expected(column).matches(o.verdict, o.outcomes);
            allMatch &= match;
            System.out.printf(Locale.ROOT, "[klm] explorer %-45s %-6s expected %-28s observed %-10s %-22s %s%n", v.id(), v.kind(),
                    v.expected(column).label(), o.verdict, o.outcomesText(), o.figures);
            if (!o.trace.isEmpty() && Boolean.getBoolean("klm.explorer.print")) {
                System.out.print(o.trace);
            }
        }
        return allMatch ? 0 : 1;
    }
}
