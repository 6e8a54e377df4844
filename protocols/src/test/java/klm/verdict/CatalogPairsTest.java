package klm.verdict;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Pairs are first-class (issue 15): every variant says where its code comes from, and every BUGGY
 * variant names the FIXED variant(s) of its protocol that fix it.
 */
class CatalogPairsTest {
    @Test
    void everyBuggyVariantNamesItsFixAndEveryVariantItsProvenance() {
        List<String> problems = new ArrayList<>();
        for (Variant v : Catalog.all()) {
            if (v.provenance() == null) {
                problems.add(v.id() + ": no provenance");
            }
            if (v.kind() == Kind.BUGGY && v.fixedBy().isEmpty()) {
                problems.add(v.id() + ": BUGGY without the FIXED variant that fixes it");
            }
            if (v.kind() == Kind.FIXED && !v.fixedBy().isEmpty()) {
                problems.add(v.id() + ": a FIXED variant names a fix");
            }
            for (String f : v.fixedBy()) {
                Variant fix = Catalog.all().stream()
                        .filter(x -> x.protocol().equals(v.protocol()) && x.name().equals(f)).findFirst().orElse(null);
                if (fix == null || fix.kind() != Kind.FIXED) {
                    problems.add(v.id() + ": fixed by " + f + ", which is not a FIXED variant of " + v.protocol());
                }
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }
}
