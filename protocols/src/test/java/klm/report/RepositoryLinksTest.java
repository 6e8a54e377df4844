package klm.report;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The repository stands on its own: every relative link of its markdown (README, docs,
 * the protocol pages as they are rendered into results/, the committed results) and every file of
 * the repository a text cites by path resolves, anchors included; nothing refers to files outside it.
 */
class RepositoryLinksTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path PAGES = ROOT.resolve("protocols/src/main/resources/klm/pages");
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
    private static final Pattern CITED = Pattern.compile(
            "`((?:protocols|lincheck|jcstress|docs|results|klm)/[A-Za-z0-9_./-]*[A-Za-z0-9_/-])`");
    private static final Pattern PAGE_RESOURCE = Pattern.compile("klm/pages/[a-z-]+\\.md");

    private static List<Path> markdown() throws IOException {
        List<Path> out = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        for (String dir : List.of("docs", "results", "protocols/src/main/resources/klm/pages")) {
            try (Stream<Path> s = Files.list(ROOT.resolve(dir))) {
                s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(out::add);
            }
        }
        return out;
    }

    /** Where a file's relative links resolve from: a page is read as rendered into results/. */
    private static Path base(Path md) {
        return md.startsWith(PAGES) ? ROOT.resolve("results") : md.getParent();
    }

    /** GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens. */
    static String slug(String heading) {
        return heading.strip().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9 _-]", "").replace(' ', '-');
    }

    private static boolean hasAnchor(Path md, String anchor) throws IOException {
        for (String l : Files.readAllLines(md)) {
            if (l.startsWith("#") && slug(l.replaceFirst("^#+", "")).equals(anchor)) {
                return true;
            }
        }
        return false;
    }

    @Test
    void everyRelativeLinkResolves() throws IOException {
        List<String> broken = new ArrayList<>();
        for (Path md : markdown()) {
            Matcher m = LINK.matcher(Files.readString(md));
            while (m.find()) {
                String target = m.group(1);
                if (target.matches("^[a-z]+:.*") || target.startsWith("#")) {
                    continue;
                }
                String file = target.contains("#") ? target.substring(0, target.indexOf('#')) : target;
                String anchor = target.contains("#") ? target.substring(target.indexOf('#') + 1) : null;
                Path p = base(md).resolve(file).normalize();
                if (!Files.exists(p)) {
                    broken.add(ROOT.relativize(md) + ": " + target + " (no file " + ROOT.relativize(p) + ")");
                } else if (anchor != null && p.toString().endsWith(".md") && !hasAnchor(p, anchor)) {
                    broken.add(ROOT.relativize(md) + ": " + target + " (no heading #" + anchor + ")");
                }
            }
        }
        assertTrue(broken.isEmpty(), "broken links:\n" + String.join("\n", broken));
    }

    @Test
    void everyCitedFileExists() throws IOException {
        List<String> missing = new ArrayList<>();
        List<Path> texts = new ArrayList<>(markdown());
        try (Stream<Path> s = Files.walk(ROOT.resolve("protocols/src/main/java"))) {
            s.filter(p -> p.toString().endsWith(".java")).forEach(texts::add);
        }
        for (Path t : texts) {
            String text = Files.readString(t);
            Matcher m = CITED.matcher(text);
            while (m.find()) {
                String cited = m.group(1);
                if (cited.matches(".*[A-Z]{3,}\\..*") || cited.contains("/target/") || cited.startsWith("target/")) {
                    continue; // a template such as results/soak/KEY.properties, or what a build writes
                }
                boolean found = Files.exists(ROOT.resolve(cited))
                        || Files.exists(ROOT.resolve("protocols/src/main/java").resolve(cited))
                        || Files.exists(ROOT.resolve("protocols/src/main/resources").resolve(cited));
                if (!found) {
                    missing.add(ROOT.relativize(t) + ": " + cited);
                }
            }
            Matcher r = PAGE_RESOURCE.matcher(text);
            while (r.find()) {
                if (!Files.exists(ROOT.resolve("protocols/src/main/resources").resolve(r.group()))) {
                    missing.add(ROOT.relativize(t) + ": " + r.group());
                }
            }
        }
        assertTrue(missing.isEmpty(), "cited files that do not exist:\n" + String.join("\n", missing));
    }

    /** Relative paths that climb out of the directory they are read from (dot-dot segments). */
    private static final Pattern CLIMBING = Pattern.compile("(?<![\\w/.])((?:\\.\\./)+[\\w.+-]+(?:/[\\w.+-]+)*)");
    /** A markdown file named anywhere in a text. */
    private static final Pattern MD_NAME = Pattern.compile("(?<![\\w.-])([A-Za-z0-9_-]+\\.md)\\b");

    @Test
    void nothingRefersOutsideTheRepository() throws IOException {
        List<Path> texts = new ArrayList<>(markdown());
        try (Stream<Path> s = Files.walk(ROOT.resolve("protocols/src"))) {
            s.filter(p -> p.toString().endsWith(".java")).forEach(texts::add);
        }
        java.util.Set<String> names = new java.util.HashSet<>();
        try (Stream<Path> s = Files.walk(ROOT)) {
            s.filter(p -> !p.toString().contains("/target/") && !p.toString().contains("/.git/"))
                    .forEach(p -> names.add(p.getFileName().toString()));
        }
        List<String> out = new ArrayList<>();
        for (Path t : texts) {
            String text = Files.readString(t);
            Matcher up = CLIMBING.matcher(text);
            while (up.find()) {
                Path p = base(t).resolve(up.group(1)).normalize();
                if (!p.startsWith(ROOT) || !Files.exists(p)) {
                    out.add(ROOT.relativize(t) + ": " + up.group(1) + " (not a file of the repository)");
                }
            }
            Matcher md = MD_NAME.matcher(text);
            while (md.find()) {
                if (!names.contains(md.group(1))) {
                    out.add(ROOT.relativize(t) + ": " + md.group(1) + " (no file of that name in the repository)");
                }
            }
        }
        assertTrue(out.isEmpty(), "references to files a clone does not have:\n" + String.join("\n", out));
    }
}
