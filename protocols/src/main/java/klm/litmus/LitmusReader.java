package klm.litmus;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import klm.litmus.Ast.*;
import klm.litmus.Lexer.Kind;
import klm.litmus.Lexer.Token;

/**
 * Reads a litmus test in herd7's C dialect into an {@link Ast.Test}. Malformed text is a
 * {@link LitmusException} naming what was expected, the file and the line; so is a final clause
 * or {@code filter} naming a thread or register the test does not have.
 */
public final class LitmusReader {
    /** Words that start a type in a declaration or a cast. */
    private static final Set<String> TYPE_WORDS = Set.of("int", "long", "unsigned", "signed", "char", "short",
            "spinlock_t", "atomic_t", "atomic_long_t", "intptr_t", "uintptr_t", "u8", "u16", "u32", "u64", "struct",
            "const", "volatile");
    private static final Pattern RESULT = Pattern.compile("Result:\\s*(\\w+)");
    private static final Pattern HEADER = Pattern.compile("^\\s*C\\s+(\\S+)\\s*$");

    private final String file;
    private final List<Token> toks;
    private int at;

    private LitmusReader(String file, List<Token> toks) {
        this.file = file;
        this.toks = toks;
    }

    /** Reads the file at {@code path}. */
    public static Test read(Path path) {
        String text;
        try {
            text = Files.readString(path);
        } catch (IOException e) {
            throw new LitmusException(new Pos(path.toString(), 0), "cannot read the file: " + e.getMessage());
        }
        return parse(text, path.toString());
    }

