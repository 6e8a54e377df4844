package klm.catalog;

import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import klm.verdict.RunMode;
import klm.verdict.SelectionException;
import klm.verdict.Variant;

/**
 * What the main job runs: {@code -Dprotocol=NAME}, {@code -Dvariant=NAME} (empty = all) and
 * {@code -Dmode=quick|thorough}. Unknown names fail at once with the list of valid ones.
 */
public record Selection(String protocol, String variant, RunMode mode, List<Variant> variants) {

    public static Selection fromSystemProperties() {
        return of(System.getProperties());
    }

    public static Selection of(Properties p) {
        return parse(p.getProperty("protocol", ""), p.getProperty("variant", ""), p.getProperty("mode", "quick"));
    }

    public static Selection parse(String protocol, String variant, String mode) {
        String proto = clean(protocol);
        String var = clean(variant);
        RunMode m = RunMode.parse(mode);
        if (!proto.isEmpty() && !Catalog.protocols().contains(proto)) {
            throw new SelectionException("unknown protocol '" + proto + "'; valid protocols: "
                    + String.join(", ", Catalog.protocols()));
        }
        List<Variant> inProtocol = new ArrayList<>();
        for (Variant v : Catalog.all()) {
            if (proto.isEmpty() || v.protocol().equals(proto)) {
                inProtocol.add(v);
            }
        }
        List<Variant> chosen = new ArrayList<>();
        for (Variant v : inProtocol) {
            if (var.isEmpty() || v.name().equals(var) || v.id().equals(var)) {
                chosen.add(v);
            }
        }
        if (chosen.isEmpty()) {
            List<String> valid = new ArrayList<>();
            for (Variant v : inProtocol) {
                valid.add(proto.isEmpty() ? v.id() : v.name());
            }
            throw new SelectionException("unknown variant '" + var + "'" + (proto.isEmpty() ? "" : " in protocol " + proto)
                    + "; valid variants: " + String.join(", ", valid));
        }
        return new Selection(proto, var, m, List.copyOf(chosen));
    }

    private static String clean(String s) {
        if (s == null) {
            return "";
        }
        String t = s.trim();
        if (t.contains("${")) {
            throw new SelectionException("malformed option value '" + s + "' (an unexpanded Maven property?)");
        }
        return t;
    }

    /** The whole catalog in quick mode: the only run that writes the committed {@code results/}. */
    public boolean full() {
        return protocol.isEmpty() && variant.isEmpty() && mode == RunMode.QUICK;
    }

    /**
     * Where this selection's results go: {@code requested}, except that a selective run (one
     * protocol or variant, or thorough mode) never writes a project's committed {@code results/}
     * (a directory named {@code results} next to a {@code pom.xml}); it writes
     * {@code target/results} of that project instead.
     */
    public java.nio.file.Path resultsDir(java.nio.file.Path requested) {
        java.nio.file.Path r = requested.toAbsolutePath().normalize();
        java.nio.file.Path project = r.getParent();
        if (!full() && r.getFileName() != null && r.getFileName().toString().equals("results") && project != null
                && java.nio.file.Files.isRegularFile(project.resolve("pom.xml"))) {
            return project.resolve("target").resolve("results");
        }
        return r;
    }

    public String describe() {
        String what = protocol.isEmpty() && variant.isEmpty() ? "all protocols"
                : (protocol.isEmpty() ? "" : "protocol " + protocol) + (variant.isEmpty() ? "" : (protocol.isEmpty() ? "" : ", ") + "variant " + variant);
        return what + ", " + mode.key() + " mode";
    }
}
