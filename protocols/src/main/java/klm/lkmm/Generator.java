package klm.lkmm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import klm.lkmm.Program.AddrOf;
import klm.lkmm.Program.And;
import klm.lkmm.Program.Bin;
import klm.lkmm.Program.Cond;
import klm.lkmm.Program.Const;
import klm.lkmm.Program.Expr;
import klm.lkmm.Program.Fence;
import klm.lkmm.Program.If;
import klm.lkmm.Program.Load;
import klm.lkmm.Program.LocIs;
import klm.lkmm.Program.Lock;
import klm.lkmm.Program.Quantifier;
import klm.lkmm.Program.Reg;
import klm.lkmm.Program.RegIs;
import klm.lkmm.Program.Rmw;
import klm.lkmm.Program.Stmt;
import klm.lkmm.Program.Store;
import klm.lkmm.Program.Unlock;

/**
 * Systematic litmus tests in the manner of herd's diy tools: a critical cycle of two to four CPUs
 * (SB, MP, LB, S, R, 2+2W; WRC, ISA2, Z6.0 to Z6.5, WWC, RWC, 3.SB, 3.LB, 3.2W; IRIW, 4.LB,
 * 4.ISA2), each
 * CPU's accesses annotated by every variant of a fixed list (plain once, release/acquire,
 * smp_mb, smp_wmb/smp_rmb, the CPU's accesses under a spinlock, a write as an xchg RMW, an
 * address, data or control dependency). A test's name is the shape and one variant per CPU, in
 * the diy convention ({@code ISA2+o-mb-o+l-o-o-ul+acq-o}); its final clause is the cycle's
 * outcome. Deterministic: the same list every time, in the same order.
 *
 * <p>Variants: {@code o} WRITE_ONCE/READ_ONCE, {@code rel} smp_store_release, {@code acq}
 * smp_load_acquire, {@code X} xchg (fully ordered; the runtime has no relaxed xchg); between two accesses
 * {@code mb}, {@code wmb}, {@code rmb} fences, {@code addr}, {@code data}, {@code ctrl}
 * dependencies on the first read; {@code l-A-B-ul} both accesses inside spin_lock(s)/spin_unlock(s)
 * of one lock shared by every CPU that takes it, {@code l-A-ul-B} only the first, {@code A-l-B-ul}
 * only the second.
 */
public final class Generator {
    /** One generated test: its name, its program, and its text in herd7's C litmus format. */
    public record Test(String name, String category, Program program, String litmus) {}

    /** An access of a shape: W or R, the location, the value written or read. */
    private record Access(char kind, String loc, long value) {}

    /** A shape: its name, final location values, and each CPU's accesses. */
    private record Shape(String name, Map<String, Long> finals, List<List<Access>> threads, boolean reduced) {
        Map<String, List<String>> options() {
            return threads.size() >= 4 && !name.equals("IRIW") ? MINIMAL : reduced ? REDUCED : FULL;
        }
    }

    private static final Map<String, List<String>> FULL = Map.of(
            "WW", List.of("o-o", "o-mb-o", "o-wmb-o", "o-rel", "X-o", "o-X", "l-o-o-ul", "l-o-ul-o", "o-l-o-ul"),
            "WR", List.of("o-o", "o-mb-o", "rel-acq", "o-acq", "rel-o", "X-o", "l-o-o-ul", "l-o-ul-o", "o-l-o-ul"),
            "RW", List.of("o-o", "o-mb-o", "acq-o", "o-rel", "o-addr-o", "o-data-o", "o-ctrl-o", "l-o-o-ul", "o-X", "l-o-ul-o", "o-l-o-ul"),
            "RR", List.of("o-o", "o-mb-o", "o-rmb-o", "acq-o", "o-addr-o", "o-ctrl-o", "l-o-o-ul", "l-o-ul-o", "o-l-o-ul"),
            "W", List.of("o", "rel", "X"),
            "R", List.of("o", "acq"));

    private static final Map<String, List<String>> REDUCED = Map.of(
            "WW", List.of("o-o", "o-mb-o", "o-wmb-o", "o-rel", "l-o-o-ul"),
            "WR", List.of("o-o", "o-mb-o", "rel-acq", "X-o", "l-o-o-ul"),
            "RW", List.of("o-o", "o-mb-o", "acq-o", "o-rel", "o-ctrl-o", "l-o-o-ul"),
            "RR", List.of("o-o", "o-mb-o", "o-rmb-o", "acq-o", "o-addr-o", "l-o-o-ul"),
            "W", List.of("o", "X"),
            "R", List.of("o", "acq"));