    /** Reads {@code text}, reporting errors against {@code file}. */
    public static Test parse(String text, String file) {
        String[] lines = text.split("\n", -1);
        int header = -1;
        String name = null;
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            Matcher m = HEADER.matcher(lines[i]);
            if (!m.matches()) {
                throw new LitmusException(new Pos(file, i + 1), "a C litmus test starts with 'C name', found '"
                        + lines[i].strip() + "'");
            }
            header = i;
            name = m.group(1);
            break;
        }
        if (header < 0) {
            throw new LitmusException(new Pos(file, 1), "the file is empty (a C litmus test starts with 'C name')");
        }
        lines[header] = "";
        String body = String.join("\n", lines);
        Matcher r = RESULT.matcher(body);
        Optional<String> result = r.find() ? Optional.of(r.group(1)) : Optional.empty();
        LitmusReader p = new LitmusReader(file, Lexer.tokens(body, file));
        Test t = p.test(name, result, new Pos(file, header + 1));
        checkNames(t);
        return t;
    }

    // ------------------------------------------------------------------ tokens

    private Token peek() {
        return toks.get(at);
    }

    private Token peek(int k) {
        return toks.get(Math.min(at + k, toks.size() - 1));
    }

    private Token next() {
        Token t = toks.get(at);
        if (t.kind() != Kind.EOF) {
            at++;
        }
        return t;
    }

    private Pos pos() {
        return new Pos(file, peek().line());
    }

    private boolean accept(String s) {
        if (peek().is(s)) {
            at++;
            return true;
        }
        return false;
    }

    private Token expect(String s, String what) {
        if (!peek().is(s)) {
            throw error("expected '" + s + "' " + what + ", found " + peek());
        }
        return next();
    }

    private String name(String what) {
        Token t = peek();
        if (t.kind() != Kind.NAME) {
            throw error("expected " + what + ", found " + t);
        }
        return next().text();
    }

    private LitmusException error(String msg) {
        return new LitmusException(pos(), msg);
    }

    // ------------------------------------------------------------------ the test

    private Test test(String name, Optional<String> result, Pos pos) {
        while (peek().kind() == Kind.STRING) {
            next(); // herd7's optional description string
        }
        expect("{", "to open the initial-state block");
        List<Init> init = new ArrayList<>();
        while (!accept("}")) {
            if (accept(";")) {
                continue;
            }
            init.add(initEntry());
            if (!peek().is("}")) {
                expect(";", "after an initial-state entry");
            }
        }
        List<Ast.Thread> threads = new ArrayList<>();
        while (peek().kind() == Kind.NAME && peek().text().matches("P\\d+")) {
            threads.add(thread(threads.size()));
        }
        if (threads.isEmpty()) {
            throw error("expected a thread 'P0(...) { ... }' after the initial-state block, found " + peek());
        }
        List<Ref> locations = new ArrayList<>();
        Optional<Cond> filter = Optional.empty();
        Quantifier q = null;
        Cond cond = null;
        while (q == null) {
            Token t = peek();
            if (t.is("locations")) {
                next();
                expect("[", "after 'locations'");
                while (!accept("]")) {
                    if (accept(";")) {
                        continue;
                    }
                    locations.add(ref());
                }
            } else if (t.is("filter")) {
                next();
                filter = Optional.of(cond());
            } else if (t.is("exists")) {
                next();
                q = Quantifier.EXISTS;
            } else if (t.is("~") && peek(1).is("exists")) {
                next();
                next();
                q = Quantifier.NOT_EXISTS;
            } else if (t.is("forall")) {
                next();
                q = Quantifier.FORALL;
            } else {
                throw error("expected the final clause ('exists', '~exists' or 'forall'), 'locations' or 'filter', found " + t);
            }
        }
        cond = cond();
        if (peek().kind() != Kind.EOF) {
            throw error("unexpected " + peek() + " after the final clause");
        }
        return new Test(name, result, init, threads, locations, filter, q, cond, pos);
    }

    private Init initEntry() {
        Pos p = pos();
        Optional<Integer> thread = Optional.empty();
        if (peek().kind() == Kind.NUM && peek(1).is(":")) {
            thread = Optional.of(number(next()));
            next();
        }
        StringBuilder type = new StringBuilder();
        while (peek().kind() == Kind.NAME && TYPE_WORDS.contains(peek().text())) {
            type.append(type.length() == 0 ? "" : " ").append(next().text());
        }
        int stars = 0;
        while (accept("*")) {
            stars++;
        }
        if (stars > 0) {
            type.append(" ").append("*".repeat(stars));
        }
        String n = name("a location or register name in the initial-state block");
        Optional<Value> value = Optional.empty();
        if (accept("=")) {
            value = Optional.of(value("an initial value"));
        }
        return new Init(thread, n, type.length() == 0 ? Optional.empty() : Optional.of(type.toString()), value, p);
    }

    private Value value(String what) {
        accept("&");
        Token t = peek();
        if (t.is("-") && peek(1).kind() == Kind.NUM) {
            next();
            return new Num(-number(next()));
        }
        if (t.kind() == Kind.NUM) {
            return new Num(number(next()));
        }
        if (t.kind() == Kind.NAME) {
            return new AddressOf(next().text());
        }
        throw error("expected " + what + " (a number or a variable's name), found " + t);
    }

    private int number(Token t) {
        try {
            return Integer.decode(t.text());
        } catch (NumberFormatException e) {
            throw new LitmusException(new Pos(file, t.line()), "'" + t.text() + "' is not a number");
        }
    }

    private Ast.Thread thread(int expected) {
        Pos p = pos();
        String n = next().text();
        int index = Integer.parseInt(n.substring(1));
        if (index != expected) {
            throw new LitmusException(p, "thread " + n + " where P" + expected + " was expected (threads are numbered from P0 in order)");
        }
        expect("(", "after " + n);
        List<Param> params = new ArrayList<>();
        while (!accept(")")) {
            StringBuilder type = new StringBuilder();
            while (peek().kind() == Kind.NAME && TYPE_WORDS.contains(peek().text())) {
                type.append(type.length() == 0 ? "" : " ").append(next().text());
            }
            if (type.length() == 0) {
                throw error("expected a parameter's type (int *, spinlock_t *, atomic_t *, ...), found " + peek());
            }
            int stars = 0;
            while (accept("*")) {
                stars++;
            }
            String t = stars == 0 ? type.toString() : type + " " + "*".repeat(stars);
            params.add(new Param(t, name("a parameter name")));
            if (!peek().is(")")) {
                expect(",", "between parameters");
            }
        }
        expect("{", "to open the body of " + n);
        List<Stmt> body = new ArrayList<>();
        while (!accept("}")) {
            if (peek().kind() == Kind.EOF) {
                throw error("the body of " + n + " is never closed (no '}')");
            }
            statement(body);
        }
        return new Ast.Thread(index, params, body, p);
    }

    // ------------------------------------------------------------------ statements

    private void statement(List<Stmt> out) {
        Pos p = pos();
        if (accept(";")) {
            return;
        }
        if (accept("{")) {
            List<Stmt> b = new ArrayList<>();
            while (!accept("}")) {
                if (peek().kind() == Kind.EOF) {
                    throw error("a block is never closed (no '}')");
                }
                statement(b);
            }
            out.add(new Block(b, p));
            return;
        }
        if (accept("if")) {
            expect("(", "after 'if'");
            Expr c = expr();
            expect(")", "to close the condition of 'if'");
            List<Stmt> then = new ArrayList<>();
            statement(then);
            List<Stmt> otherwise = new ArrayList<>();
            if (accept("else")) {
                statement(otherwise);
            }
            out.add(new If(c, then, otherwise, p));
            return;
        }
        if (peek().kind() == Kind.NAME && TYPE_WORDS.contains(peek().text())) {
            StringBuilder type = new StringBuilder();
            while (peek().kind() == Kind.NAME && TYPE_WORDS.contains(peek().text())) {
                type.append(type.length() == 0 ? "" : " ").append(next().text());
            }
            do {
                Pos dp = pos();
                int stars = 0;
                while (accept("*")) {
                    stars++;
                }
                String t = stars == 0 ? type.toString() : type + " " + "*".repeat(stars);
                String n = name("a variable name in a declaration");
                Optional<Expr> init = accept("=") ? Optional.of(expr()) : Optional.empty();
                out.add(new Decl(t, n, init, dp));
            } while (accept(","));
            expect(";", "after a declaration");
            return;
        }
        Expr e = expr();
        if (accept("=")) {
            if (!(e instanceof Name) && !(e instanceof Deref)) {
                throw new LitmusException(p, "cannot assign to " + e + " (only a register or *pointer)");
            }
            out.add(new Assign(e, expr(), p));
        } else {
            out.add(new ExprStmt(e, p));
        }
        expect(";", "after a statement");
    }

    // ------------------------------------------------------------------ expressions

    private static final List<List<String>> LEVELS = List.of(List.of("||"), List.of("&&"), List.of("|"), List.of("^"),
            List.of("&"), List.of("==", "!="), List.of("<", "<=", ">", ">="), List.of("+", "-"), List.of("*", "/", "%"));

    private Expr expr() {
        return binary(0);
    }

    private Expr binary(int level) {
        if (level == LEVELS.size()) {
            return unary();
        }
        Expr left = binary(level + 1);
        while (true) {
            String op = null;
            for (String o : LEVELS.get(level)) {
                if (peek().is(o)) {
                    op = o;
                }
            }
            if (op == null) {
                return left;
            }
            next();
            left = new Binary(op, left, binary(level + 1));
        }
    }

    private Expr unary() {
        Token t = peek();
        if (t.is("*")) {
            next();
            return new Deref(unary());
        }
        if (t.is("&")) {
            next();
            return new AddrOf(unary());
        }
        if (t.is("!") || t.is("-") || t.is("~")) {
            next();
            return new Unary(t.text(), unary());
        }
        if (t.is("(") && peek(1).kind() == Kind.NAME && TYPE_WORDS.contains(peek(1).text())) {
            next();
            StringBuilder type = new StringBuilder();
            while (peek().kind() == Kind.NAME && TYPE_WORDS.contains(peek().text())) {
                type.append(type.length() == 0 ? "" : " ").append(next().text());
            }
            int stars = 0;
            while (accept("*")) {
                stars++;
            }
            expect(")", "to close a cast");
            return new Cast(stars == 0 ? type.toString() : type + " " + "*".repeat(stars), unary());
        }
        return primary();
    }

    private Expr primary() {
        Token t = peek();
        if (t.kind() == Kind.NUM) {
            return new Const(number(next()));
        }
        if (accept("(")) {
            Expr e = expr();
            expect(")", "to close a parenthesis");
            return e;
        }
        if (t.kind() == Kind.NAME) {
            Pos p = pos();
            next();
            if (accept("(")) {
                List<Expr> args = new ArrayList<>();
                while (!accept(")")) {
                    args.add(expr());
                    if (!peek().is(")")) {
                        expect(",", "between the arguments of " + t.text());
                    }
                }
                return new Call(t.text(), args, p);
            }
            return new Name(t.text());
        }
        throw error("expected an expression, found " + t);
    }

    // ------------------------------------------------------------------ the final clause

    private Cond cond() {
        Cond left = conj();
        while (accept("\\/")) {
            left = new Or(left, conj());
        }
        return left;
    }

    private Cond conj() {
        Cond left = negation();
        while (accept("/\\")) {
            left = new And(left, negation());
        }
        return left;
    }

    private Cond negation() {
        if (accept("~")) {
            return new Not(negation());
        }
        if (accept("(")) {
            Cond c = cond();
            expect(")", "to close a parenthesis in the condition");
            return c;
        }
        if (accept("true")) {
            return new Bool(true);
        }
        if (accept("false")) {
            return new Bool(false);
        }
        Pos p = pos();
        Ref r = ref();
        boolean equal;
        if (accept("=") || accept("==")) {
            equal = true;
        } else if (accept("!=")) {
            equal = false;
        } else {
            throw error("expected '=' or '!=' after " + r + " in the condition, found " + peek());
        }
        return new Atom(r, value("a value in the condition"), equal, p);
    }

    private Ref ref() {
        if (peek().kind() == Kind.NUM && peek(1).is(":")) {
            int th = number(next());
            next();
            return new Reg(th, name("a register name after '" + th + ":'"));
        }
        if (peek().kind() == Kind.NUM) {
            throw error("expected a location or 'thread:register', found " + peek());
        }
        return new Loc(name("a location or 'thread:register'"));
    }

    // ------------------------------------------------------------------ names in the clauses

    /** Every register a clause names is one its thread declares or assigns; every location is shared. */
    private static void checkNames(Test t) {
        Set<String> shared = new HashSet<>();
        for (Init i : t.init()) {
            if (i.thread().isEmpty()) {
                shared.add(i.name());
            }
        }
        for (Ast.Thread th : t.threads()) {
            for (Param p : th.params()) {
                shared.add(p.name());
            }
        }
        List<Cond> conds = new ArrayList<>();
        conds.add(t.condition());
        t.filter().ifPresent(conds::add);
        for (Cond c : conds) {
            checkCond(t, c, shared);
        }
        for (Ref r : t.locations()) {
            checkRef(t, r, shared, new Pos(t.pos().file(), t.pos().line()));
        }
    }

    private static void checkCond(Test t, Cond c, Set<String> shared) {
        if (c instanceof And a) {
            checkCond(t, a.left(), shared);
            checkCond(t, a.right(), shared);
        } else if (c instanceof Or o) {
            checkCond(t, o.left(), shared);
            checkCond(t, o.right(), shared);
        } else if (c instanceof Not n) {
            checkCond(t, n.operand(), shared);
        } else if (c instanceof Atom a) {
            checkRef(t, a.ref(), shared, a.pos());
            if (a.value() instanceof AddressOf ad && !shared.contains(ad.name())) {
                throw new LitmusException(a.pos(), "the condition compares with '" + ad.name()
                        + "', which is not a shared variable of the test (those are " + new java.util.TreeSet<>(shared) + ")");
            }
        }
    }

    private static void checkRef(Test t, Ref r, Set<String> shared, Pos pos) {
        if (r instanceof Loc l) {
            if (!shared.contains(l.name())) {
                throw new LitmusException(pos, "the condition names location '" + l.name()
                        + "', which the test does not have (its shared variables are " + new java.util.TreeSet<>(shared) + ")");
            }
        } else if (r instanceof Reg g) {
            if (g.thread() < 0 || g.thread() >= t.threads().size()) {
                throw new LitmusException(pos, "the condition names thread " + g.thread() + " ('" + g
                        + "'), but the test has threads 0 to " + (t.threads().size() - 1));
            }
            Set<String> regs = registers(t.threads().get(g.thread()).body(), new java.util.TreeSet<>());
            for (Init i : t.init()) {
                if (i.thread().isPresent() && i.thread().get() == g.thread()) {
                    regs.add(i.name());
                }
            }
            if (!regs.contains(g.name())) {
                throw new LitmusException(pos, "the condition names register '" + g + "', which P" + g.thread()
                        + " does not declare or assign (its registers are " + regs + ")");
            }
        }
    }

    /** The registers a body declares or assigns. */
    static Set<String> registers(List<Stmt> body, Set<String> into) {
        for (Stmt s : body) {
            if (s instanceof Decl d) {
                into.add(d.name());
            } else if (s instanceof Assign a && a.target() instanceof Name n) {
                into.add(n.name());
            } else if (s instanceof If i) {
                registers(i.then(), into);
                registers(i.otherwise(), into);
            } else if (s instanceof Block b) {
                registers(b.body(), into);
            }
        }
        return into;
    }
}
