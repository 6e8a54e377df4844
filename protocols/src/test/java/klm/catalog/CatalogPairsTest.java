package klm.catalog;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import klm.verdict.Kind;
import klm.verdict.Variant;

/**
 * Pairs are first-class: every variant says where its code comes from, and every BUGGY
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

    /**
     * A variant's run must be built by a lambda ({@code bugs -> new Run(bugs)}), never a constructor
     * reference ({@code Run::new}): with constructor references in the catalog, Lincheck's model
     * checker stopped after 3 invocations and called every exploration complete (docs/DESIGN.md,
     * "What Lincheck taught us"), which turns its whole column into silent CLEANs.
     */
    @org.junit.jupiter.api.Test
    void noCatalogBuildsARunWithAConstructorReference() throws java.io.IOException {
        try (var files = java.nio.file.Files.walk(java.nio.file.Path.of("src/main/java/klm/protocols"))) {
            for (java.nio.file.Path p : files.filter(f -> f.toString().endsWith("Protocol.java")).toList()) {
                String text = java.nio.file.Files.readString(p);
                org.junit.jupiter.api.Assertions.assertFalse(text.matches("(?s).*Run::new.*"),
                        p + " builds a run with a constructor reference (Run::new); write bugs -> new Run(bugs)");
            }
        }
    }
}