    /** The list for the longer cycles of four CPUs: plain, smp_mb, release/acquire, a lock. */
    private static final Map<String, List<String>> MINIMAL = Map.of(
            "WW", List.of("o-o", "o-mb-o", "o-rel", "l-o-o-ul"),
            "WR", List.of("o-o", "o-mb-o", "rel-acq", "l-o-o-ul"),
            "RW", List.of("o-o", "o-mb-o", "acq-o", "o-rel", "l-o-o-ul"),
            "RR", List.of("o-o", "o-mb-o", "acq-o", "l-o-o-ul"),
            "W", List.of("o"),
            "R", List.of("o"));

    private static Shape shape(String name, String finals, boolean reduced, String... threads) {
        Map<String, Long> f = new LinkedHashMap<>();
        if (!finals.isEmpty()) {
            for (String kv : finals.split(",")) {
                f.put(kv.substring(0, kv.indexOf('=')), Long.parseLong(kv.substring(kv.indexOf('=') + 1)));
            }
        }
        List<List<Access>> ts = new ArrayList<>();
        for (String t : threads) {
            List<Access> as = new ArrayList<>();
            for (String a : t.split(" ")) {
                as.add(new Access(a.charAt(0), a.substring(1, 2), Long.parseLong(a.substring(2))));
            }
            ts.add(as);
        }
        return new Shape(name, f, ts, reduced);
    }

    /** The shapes: each cycle's accesses, a read's value the one the cycle needs, a coherence edge a final value. */
    private static final List<Shape> SHAPES = List.of(
            shape("SB", "", false, "Wx1 Ry0", "Wy1 Rx0"),
            shape("MP", "", false, "Wx1 Wy1", "Ry1 Rx0"),
            shape("LB", "", false, "Rx1 Wy1", "Ry1 Wx1"),
            shape("S", "x=2", false, "Wx2 Wy1", "Ry1 Wx1"),
            shape("R", "y=2", false, "Wx1 Wy1", "Wy2 Rx0"),
            shape("2+2W", "x=1,y=1", false, "Wx1 Wy2", "Wy1 Wx2"),
            shape("WRC", "", true, "Wx1", "Rx1 Wy1", "Ry1 Rx0"),
            shape("ISA2", "", true, "Wx1 Wy1", "Ry1 Wz1", "Rz1 Rx0"),
            shape("Z6.0", "z=2", true, "Wx1 Wy1", "Ry1 Wz1", "Wz2 Rx0"),
            shape("Z6.1", "x=2,y=2", true, "Wx2 Wy1", "Wy2 Wz1", "Rz1 Wx1"),
            shape("Z6.2", "x=2", true, "Wx2 Wy1", "Ry1 Wz1", "Rz1 Wx1"),
            shape("Z6.3", "y=2", true, "Wx1 Wy1", "Wy2 Wz1", "Rz1 Rx0"),
            shape("Z6.4", "y=2", true, "Wx1 Wy1", "Wy2 Rz0", "Wz1 Rx0"),
            shape("Z6.5", "y=2,z=2", true, "Wx1 Wy1", "Wy2 Wz1", "Wz2 Rx0"),
            shape("WWC", "x=2", true, "Wx2", "Rx2 Wy1", "Ry1 Wx1"),
            shape("RWC", "", true, "Wx1", "Rx1 Ry0", "Wy1 Rx0"),
            shape("3.SB", "", true, "Wx1 Ry0", "Wy1 Rz0", "Wz1 Rx0"),
            shape("3.LB", "", true, "Rx1 Wy1", "Ry1 Wz1", "Rz1 Wx1"),
            shape("3.2W", "x=1,y=1,z=1", true, "Wx1 Wy2", "Wy1 Wz2", "Wz1 Wx2"),
            shape("IRIW", "", true, "Wx1", "Rx1 Ry0", "Ry1 Rx0", "Wy1"),
            shape("4.LB", "", true, "Rx1 Wy1", "Ry1 Wz1", "Rz1 Wa1", "Ra1 Wx1"),
            shape("4.ISA2", "", true, "Wx1 Wy1", "Ry1 Wz1", "Rz1 Wa1", "Ra1 Rx0"));

    private Generator() {}

