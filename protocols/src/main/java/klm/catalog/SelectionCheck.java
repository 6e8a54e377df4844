package klm.catalog;

import klm.verdict.Checker;
import klm.verdict.SelectionException;

/**
 * Run by the build right after the protocols module compiles: validates -Dprotocol, -Dvariant and
 * -Dmode (and -Dklm.memory) before any checker starts, so a typo fails in seconds with the list of valid names.
 */
public final class SelectionCheck {
    private SelectionCheck() {}

    public static void main(String[] args) {
        String protocol = args.length > 0 ? args[0] : "";
        String variant = args.length > 1 ? args[1] : "";
        String mode = args.length > 2 ? args[2] : "quick";
        try {
            String memory = args.length > 3 ? args[3] : "";
            if (memory != null && !memory.isBlank() && Checker.explorers().stream().noneMatch(c -> c.model().equals(memory.trim().toLowerCase(java.util.Locale.ROOT)))) {
                throw new SelectionException("-Dklm.memory: unknown memory model '" + memory + "'; valid: "
                        + String.join(", ", Checker.explorers().stream().map(Checker::model).toList()));
            }
            Selection s = Selection.parse(protocol, variant, mode);
            System.out.println("[klm] selection: " + s.describe() + ": " + s.variants().size() + " variant(s): " + s.variants());
        } catch (SelectionException e) {
            System.err.println("[klm] ERROR: " + e.getMessage());
            throw e;
        }
    }
}
