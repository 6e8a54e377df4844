package klm.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import klm.verdict.Variant;

/**
 * The Java that differs between a BUGGY variant and its fix, generated from the model's source: the
 * two variants differ by the {@code Bug} constants one has and the other has not, and the model
 * switches on each with {@code if (has(Bug.X)) { ... } else { ... }}. For every such switch in the
 * protocol's package this prints the statement with the lines only the buggy variant runs marked
 * {@code -} and the lines only the fix runs marked {@code +}, under the file and method it is in.
 * Nothing is hand-picked: a switch added, removed or edited in the model changes the page.
 */
public final class JavaDiff {
    private JavaDiff() {}

    /** {@code if (} ... {@code has(Bug.X)} ... {@code ) {}: a switch on a bug. */
    private static final Pattern IF = Pattern.compile("^(\\s*)if \\((.*)\\) \\{\\s*(//.*)?$");
    private static final Pattern HAS = Pattern.compile("(!?)has\\(Bug\\.(\\w+)\\)");
    private static final Pattern METHOD = Pattern.compile(
            "^\\s*(?:(?:public|protected|private|static|final|synchronized|abstract)\\s+)*[\\w<>\\[\\], ?]+\\s+(\\w+)\\([^;]*$");
    private static final Set<String> NOT_METHODS = Set.of("if", "for", "while", "switch", "catch", "return", "new", "else");

    /** The source folder of a model's package: the directory of the class that declares the Bug enum. */
    static Path packageDir(Path projectDir, Class<?> bugEnum) {
        String pkg = bugEnum.getPackageName().replace('.', '/');
        return projectDir.resolve("protocols/src/main/java").resolve(pkg);
    }

    /**
     * The markdown of the diff between {@code buggy} and {@code fix}: one fenced {@code diff} block per
     * switch, each under a line naming its file and method. Empty when the variants declare no bugs or
     * the sources are not there (a run outside the project).
     */
    public static String between(Path projectDir, Variant buggy, Variant fix) throws IOException {
        Set<String> onlyBuggy = names(buggy.bugs());
        onlyBuggy.removeAll(names(fix.bugs()));
        Set<String> onlyFix = names(fix.bugs());
        onlyFix.removeAll(names(buggy.bugs()));
        if (onlyBuggy.isEmpty() && onlyFix.isEmpty()) {
            return "";
        }
        Enum<?> any = (buggy.bugs().isEmpty() ? fix.bugs() : buggy.bugs()).iterator().next();
        Path dir = packageDir(projectDir, any.getDeclaringClass());
        if (!Files.isDirectory(dir)) {
            return "";
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".java")).sorted(Comparator.comparing(Path::toString)).toList();
        }
        StringBuilder out = new StringBuilder();
        for (Path f : files) {
            List<String> lines = Files.readAllLines(f);
            for (int i = 0; i < lines.size(); i++) {
                Matcher m = IF.matcher(lines.get(i));
                if (!m.matches()) {
                    continue;
                }
                Boolean buggyTakesThen = null; // does the buggy variant run the then-branch where the fix does not?
                Matcher h = HAS.matcher(m.group(2));
                while (h.find()) {
                    boolean negated = !h.group(1).isEmpty();
                    if (onlyBuggy.contains(h.group(2))) {
                        buggyTakesThen = !negated;
                    } else if (onlyFix.contains(h.group(2))) {
                        buggyTakesThen = negated;
                    }
                }
                if (buggyTakesThen == null) {
                    continue;
                }
                int thenEnd = closing(lines, i);
                int elseEnd = -1;
                if (thenEnd < lines.size() && lines.get(thenEnd).strip().equals("} else {")) {
                    elseEnd = closing(lines, thenEnd);
                }
                String indent = m.group(1);
                out.append("`").append(f.getFileName()).append("`, `").append(enclosingMethod(lines, i, indent)).append("()`:\n\n```diff\n");
                out.append(' ').append(dedent(lines.get(i), indent)).append('\n');
                for (int k = i + 1; k < thenEnd; k++) {
                    out.append(buggyTakesThen ? '-' : '+').append(dedent(lines.get(k), indent)).append('\n');
                }
                if (elseEnd > 0) {
                    out.append(' ').append(dedent(lines.get(thenEnd), indent)).append('\n');
                    for (int k = thenEnd + 1; k < elseEnd; k++) {
                        out.append(buggyTakesThen ? '+' : '-').append(dedent(lines.get(k), indent)).append('\n');
                    }
                    out.append(' ').append(dedent(lines.get(elseEnd), indent)).append('\n');
                } else {
                    out.append(' ').append(dedent(lines.get(thenEnd), indent)).append('\n');
                }
                out.append("```\n\n");
                i = Math.max(i, elseEnd > 0 ? elseEnd : thenEnd);
            }
        }
        return out.toString();
    }

    private static Set<String> names(java.util.Collection<? extends Enum<?>> bugs) {
        Set<String> out = new LinkedHashSet<>();
        for (Enum<?> b : bugs) {
            out.add(b.name());
        }
        return out;
    }

    /** The line of the brace that closes the block opened at the end of line {@code open}. */
    static int closing(List<String> lines, int open) {
        int depth = 1; // the brace that ends line {@code open}
        for (int k = open + 1; k < lines.size(); k++) {
            String code = stripLiterals(lines.get(k));
            for (int c = 0; c < code.length(); c++) {
                char ch = code.charAt(c);
                if (ch == '{') {
                    depth++;
                } else if (ch == '}' && --depth == 0) {
                    return k;
                }
            }
        }
        throw new IllegalStateException("unbalanced braces after line " + (open + 1));
    }

    /** A line without its string and char literals and its line comment, for counting braces. */
    private static String stripLiterals(String line) {
        String s = line.replaceAll("\"(\\\\.|[^\"\\\\])*\"", "\"\"").replaceAll("'(\\\\.|[^'\\\\])'", "' '");
        int comment = s.indexOf("//");
        return comment >= 0 ? s.substring(0, comment) : s;
    }

    private static String enclosingMethod(List<String> lines, int from, String indent) {
        for (int k = from - 1; k >= 0; k--) {
            String l = lines.get(k);
            int lead = l.length() - l.stripLeading().length();
            if (lead >= indent.length() || l.isBlank()) {
                continue;
            }
            Matcher m = METHOD.matcher(l);
            if (m.find() && !NOT_METHODS.contains(m.group(1))) {
                return m.group(1);
            }
        }
        return "?";
    }

    private static String dedent(String line, String indent) {
        return line.startsWith(indent) ? line.substring(indent.length()) : line.stripLeading();
    }
}