    /** Every test, in a fixed order. */
    public static List<Test> all() {
        List<Test> out = new ArrayList<>();
        Map<String, Boolean> seen = new LinkedHashMap<>();
        for (Shape s : SHAPES) {
            Map<String, List<String>> options = s.options();
            List<List<String>> perThread = new ArrayList<>();
            for (List<Access> t : s.threads) {
                StringBuilder k = new StringBuilder();
                t.forEach(a -> k.append(a.kind));
                perThread.add(options.get(k.toString()));
            }
            int[] idx = new int[perThread.size()];
            while (true) {
                List<String> variants = new ArrayList<>();
                for (int i = 0; i < idx.length; i++) {
                    variants.add(perThread.get(i).get(idx[i]));
                }
                Test t = build(s, variants);
                if (seen.putIfAbsent(t.name, true) == null) {
                    out.add(t);
                }
                int i = 0;
                while (i < idx.length && ++idx[i] == perThread.get(i).size()) {
                    idx[i] = 0;
                    i++;
                }
                if (i == idx.length) {
                    break;
                }
            }
        }
        return out;
    }

    /** Writes every test as {@code DIR/NAME.litmus}: {@code Generator DIR}. */
    public static void main(String[] args) throws java.io.IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: Generator DIR (the folder the .litmus files go to)");
        }
        java.nio.file.Path dir = java.nio.file.Path.of(args[0]);
        java.nio.file.Files.createDirectories(dir);
        List<Test> all = all();
        for (Test t : all) {
            java.nio.file.Files.writeString(dir.resolve(t.name() + ".litmus"), t.litmus());
        }
        System.out.println(all.size() + " tests written to " + dir);
    }

    /** Every {@code step}-th test: a fixed sample for the test command. */
    public static List<Test> sample(int step) {
        List<Test> all = all();
        List<Test> out = new ArrayList<>();
        for (int i = 0; i < all.size(); i += step) {
            out.add(all.get(i));
        }
        return out;
    }

    private static Test build(Shape s, List<String> variants) {
        String name = s.name + "+" + String.join("+", variants);
        List<List<Stmt>> threads = new ArrayList<>();
        StringBuilder text = new StringBuilder("C ").append(name).append("\n\n{}\n\n");
        Cond cond = null;
        StringBuilder exists = new StringBuilder();
        for (int t = 0; t < s.threads.size(); t++) {
            List<Access> acc = s.threads.get(t);
            String[] v = variants.get(t).split("-");
            // l-A-B-ul: both accesses in one critical section; l-A-ul-B: the first; A-l-B-ul: the second
            boolean lockBoth = v.length == 4 && v[0].equals("l") && v[3].equals("ul");
            boolean lockFirst = v.length == 4 && v[0].equals("l") && v[2].equals("ul");
            boolean lockSecond = v.length == 4 && v[1].equals("l");
            String a1, edge, a2;
            if (lockBoth || lockFirst) {
                a1 = v[1];
                edge = "po";
                a2 = lockBoth ? v[2] : v[3];
            } else if (lockSecond) {
                a1 = v[0];
                edge = "po";
                a2 = v[2];
            } else if (acc.size() == 1) {
                a1 = v[0];
                edge = null;
                a2 = null;
            } else if (v.length == 2) {
                a1 = v[0];
                edge = "po";
                a2 = v[1];
            } else {
                a1 = v[0];
                edge = v[1];
                a2 = v[2];
            }
            boolean locked = lockBoth || lockFirst || lockSecond;
            List<Stmt> code = new ArrayList<>();
            List<String> lines = new ArrayList<>();
            List<String> regs = new ArrayList<>();
            if (lockBoth || lockFirst) {
                code.add(new Lock(new AddrOf("s")));
                lines.add("spin_lock(s);");
            }
            String firstReg = access(acc.get(0), a1, null, null, code, lines, regs);
            if (acc.size() > 1) {
                String dep = null;
                switch (edge) {
                    case "mb", "wmb", "rmb" -> {
                        code.add(new Fence(edge.equals("mb") ? Tag.MB : edge.equals("wmb") ? Tag.WMB : Tag.RMB));
                        lines.add("smp_" + edge + "();");
                    }
                    case "addr", "data", "ctrl" -> dep = edge;
                    case "po" -> { }
                    default -> throw new IllegalStateException(edge);
                }
                if (lockFirst) {
                    code.add(new Unlock(new AddrOf("s")));
                    lines.add("spin_unlock(s);");
                } else if (lockSecond) {
                    code.add(new Lock(new AddrOf("s")));
                    lines.add("spin_lock(s);");
                }
                access(acc.get(1), a2, dep, firstReg, code, lines, regs);
            }
            if (lockBoth || lockSecond) {
                code.add(new Unlock(new AddrOf("s")));
                lines.add("spin_unlock(s);");
            }
            threads.add(code);
            // the thread's text
            List<String> params = new ArrayList<>();
            for (Access a : acc) {
                if (!params.contains("int *" + a.loc)) {
                    params.add("int *" + a.loc);
                }
            }
            if (locked) {
                params.add("spinlock_t *s");
            }
            text.append("P").append(t).append('(').append(String.join(", ", params)).append(")\n{\n");
            if (!regs.isEmpty()) {
                text.append("\tint ").append(String.join(", ", regs)).append(";\n\n");
            }
            for (String l : lines) {
                text.append('\t').append(l.replace("\n", "\n\t")).append('\n');
            }
            text.append("}\n\n");
            int r = 0;
            for (Access a : acc) {
                if (a.kind == 'R') {
                    Cond c = new RegIs(t, "r" + r, new Const(a.value));
                    cond = cond == null ? c : new And(cond, c);
                    exists.append(exists.length() == 0 ? "" : " /\\ ").append(t).append(":r").append(r).append('=').append(a.value);
                    r++;
                }
            }
        }
        for (Map.Entry<String, Long> f : s.finals.entrySet()) {
            Cond c = new LocIs(f.getKey(), new Const(f.getValue()));
            cond = cond == null ? c : new And(cond, c);
            exists.append(exists.length() == 0 ? "" : " /\\ ").append(f.getKey()).append('=').append(f.getValue());
        }
        text.append("exists (").append(exists).append(")\n");
        Program p = new Program(name, Map.of(), threads, Quantifier.EXISTS, cond, null);
        return new Test(name, s.name, p, text.toString());
    }

    /**
     * One access with its annotation, after a dependency {@code dep} on register {@code on}:
     * appends its statement and its C line; returns the register a read fills.
     */
    private static String access(Access a, String anno, String dep, String on, List<Stmt> code, List<String> lines, List<String> regs) {
        Expr addr = new AddrOf(a.loc);
        String addrText = a.loc;
        if ("addr".equals(dep)) {
            addr = new Bin("+", addr, new Bin("&", new Reg(on), new Const(0)));
            addrText = "(" + a.loc + " + (" + on + " & 0))";
        }
        Stmt s;
        String line;
        String reg = null;
        if (a.kind == 'R') {
            reg = "r" + regs.stream().filter(r -> r.startsWith("r")).count();
            regs.add(reg);
            Tag t = switch (anno) {
                case "o" -> Tag.ONCE;
                case "acq" -> Tag.ACQUIRE;
                default -> throw new IllegalStateException(anno);
            };
            s = new Load(reg, addr, t);
            line = reg + " = " + (t == Tag.ONCE ? "READ_ONCE(*" + addrText + ")" : "smp_load_acquire(" + addrText + ")") + ";";
        } else {
            Expr value = new Const(a.value);
            String valueText = Long.toString(a.value);
            if ("data".equals(dep)) {
                value = new Bin("+", new Bin("&", new Reg(on), new Const(0)), value);
                valueText = "(" + on + " & 0) + " + a.value;
            }
            switch (anno) {
                case "o" -> {
                    s = new Store(addr, value, Tag.ONCE);
                    line = "WRITE_ONCE(*" + addrText + ", " + valueText + ");";
                }
                case "rel" -> {
                    s = new Store(addr, value, Tag.RELEASE);
                    line = "smp_store_release(" + addrText + ", " + valueText + ");";
                }
                case "X" -> {
                    String old = "x" + regs.stream().filter(r -> r.startsWith("x")).count();
                    regs.add(old);
                    s = new Rmw(old, Program.RmwOp.XCHG, addr, value, null, Program.Order.FULL, true, false);
                    line = old + " = xchg(" + addrText + ", " + valueText + ");";
                }
                default -> throw new IllegalStateException(anno);
            }
        }
        if ("ctrl".equals(dep)) {
            code.add(new If(new Bin("==", new Reg(on), new Reg(on)), List.of(s), List.of()));
            lines.add("if (" + on + " == " + on + ")\n\t" + line);
        } else {
            code.add(s);
            lines.add(line);
        }
        return reg;
    }
}
