package klm.lkmm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import klm.lkmm.Candidates.Verdict;
import klm.lkmm.Program.AddrOf;
import klm.lkmm.Program.And;
import klm.lkmm.Program.Bin;
import klm.lkmm.Program.Cond;
import klm.lkmm.Program.Const;
import klm.lkmm.Program.Expr;
import klm.lkmm.Program.Fence;
import klm.lkmm.Program.If;
import klm.lkmm.Program.IsLocked;
import klm.lkmm.Program.Load;
import klm.lkmm.Program.LocIs;
import klm.lkmm.Program.Lock;
import klm.lkmm.Program.Reg;
import klm.lkmm.Program.RegIs;
import klm.lkmm.Program.Stmt;
import klm.lkmm.Program.Store;
import klm.lkmm.Program.Unlock;

/**
 * The kernel's litmus tests (tools/memory-model/litmus-tests/) as programs, each with the result
 * its file publishes (each file read at the commit its corpus file protocols/litmus/kernel/NAME.litmus names in its klm-source line). The bodies
 * are written in a short notation of this test ({@code r0 = x} READ_ONCE, {@code r0 = acq x}
 * smp_load_acquire, {@code x = 1} WRITE_ONCE, {@code rel x 1} smp_store_release, {@code mb},
 * {@code rmb}, {@code wmb}, {@code mbas} smp_mb__after_spinlock, {@code lock s}, {@code unlock s},
 * {@code r0 = sil s} spin_is_locked, {@code if r0 y = 1}, {@code r1 = *r0} a READ_ONCE through a
 * pointer, {@code rel p &x} rcu_assign_pointer); the litmus reader's files replace them when they
 * exist. dep+plain, whose plain accesses and {@code *z2 == 1} condition the notation lacks, is
 * written with the program's records.
 */
public final class KernelPrograms {
    private KernelPrograms() {}


    private static Expr value(String s) {
        return s.startsWith("&") ? new AddrOf(s.substring(1)) : s.matches("-?\\d+") ? new Const(Long.parseLong(s)) : new Reg(s);
    }

    private static Expr address(String s) {
        return s.startsWith("*") ? new Reg(s.substring(1)) : new AddrOf(s);
    }

    private static Stmt stmt(String s) {
        String[] w = s.trim().split("\\s+");
        if (w[0].equals("if")) {
            return new If(new Reg(w[1]), List.of(stmt(s.trim().substring(3 + w[1].length()))), List.of());
        }
        if (w.length == 1) {
            return new Fence(switch (w[0]) {
                case "mb" -> Tag.MB;
                case "rmb" -> Tag.RMB;
                case "wmb" -> Tag.WMB;
                case "mbas" -> Tag.AFTER_SPINLOCK;
                default -> throw new IllegalArgumentException(s);
            });
        }
        switch (w[0]) {
            case "lock":
                return new Lock(new AddrOf(w[1]));
            case "unlock":
                return new Unlock(new AddrOf(w[1]));
            case "rel":
                return new Store(address(w[1]), value(w[2]), Tag.RELEASE);
            default:
        }
        if (!w[1].equals("=")) {
            throw new IllegalArgumentException(s);
        }
        if (w[0].startsWith("r")) {
            if (w[2].equals("acq")) {
                return new Load(w[0], address(w[3]), Tag.ACQUIRE);
            }
            if (w[2].equals("sil")) {
                return new IsLocked(w[0], new AddrOf(w[3]));
            }
            return new Load(w[0], address(w[2]), Tag.ONCE);
        }
        return new Store(address(w[0]), value(w[2]), Tag.ONCE);
    }

    /** {@code "1:r0=1 & x=2"}. */
    static Cond cond(String s) {
        Cond c = null;
        for (String a : s.split("\\s&\\s")) {
            String[] kv = a.trim().split("=", 2);
            Cond one = kv[0].contains(":")
                    ? new RegIs(Integer.parseInt(kv[0].substring(0, kv[0].indexOf(':'))), kv[0].substring(kv[0].indexOf(':') + 1), value(kv[1]))
                    : new LocIs(kv[0], value(kv[1]));
            c = c == null ? one : new And(c, one);
        }
        return c;
    }

    static Program program(String name, String init, String exists, String... threads) {
        Map<String, Expr> in = new LinkedHashMap<>();
        if (!init.isEmpty()) {
            for (String kv : init.split(",")) {
                in.put(kv.split("=")[0].trim(), value(kv.split("=")[1].trim()));
            }
        }
        List<List<Stmt>> ts = new ArrayList<>();
        for (String t : threads) {
            List<Stmt> code = new ArrayList<>();
            for (String s : t.split(";")) {
                if (!s.isBlank()) {
                    code.add(stmt(s));
                }
            }
            ts.add(code);
        }
        return new Program(name, in, ts, Program.Quantifier.EXISTS, cond(exists), null);
    }

