package klm.litmus;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a litmus file into tokens: names, numbers, strings, and the punctuation of herd7's C
 * dialect ({@code /\}, {@code \/}, {@code ==}, ...). Comments ({@code (* *)}, {@code /* *\/},
 * {@code //}) are dropped.
 */
final class Lexer {
    enum Kind { NAME, NUM, STRING, PUNCT, EOF }

    record Token(Kind kind, String text, int line) {
        boolean is(String s) {
            return (kind == Kind.PUNCT || kind == Kind.NAME) && text.equals(s);
        }

        @Override
        public String toString() {
            return kind == Kind.EOF ? "the end of the file" : "'" + text + "'";
        }
    }

    private static final String[] TWO = {"/\\", "\\/", "==", "!=", "<=", ">=", "&&", "||", "->"};

    private Lexer() {}

    static List<Token> tokens(String text, String file) {
        List<Token> out = new ArrayList<>();
        int line = 1;
        int i = 0;
        int n = text.length();
        int depth = 0; // braces: herd7's "(* *)" comments are read outside the C code only, where "(*x" is a dereference

        while (i < n) {
            char c = text.charAt(i);
            if (c == '\n') {
                line++;
                i++;
            } else if (Character.isWhitespace(c)) {
                i++;
            } else if (depth == 0 && text.startsWith("(*", i) || text.startsWith("/*", i)) {
                String close = c == '(' ? "*)" : "*/";
                int end = text.indexOf(close, i + 2);
                if (end < 0) {
                    throw new LitmusException(new Ast.Pos(file, line), "a comment opened here is never closed (no " + close + ")");
                }
                line += count(text, i, end);
                i = end + 2;
            } else if (text.startsWith("//", i)) {
                while (i < n && text.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '"') {
                int end = text.indexOf('"', i + 1);
                if (end < 0) {
                    throw new LitmusException(new Ast.Pos(file, line), "a string opened here is never closed");
                }
                out.add(new Token(Kind.STRING, text.substring(i + 1, end), line));
                line += count(text, i, end);
                i = end + 1;
            } else if (Character.isLetter(c) || c == '_') {
                int s = i;
                while (i < n && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '_')) {
                    i++;
                }
                out.add(new Token(Kind.NAME, text.substring(s, i), line));
            } else if (Character.isDigit(c)) {
                int s = i;
                while (i < n && (Character.isLetterOrDigit(text.charAt(i)))) {
                    i++;
                }
                out.add(new Token(Kind.NUM, text.substring(s, i), line));
            } else {
                String two = i + 1 < n ? text.substring(i, i + 2) : "";
                boolean matched = false;
                for (String t : TWO) {
                    if (t.equals(two)) {
                        out.add(new Token(Kind.PUNCT, t, line));
                        i += 2;
                        matched = true;
                        break;
                    }
                }
                if (!matched) {
                    if ("{}()[];,=*&!<>+-/%|^:~.?".indexOf(c) < 0) {
                        throw new LitmusException(new Ast.Pos(file, line), "unexpected character '" + c + "'");
                    }
                    out.add(new Token(Kind.PUNCT, String.valueOf(c), line));
                    depth += c == '{' ? 1 : c == '}' ? -1 : 0;
                    i++;
                }
            }
        }
        out.add(new Token(Kind.EOF, "", line));
        return out;
    }

    private static int count(String text, int from, int to) {
        int k = 0;
        for (int j = from; j < to; j++) {
            if (text.charAt(j) == '\n') {
                k++;
            }
        }
        return k;
    }
}