    /** One kernel test: its name, its published result, its program. */
    public record Kernel(String name, Verdict published, Program program) {}

    private static Kernel t(String name, String result, String init, String exists, String... threads) {
        return new Kernel(name, result.equals("Never") ? Verdict.NEVER : Verdict.SOMETIMES, program(name, init, exists, threads));
    }

    public static final List<Kernel> TESTS = List.of(
            t("CoRR+poonceonce+Once", "Never", "", "1:r0=1 & 1:r1=0", "x = 1", "r0 = x; r1 = x"),
            t("CoRW+poonceonce+Once", "Never", "", "x=2 & 0:r0=2", "r0 = x; x = 1", "x = 2"),
            t("CoWR+poonceonce+Once", "Never", "", "x=1 & 0:r0=2", "x = 1; r0 = x", "x = 2"),
            t("CoWW+poonceonce", "Never", "", "x=1", "x = 1; x = 2"),
            t("IRIW+fencembonceonces+OnceOnce", "Never", "", "1:r0=1 & 1:r1=0 & 3:r0=1 & 3:r1=0",
                    "x = 1", "r0 = x; mb; r1 = y", "y = 1", "r0 = y; mb; r1 = x"),
            t("IRIW+poonceonces+OnceOnce", "Sometimes", "", "1:r0=1 & 1:r1=0 & 3:r0=1 & 3:r1=0",
                    "x = 1", "r0 = x; r1 = y", "y = 1", "r0 = y; r1 = x"),
            t("ISA2+pooncelock+pooncelock+pombonce", "Never", "", "1:r0=1 & 2:r2=1 & 2:r1=0",
                    "lock s; x = 1; y = 1; unlock s", "lock s; r0 = y; z = 1; unlock s", "r2 = z; mb; r1 = x"),
            t("ISA2+poonceonces", "Sometimes", "", "1:r0=1 & 2:r0=1 & 2:r1=0", "x = 1; y = 1", "r0 = y; z = 1", "r0 = z; r1 = x"),
            t("ISA2+pooncerelease+poacquirerelease+poacquireonce", "Never", "", "1:r0=1 & 2:r0=1 & 2:r1=0",
                    "x = 1; rel y 1", "r0 = acq y; rel z 1", "r0 = acq z; r1 = x"),
            t("LB+fencembonceonce+ctrlonceonce", "Never", "", "0:r0=1 & 1:r0=1", "r0 = x; if r0 y = 1", "r0 = y; mb; x = 1"),
            t("LB+poacquireonce+pooncerelease", "Never", "", "0:r0=1 & 1:r0=1", "r0 = x; rel y 1", "r0 = acq y; x = 1"),
            t("LB+poonceonces", "Sometimes", "", "0:r0=1 & 1:r0=1", "r0 = x; y = 1", "r0 = y; x = 1"),
            t("LB+unlocklockonceonce+poacquireonce", "Never", "", "0:r1=1 & 1:r2=1",
                    "lock s; r1 = x; unlock s; lock t; y = 1; unlock t", "r2 = acq y; x = 1"),
            t("MP+fencewmbonceonce+fencermbonceonce", "Never", "", "1:r0=1 & 1:r1=0", "x = 1; wmb; y = 1", "r0 = y; rmb; r1 = x"),
            t("MP+onceassign+derefonce", "Never", "p=&y", "1:r0=&x & 1:r1=0", "x = 1; rel p &x", "r0 = p; r1 = *r0"),
            t("MP+polockmbonce+poacquiresilsil", "Never", "", "1:r1=1 & 1:r2=0 & 1:r3=1",
                    "lock s; mbas; x = 1; unlock s", "r1 = acq x; r2 = sil s; r3 = sil s"),
            t("MP+polockonce+poacquiresilsil", "Sometimes", "", "1:r1=1 & 1:r2=0 & 1:r3=1",
                    "lock s; x = 1; unlock s", "r1 = acq x; r2 = sil s; r3 = sil s"),
            t("MP+polocks", "Never", "", "1:r0=1 & 1:r1=0", "x = 1; lock s; y = 1; unlock s", "lock s; r0 = y; unlock s; r1 = x"),
            t("MP+poonceonces", "Sometimes", "", "1:r0=1 & 1:r1=0", "x = 1; y = 1", "r0 = y; r1 = x"),
            t("MP+pooncerelease+poacquireonce", "Never", "", "1:r0=1 & 1:r1=0", "x = 1; rel y 1", "r0 = acq y; r1 = x"),
            t("MP+porevlocks", "Never", "", "0:r0=1 & 0:r1=0", "r0 = y; lock s; r1 = x; unlock s", "lock s; x = 1; unlock s; y = 1"),
            t("MP+unlocklockonceonce+fencermbonceonce", "Never", "", "1:r1=1 & 1:r2=0",
                    "lock s; x = 1; unlock s; lock t; y = 1; unlock t", "r1 = y; rmb; r2 = x"),
            t("R+fencembonceonces", "Never", "", "y=2 & 1:r0=0", "x = 1; mb; y = 1", "y = 2; mb; r0 = x"),
            t("R+poonceonces", "Sometimes", "", "y=2 & 1:r0=0", "x = 1; y = 1", "y = 2; r0 = x"),
            t("S+fencewmbonceonce+poacquireonce", "Never", "", "x=2 & 1:r0=1", "x = 2; wmb; y = 1", "r0 = acq y; x = 1"),
            t("S+poonceonces", "Sometimes", "", "x=2 & 1:r0=1", "x = 2; y = 1", "r0 = y; x = 1"),
            t("SB+fencembonceonces", "Never", "", "0:r0=0 & 1:r0=0", "x = 1; mb; r0 = y", "y = 1; mb; r0 = x"),
            t("SB+poonceonces", "Sometimes", "", "0:r0=0 & 1:r0=0", "x = 1; r0 = y", "y = 1; r0 = x"),
            t("SB+rfionceonce-poonceonces", "Sometimes", "", "0:r1=0 & 1:r1=0", "x = 1; r0 = x; r1 = y", "y = 1; r0 = y; r1 = x"),
            t("WRC+poonceonces+Once", "Sometimes", "", "1:r0=1 & 2:r0=1 & 2:r1=0", "x = 1", "r0 = x; y = 1", "r0 = y; r1 = x"),
            t("WRC+pooncerelease+fencermbonceonce+Once", "Never", "", "1:r0=1 & 2:r0=1 & 2:r1=0",
                    "x = 1", "r0 = x; rel y 1", "r0 = y; rmb; r1 = x"),
            t("Z6.0+pooncelock+poonceLock+pombonce", "Never", "", "1:r0=1 & z=2 & 2:r1=0",
                    "lock s; x = 1; y = 1; unlock s", "lock s; mbas; r0 = y; z = 1; unlock s", "z = 2; mb; r1 = x"),
            t("Z6.0+pooncelock+pooncelock+pombonce", "Sometimes", "", "1:r0=1 & z=2 & 2:r1=0",
                    "lock s; x = 1; y = 1; unlock s", "lock s; r0 = y; z = 1; unlock s", "z = 2; mb; r1 = x"),
            t("Z6.0+pooncerelease+poacquirerelease+fencembonceonce", "Sometimes", "", "1:r0=1 & z=2 & 2:r1=0",
                    "x = 1; rel y 1", "r0 = acq y; rel z 1", "z = 2; mb; r1 = x"),
            depPlain());

    /**
     * dep+plain: P0 reads x, stores it to z1 with a plain store, copies z1 to z2 and tests z2 with
     * plain accesses, and writes y under that test; P1 passes y to x by acquire and release.
     */
    private static Kernel depPlain() {
        List<Stmt> p0 = List.of(
                new Load("a", new AddrOf("x"), Tag.ONCE),
                new Store(new AddrOf("z1"), new Reg("a"), Tag.PLAIN),
                new Load("t1", new AddrOf("z1"), Tag.PLAIN),
                new Store(new AddrOf("z2"), new Reg("t1"), Tag.PLAIN),
                new Load("t2", new AddrOf("z2"), Tag.PLAIN),
                new If(new Bin("==", new Reg("t2"), new Const(1)), List.of(new Store(new AddrOf("y"), new Const(1), Tag.ONCE)), List.of()));
        List<Stmt> p1 = List.of(
                new Load("r", new AddrOf("y"), Tag.ACQUIRE),
                new Store(new AddrOf("x"), new Reg("r"), Tag.RELEASE));
        return new Kernel("dep+plain", Verdict.NEVER,
                new Program("dep+plain", Map.of(), List.of(p0, p1), Program.Quantifier.EXISTS, cond("x=1 & y=1"), null));
    }

}
