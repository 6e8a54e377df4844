package klm.explorer;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

import klm.explorer.memory.MemoryModel;
import klm.explorer.memory.MemoryModels;
import klm.kernel.Barrier;
import klm.kernel.Ptr;
import klm.kernel.SpinLock;
import klm.kernel.Word;
import klm.scenario.Outcome;
import klm.scenario.ScenarioRun;

/**
 * The Linux kernel's own litmus tests (tools/memory-model/litmus-tests/, 35 files), each written
 * in the runtime's vocabulary, with the result the Linux-kernel memory model (LKMM) gives for its
 * {@code exists} clause (the file's "Result:" line) and the result each of the explorer's memory
 * models gives. {@code buf} and {@code flag} are {@code x} and {@code y} here, and every lock is
 * {@code s} or {@code t}; otherwise each body is the file's C, statement by statement.
 *
 * <p>{@link #check} runs every test under every model; the build's rule is that no model may
 * allow what LKMM forbids, and each model must give the result written here (so a change to a
 * model that moves one is seen). {@link #page} renders results/litmus.md.
 */
public final class Litmus {
    private Litmus() {}

    public enum Result {
        NEVER, SOMETIMES;

        String text() {
            return this == NEVER ? "Never" : "Sometimes";
        }
    }

    /** A CPU's code. */
    public interface Body {
        void run(Run r, int cpu);
    }

    /**
     * One litmus test: its file name, the commit of the file read, LKMM's result, the result under
     * sc, tso and ra, its CPUs and code, its exists clause, and why a model is stronger than LKMM
     * on it where one is (empty otherwise).
     */
    public record Test(String name, String commit, Result lkmm, Result sc, Result tso, Result ra, int cpus, Body body,
                       Predicate<Run> exists, String why, java.util.Set<String> walkTooBig) {
        Test(String name, String commit, Result lkmm, Result sc, Result tso, Result ra, int cpus, Body body,
             Predicate<Run> exists, String why) {
            this(name, commit, lkmm, sc, tso, ra, cpus, body, exists, why, java.util.Set.of());
        }

        /** The same test, with the models under which its walk over every interleaving is too long for a build. */
        Test walkTooBig(String... models) {
            return new Test(name, commit, lkmm, sc, tso, ra, cpus, body, exists, why, java.util.Set.of(models));
        }

        /** The answer recorded for model {@code m}, or null where none is. */
        public Result expected(MemoryModel m) {
            return java.util.Map.of("sc", sc, "tso", tso, "ra", ra).get(m.id());
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** The state of one execution: the shared variables, two spin locks, and each CPU's registers. */
    public static final class Run extends ScenarioRun {
        final Word x = new Word();
        final Word y = new Word();
        final Word z = new Word();
        final Word z1 = new Word();
        final Word z2 = new Word();
        /** MP+onceassign+derefonce's {@code int *p = y}. */
        final Ptr<Word> p = new Ptr<>(y);
        final SpinLock s = new SpinLock("s");
        final SpinLock t = new SpinLock("t");
        /** reg[cpu][i]: CPU-local, written by its CPU only, read by the exists clause after the execution. */
        final int[][] reg = new int[4][4];
        final Object[] ptr = new Object[4];
        private final Test test;

        Run(Test test) {
            super(test.cpus());
            this.test = test;
        }

        @Override
        protected void task(int cpu) {
            test.body().run(this, cpu);
        }

        @Override
        protected Outcome check() {
            return test.exists().test(this) ? Outcome.violation("EXISTS", "the exists clause of " + test.name() + " holds")
                    : Outcome.OK;
        }

        int x() { return x.plain(); }
        int y() { return y.plain(); }
        int z() { return z.plain(); }
    }

    private static final Result N = Result.NEVER;
    private static final Result S = Result.SOMETIMES;
    private static final String MCA = "SC and TSO are multi-copy atomic and keep loads in order: a store reaches every"
            + " other CPU at once";
    private static final String TSO_ORDER = "TSO reorders only a store with a later load; stores stay in order and"
            + " reach every other CPU at once";
    private static final String NO_PROMISES = "no model here lets a load read a write that runs after it (that needs"
            + " promises), so load buffering never happens";

    private static int bit(boolean b) {
        return b ? 1 : 0;
    }

    /** Every test of tools/memory-model/litmus-tests/, in the folder's order. */
    public static List<Test> all() {
        List<Test> l = new ArrayList<>();
        l.add(new Test("CoRR+poonceonce+Once", "84a83eba5c5aba8d3186830f94ee5c3c8b0ef23e", N, N, N, N, 2, (r, c) -> {
            if (c == 0) {
                r.x.writeOnce(1);
            } else {
                r.reg[1][0] = r.x.readOnce();
                r.reg[1][1] = r.x.readOnce();
            }
        }, r -> r.reg[1][0] == 1 && r.reg[1][1] == 0, ""));
        l.add(new Test("CoRW+poonceonce+Once", "84a83eba5c5aba8d3186830f94ee5c3c8b0ef23e", N, N, N, N, 2, (r, c) -> {
            if (c == 0) {
                r.reg[0][0] = r.x.readOnce();
                r.x.writeOnce(1);
            } else {
                r.x.writeOnce(2);
            }
        }, r -> r.x() == 2 && r.reg[0][0] == 2, ""));
        l.add(new Test("CoWR+poonceonce+Once", "1947bfcf81a905e84a58b423063e81034a90efed", N, N, N, N, 2, (r, c) -> {
            if (c == 0) {
                r.x.writeOnce(1);
                r.reg[0][0] = r.x.readOnce();
            } else {
                r.x.writeOnce(2);
            }
        }, r -> r.x() == 1 && r.reg[0][0] == 2, ""));
        l.add(new Test("CoWW+poonceonce", "cbecf716ca618fd44feda6bd9a64a8179d031fc5", N, N, N, N, 1, (r, c) -> {
            r.x.writeOnce(1);
            r.x.writeOnce(2);
        }, r -> r.x() == 1, ""));
        l.add(new Test("IRIW+fencembonceonces+OnceOnce", "55b024554aae776e18c5666d7ac20c53c014a680", N, N, N, N, 4,
                (r, c) -> iriw(r, c, true), Litmus::iriwExists, ""));
        l.add(new Test("IRIW+poonceonces+OnceOnce", "b7e1a1e9ae490a2a35376ad22b1d1fe779667bbf", S, N, N, S, 4,
                (r, c) -> iriw(r, c, false), Litmus::iriwExists, MCA));
        l.add(new Test("ISA2+pooncelock+pooncelock+pombonce", "2313f4700327fb7d6aa3989edfa5bffcd7080d36", N, N, N, N, 3, (r, c) -> {
            switch (c) {
                case 0 -> {
                    r.s.spinLock();
                    r.x.writeOnce(1);
                    r.y.writeOnce(1);
                    r.s.spinUnlock();
                }
                case 1 -> {
                    r.s.spinLock();
                    r.reg[1][0] = r.y.readOnce();
                    r.z.writeOnce(1);
                    r.s.spinUnlock();
                }
                default -> {
                    r.reg[2][2] = r.z.readOnce();
                    Barrier.smpMb();
                    r.reg[2][1] = r.x.readOnce();
                }
            }
        }, r -> r.reg[1][0] == 1 && r.reg[2][2] == 1 && r.reg[2][1] == 0, "").walkTooBig("tso", "ra"));
        l.add(new Test("ISA2+poonceonces", "8c1dccc80380fca8db09c2a81f5deb3c49b112b2", S, N, N, S, 3,
                (r, c) -> isa2(r, c, false), Litmus::isa2Exists, MCA));
        l.add(new Test("ISA2+pooncerelease+poacquirerelease+poacquireonce", "2555693dd85c7a726eed570736bf6e1c4c7116ed", N, N, N, N, 3,
                (r, c) -> isa2(r, c, true), Litmus::isa2Exists, ""));
        l.add(new Test("LB+fencembonceonce+ctrlonceonce", "10205618052908770451acd33eaeaa7685e97ed2", N, N, N, N, 2, (r, c) -> {
            if (c == 0) {
                r.reg[0][0] = r.x.readOnce();
                if (r.reg[0][0] != 0) {
                    r.y.writeOnce(1);
                }
            } else {
                r.reg[1][0] = r.y.readOnce();
                Barrier.smpMb();
                r.x.writeOnce(1);
            }
        }, r -> r.reg[0][0] == 1 && r.reg[1][0] == 1, ""));
        l.add(new Test("LB+poacquireonce+pooncerelease", "0b77b97066628deef03a6eac7b29e5c3756f4ab0", N, N, N, N, 2, (r, c) -> {
            if (c == 0) {
                r.reg[0][0] = r.x.readOnce();
                r.y.storeRelease(1);
            } else {
                r.reg[1][0] = r.y.loadAcquire();
                r.x.writeOnce(1);
            }
        }, r -> r.reg[0][0] == 1 && r.reg[1][0] == 1, ""));
        l.add(new Test("LB+poonceonces", "281a94b0f2f0775a2b7825c18bccf7e4c922b7b3", S, N, N, N, 2, (r, c) -> {
            if (c == 0) {
                r.reg[0][0] = r.x.readOnce();
                r.y.writeOnce(1);
            } else {
                r.reg[1][0] = r.y.readOnce();
                r.x.writeOnce(1);
            }
        }, r -> r.reg[0][0] == 1 && r.reg[1][0] == 1, NO_PROMISES));
        l.add(new Test("LB+unlocklockonceonce+poacquireonce", "0cfa80d3c398c747f9d502f5812465b082ad675a", N, N, N, N, 2, (r, c) -> {
            if (c == 0) {
                r.s.spinLock();
                r.reg[0][1] = r.x.readOnce();
                r.s.spinUnlock();
                r.t.spinLock();
                r.y.writeOnce(1);
                r.t.spinUnlock();
            } else {
                r.reg[1][2] = r.y.loadAcquire();
                r.x.writeOnce(1);
            }
        }, r -> r.reg[0][1] == 1 && r.reg[1][2] == 1, ""));
        l.add(new Test("MP+fencewmbonceonce+fencermbonceonce", "415e915fdfc775ad0c6675fde1008f6f43dd6251", N, N, N, N, 2, (r, c) -> {
            if (c == 0) {
                r.x.writeOnce(1);
                Barrier.smpWmb();
                r.y.writeOnce(1);
            } else {
                r.reg[1][0] = r.y.readOnce();
                Barrier.smpRmb();
                r.reg[1][1] = r.x.readOnce();
            }
        }, Litmus::mpExists, ""));
        l.add(new Test("MP+onceassign+derefonce", "84a83eba5c5aba8d3186830f94ee5c3c8b0ef23e", N, N, N, N, 2, (r, c) -> {
            if (c == 0) {
                r.x.writeOnce(1);
                r.p.storeRelease(r.x); // rcu_assign_pointer(*p, x)
            } else {
                // rcu_read_lock() and rcu_read_unlock() play no part without a grace period
                Word r0 = r.p.readOnce(); // rcu_dereference(*p)
                r.ptr[1] = r0;
                r.reg[1][1] = r0.readOnce();
            }
        }, r -> r.ptr[1] == r.x && r.reg[1][1] == 0, ""));
        l.add(new Test("MP+polockmbonce+poacquiresilsil", "3d34933a1c9ad6591c3980ba295967b2d6549081", N, N, N, N, 2,
                (r, c) -> silsil(r, c, true), Litmus::silsilExists, ""));
        l.add(new Test("MP+polockonce+poacquiresilsil", "fbda16fbaf29042714b6c68b39bd9ba461771b1d", S, N, N, S, 2,
                (r, c) -> silsil(r, c, false), Litmus::silsilExists, "SC and TSO: the lock's acquisition is a locked"
                        + " instruction that reaches memory before the critical section's store"));
        l.add(new Test("MP+polocks", "b6ff30849ca723b78306514246b98ca5645d92f5", N, N, N, N, 2, (r, c) -> {
            if (c == 0) {
                r.x.writeOnce(1);
                r.s.spinLock();
                r.y.writeOnce(1);
                r.s.spinUnlock();
            } else {
                r.s.spinLock();
                r.reg[1][0] = r.y.readOnce();
                r.s.spinUnlock();
                r.reg[1][1] = r.x.readOnce();
            }
        }, Litmus::mpExists, ""));
        l.add(new Test("MP+poonceonces", "d263dfa7d2697a43f3299b9731cd568ee49cdd2c", S, N, N, S, 2, (r, c) -> {
            if (c == 0) {
                r.x.writeOnce(1);
                r.y.writeOnce(1);
            } else {
                r.reg[1][0] = r.y.readOnce();
                r.reg[1][1] = r.x.readOnce();
            }
        }, Litmus::mpExists, TSO_ORDER));
        l.add(new Test("MP+pooncerelease+poacquireonce", "3765d01bab73bdb920ef711203978f02cd26e4da", N, N, N, N, 2, (r, c) -> {
            if (c == 0) {
                r.x.writeOnce(1);
                r.y.storeRelease(1);
            } else {
                r.reg[1][0] = r.y.loadAcquire();
                r.reg[1][1] = r.x.readOnce();
            }
        }, Litmus::mpExists, ""));
        l.add(new Test("MP+porevlocks", "550d14e3942c7d93ed3a3f38d6de94673e24988f", N, N, N, N, 2, (r, c) -> {
            if (c == 0) {
                r.reg[0][0] = r.y.readOnce();
                r.s.spinLock();
                r.reg[0][1] = r.x.readOnce();
                r.s.spinUnlock();
            } else {
                r.s.spinLock();
                r.x.writeOnce(1);
                r.s.spinUnlock();
                r.y.writeOnce(1);
            }
        }, r -> r.reg[0][0] == 1 && r.reg[0][1] == 0, ""));
        l.add(new Test("MP+unlocklockonceonce+fencermbonceonce", "9695e7a856bf28aa4f9a0ac48a4a283c62546525", N, N, N, N, 2, (r, c) -> {
            if (c == 0) {
                r.s.spinLock();
                r.x.writeOnce(1);
                r.s.spinUnlock();
                r.t.spinLock();
                r.y.writeOnce(1);
                r.t.spinUnlock();
            } else {
                r.reg[1][1] = r.y.readOnce();
                Barrier.smpRmb();
                r.reg[1][2] = r.x.readOnce();
            }
        }, r -> r.reg[1][1] == 1 && r.reg[1][2] == 0, ""));
        l.add(new Test("R+fencembonceonces", "9d4d8572a539ef807e21c196f145aa365fd52f0e", N, N, N, N, 2,
                (r, c) -> rShape(r, c, true), Litmus::rExists, ""));
        l.add(new Test("R+poonceonces", "84a83eba5c5aba8d3186830f94ee5c3c8b0ef23e", S, N, S, S, 2,
                (r, c) -> rShape(r, c, false), Litmus::rExists, "SC never reorders"));
        l.add(new Test("S+fencewmbonceonce+poacquireonce", "b5630b0af3ca87e8080c89c67dc42663d2266a49", N, N, N, N, 2, (r, c) -> {
            if (c == 0) {
                r.x.writeOnce(2);
                Barrier.smpWmb();
                r.y.writeOnce(1);
            } else {
                r.reg[1][0] = r.y.loadAcquire();
                r.x.writeOnce(1);
            }
        }, r -> r.x() == 2 && r.reg[1][0] == 1, ""));
        l.add(new Test("S+poonceonces", "50df51d12c3175573de9c94968639bdd625ec549", S, N, N, S, 2, (r, c) -> {
            if (c == 0) {
                r.x.writeOnce(2);
                r.y.writeOnce(1);
            } else {
                r.reg[1][0] = r.y.readOnce();
                r.x.writeOnce(1);
            }
        }, r -> r.x() == 2 && r.reg[1][0] == 1, TSO_ORDER));
        l.add(new Test("SB+fencembonceonces", "55b024554aae776e18c5666d7ac20c53c014a680", N, N, N, N, 2,
                (r, c) -> sb(r, c, true), Litmus::sbExists, ""));
        l.add(new Test("SB+poonceonces", "9695e7a856bf28aa4f9a0ac48a4a283c62546525", S, N, S, S, 2,
                (r, c) -> sb(r, c, false), Litmus::sbExists, "SC never reorders"));
        l.add(new Test("SB+rfionceonce-poonceonces", "9695e7a856bf28aa4f9a0ac48a4a283c62546525", S, N, S, S, 2, (r, c) -> {
            Word mine = c == 0 ? r.x : r.y;
            Word other = c == 0 ? r.y : r.x;
            mine.writeOnce(1);
            r.reg[c][0] = mine.readOnce();
            r.reg[c][1] = other.readOnce();
        }, r -> r.reg[0][1] == 0 && r.reg[1][1] == 0, "SC never reorders"));
        l.add(new Test("WRC+poonceonces+Once", "84a83eba5c5aba8d3186830f94ee5c3c8b0ef23e", S, N, N, S, 3,
                (r, c) -> wrc(r, c, false), Litmus::wrcExists, MCA));
        l.add(new Test("WRC+pooncerelease+fencermbonceonce+Once", "84a83eba5c5aba8d3186830f94ee5c3c8b0ef23e", N, N, N, N, 3,
                (r, c) -> wrc(r, c, true), Litmus::wrcExists, ""));
        l.add(new Test("Z6.0+pooncelock+poonceLock+pombonce", "552c69b36ebd966186573b9c7a286b390935cce1", N, N, N, N, 3,
                (r, c) -> z6Locks(r, c, true), Litmus::z6Exists, "").walkTooBig("tso", "ra"));
        l.add(new Test("Z6.0+pooncelock+pooncelock+pombonce", "d0034a7a4ac7fae708146ac0059b9c47a1543f0d", S, N, N, S, 3,
                (r, c) -> z6Locks(r, c, false), Litmus::z6Exists, MCA).walkTooBig("tso"));
        l.add(new Test("Z6.0+pooncerelease+poacquirerelease+fencembonceonce", "8db90aa36063f471bea1e65e23185913043852dc", S, N, N, S, 3, (r, c) -> {
            switch (c) {
                case 0 -> {
                    r.x.writeOnce(1);
                    r.y.storeRelease(1);
                }
                case 1 -> {
                    r.reg[1][0] = r.y.loadAcquire();
                    r.z.storeRelease(1);
                }
                default -> {
                    r.z.writeOnce(2);
                    Barrier.smpMb();
                    r.reg[2][1] = r.x.readOnce();
                }
            }
        }, r -> r.reg[1][0] == 1 && r.z() == 2 && r.reg[2][1] == 0, MCA));
        l.add(new Test("dep+plain", "0604aa87b098740f2e517a584552591cbf2209d7", N, N, N, N, 2, (r, c) -> {
            if (c == 0) {
                int a = r.x.readOnce();
                r.z1.setPlain(a);
                r.z2.setPlain(r.z1.plain());
                if (r.z2.plain() == 1) {
                    r.y.writeOnce(1);
                }
            } else {
                int v = r.y.loadAcquire();
                r.x.storeRelease(v);
            }
        }, r -> r.x() == 1 && r.y() == 1, ""));
        return l;
    }

    // ------------------------------------------------------------------ shapes shared by two tests

    private static void iriw(Run r, int c, boolean mb) {
        switch (c) {
            case 0 -> r.x.writeOnce(1);
            case 2 -> r.y.writeOnce(1);
            default -> {
                Word first = c == 1 ? r.x : r.y;
                Word second = c == 1 ? r.y : r.x;
                r.reg[c][0] = first.readOnce();
                if (mb) {
                    Barrier.smpMb();
                }
                r.reg[c][1] = second.readOnce();
            }
        }
    }

    private static boolean iriwExists(Run r) {
        return r.reg[1][0] == 1 && r.reg[1][1] == 0 && r.reg[3][0] == 1 && r.reg[3][1] == 0;
    }

    private static void isa2(Run r, int c, boolean releaseAcquire) {
        switch (c) {
            case 0 -> {
                r.x.writeOnce(1);
                if (releaseAcquire) {
                    r.y.storeRelease(1);
                } else {
                    r.y.writeOnce(1);
                }
            }
            case 1 -> {
                r.reg[1][0] = releaseAcquire ? r.y.loadAcquire() : r.y.readOnce();
                if (releaseAcquire) {
                    r.z.storeRelease(1);
                } else {
                    r.z.writeOnce(1);
                }
            }
            default -> {
                r.reg[2][0] = releaseAcquire ? r.z.loadAcquire() : r.z.readOnce();
                r.reg[2][1] = r.x.readOnce();
            }
        }
    }

    private static boolean isa2Exists(Run r) {
        return r.reg[1][0] == 1 && r.reg[2][0] == 1 && r.reg[2][1] == 0;
    }

    private static boolean mpExists(Run r) {
        return r.reg[1][0] == 1 && r.reg[1][1] == 0;
    }

    private static void silsil(Run r, int c, boolean mbAfterSpinlock) {
        if (c == 0) {
            r.s.spinLock();
            if (mbAfterSpinlock) {
                Barrier.smpMbAfterSpinlock();
            }
            r.x.writeOnce(1);
            r.s.spinUnlock();
        } else {
            r.reg[1][1] = r.x.loadAcquire();
            r.reg[1][2] = bit(r.s.spinIsLocked());
            r.reg[1][3] = bit(r.s.spinIsLocked());
        }
    }

    private static boolean silsilExists(Run r) {
        return r.reg[1][1] == 1 && r.reg[1][2] == 0 && r.reg[1][3] == 1;
    }

    private static void rShape(Run r, int c, boolean mb) {
        if (c == 0) {
            r.x.writeOnce(1);
            if (mb) {
                Barrier.smpMb();
            }
            r.y.writeOnce(1);
        } else {
            r.y.writeOnce(2);
            if (mb) {
                Barrier.smpMb();
            }
            r.reg[1][0] = r.x.readOnce();
        }
    }

    private static boolean rExists(Run r) {
        return r.y() == 2 && r.reg[1][0] == 0;
    }

    private static void sb(Run r, int c, boolean mb) {
        Word mine = c == 0 ? r.x : r.y;
        Word other = c == 0 ? r.y : r.x;
        mine.writeOnce(1);
        if (mb) {
            Barrier.smpMb();
        }
        r.reg[c][0] = other.readOnce();
    }

    private static boolean sbExists(Run r) {
        return r.reg[0][0] == 0 && r.reg[1][0] == 0;
    }

    private static void wrc(Run r, int c, boolean releaseRmb) {
        switch (c) {
            case 0 -> r.x.writeOnce(1);
            case 1 -> {
                r.reg[1][0] = r.x.readOnce();
                if (releaseRmb) {
                    r.y.storeRelease(1);
                } else {
                    r.y.writeOnce(1);
                }
            }
            default -> {
                r.reg[2][0] = r.y.readOnce();
                if (releaseRmb) {
                    Barrier.smpRmb();
                }
                r.reg[2][1] = r.x.readOnce();
            }
        }
    }

    private static boolean wrcExists(Run r) {
        return r.reg[1][0] == 1 && r.reg[2][0] == 1 && r.reg[2][1] == 0;
    }

    private static void z6Locks(Run r, int c, boolean mbAfterSpinlock) {
        switch (c) {
            case 0 -> {
                r.s.spinLock();
                r.x.writeOnce(1);
                r.y.writeOnce(1);
                r.s.spinUnlock();
            }
            case 1 -> {
                r.s.spinLock();
                if (mbAfterSpinlock) {
                    Barrier.smpMbAfterSpinlock();
                }
                r.reg[1][0] = r.y.readOnce();
                r.z.writeOnce(1);
                r.s.spinUnlock();
            }
            default -> {
                r.z.writeOnce(2);
                Barrier.smpMb();
                r.reg[2][1] = r.x.readOnce();
            }
        }
    }

    private static boolean z6Exists(Run r) {
        return r.reg[1][0] == 1 && r.z() == 2 && r.reg[2][1] == 0;
    }

    // ------------------------------------------------------------------ running and rendering

    /**
     * The walk over every interleaving that checks the DPOR stops after this many executions. Five
     * cells are not walked in a build ({@link Test#walkTooBig}): ISA2 and Z6.0 with locks under TSO
     * and RA have 160,860 to 1,265,616 interleavings, 450 s for the largest four; walked completely
     * once they agreed with the DPOR (docs/DESIGN.md). A build walks every other cell
     * completely, or, where the DPOR found the outcome, until the walk finds it too.
     */
    static final int WALK_BUDGET = 20_000;

    /**
     * What one model gave for one test: its answer, whether the exploration completed, its
     * executions and time, and whether the walk over every interleaving agrees (null: the walk
     * passed {@link #WALK_BUDGET} and was not finished).
     */
    public record Observed(Result result, boolean complete, long executions, double millis, Boolean exhaustiveAgrees) {}

    /** Runs test {@code t} under model {@code m}: by the DPOR, and (for the cross-check) over every interleaving. */
    public static Observed run(Test t, MemoryModel m) {
        Explorer.Result r = Explorer.explore(() -> new Run(t), Explorer.Options.DEFAULT.under(m));
        Result res = r.found() ? Result.SOMETIMES : Result.NEVER;
        if (t.walkTooBig().contains(m.id())) {
            return new Observed(res, r.found() || r.complete(), r.executions(), r.millis(), null);
        }
        Map<String, Integer> every = Exhaustive.outcomes(() -> new Run(t), m, WALK_BUDGET, r.found() ? "EXISTS" : null);
        boolean stopped = every.keySet().stream().anyMatch(k -> k.startsWith("(stopped"));
        boolean walkFound = every.containsKey("EXISTS");
        Boolean agrees = walkFound ? Boolean.valueOf(r.found()) // a walk that found it: the DPOR must have
                : stopped ? null // an unfinished walk that has not found it proves nothing
                : Boolean.valueOf(!r.found());
        return new Observed(res, r.found() || r.complete(), r.executions(), r.millis(), agrees);
    }

    /** Every test under every model. */
    public static Map<Test, Map<MemoryModel, Observed>> check() {
        Map<Test, Map<MemoryModel, Observed>> out = new java.util.LinkedHashMap<>();
        for (Test t : all()) {
            Map<MemoryModel, Observed> row = new java.util.LinkedHashMap<>();
            for (MemoryModel m : MemoryModels.all()) {
                row.put(m, run(t, m));
            }
            out.put(t, row);
        }
        return out;
    }

    /** A model allows what LKMM forbids: the one thing a model must never do. */
    public static boolean weaker(Test t, Observed o) {
        return t.lkmm() == Result.NEVER && o.result() == Result.SOMETIMES;
    }

    /** The problems of a check: weaker than LKMM, another result than written, incomplete, or the DPOR and the walk disagreeing. */
    public static List<String> problems(Map<Test, Map<MemoryModel, Observed>> results) {
        List<String> out = new ArrayList<>();
        results.forEach((t, row) -> row.forEach((m, o) -> {
            String where = t.name() + " under " + m.id() + ": ";
            if (weaker(t, o)) {
                out.add(where + "allows what LKMM forbids (Result: Never)");
            }
            if (t.expected(m) == null) {
                out.add(where + o.result().text() + ", and no answer is recorded for " + m.id());
            } else if (o.result() != t.expected(m)) {
                out.add(where + o.result().text() + ", written as " + t.expected(m).text());
            }
            if (!o.complete()) {
                out.add(where + "the exploration did not complete");
            }
            if (Boolean.FALSE.equals(o.exhaustiveAgrees())) {
                out.add(where + "the DPOR and the walk over every interleaving disagree");
            }
        }));
        return out;
    }

    /** Where a run leaves the litmus page for the summary to publish as results/litmus.md. */
    public static java.nio.file.Path pageFile(java.nio.file.Path observations, String runId) {
        return observations.resolve("litmus-" + runId + ".md");
    }

    /** results/litmus.md. */
    public static String page(Map<Test, Map<MemoryModel, Observed>> results, String header) {
        StringBuilder sb = new StringBuilder();
        sb.append("# The explorer's memory models against the kernel's litmus tests\n\n").append(header).append("\n\n");
        sb.append("Every test of the Linux kernel's `tools/memory-model/litmus-tests/` (")
                .append(results.size()).append(" files), written in the runtime's vocabulary (`klm.explorer.Litmus`) and explored"
                        + " completely under each of the explorer's memory models: **sc** (sequential consistency),"
                        + " **tso** (x86-TSO: a FIFO store buffer per CPU) and **ra** (the release/acquire views model,"
                        + " docs/DESIGN.md). A cell is the model's answer to the test's `exists` clause: *Sometimes* if some"
                        + " execution satisfies it, *Never* if none of the complete exploration does. **LKMM** is the"
                        + " result in the test file's header, the Linux-kernel memory model's answer.\n\n");
        sb.append("The rule the build enforces (`LitmusTest`): no model answers *Sometimes* where LKMM answers *Never*."
                + " A model may be stronger than LKMM (*Never* where LKMM says *Sometimes*); the last column says why."
                + " Each answer is also checked by walking every interleaving without reduction (`Exhaustive`, up to "
                + String.format(Locale.ROOT, "%,d", WALK_BUDGET) + " interleavings); the column \"DPOR = every interleaving\""
                + " says whether the two agree under all three models.\n\n");
        sb.append("| test | LKMM | sc | tso | ra | DPOR = every interleaving | where a model is stronger than LKMM, why |\n");
        sb.append("|---|---|---|---|---|---|---|\n");
        int weaker = 0;
        int stronger = 0;
        for (Map.Entry<Test, Map<MemoryModel, Observed>> e : results.entrySet()) {
            Test t = e.getKey();
            sb.append("| [").append(t.name()).append("](https://github.com/torvalds/linux/blob/").append(t.commit())
                    .append("/tools/memory-model/litmus-tests/").append(t.name()).append(".litmus) | ")
                    .append(t.lkmm().text()).append(" | ");
            boolean agree = true;
            List<String> unwalked = new ArrayList<>();
            boolean anyStronger = false;
            for (MemoryModel m : e.getValue().keySet()) {
                Observed o = e.getValue().get(m);
                agree &= !Boolean.FALSE.equals(o.exhaustiveAgrees());
                if (o.exhaustiveAgrees() == null) {
                    unwalked.add(m.id());
                }
                String cell = o.result().text() + (o.complete() ? "" : " (incomplete)");
                if (weaker(t, o)) {
                    cell = "✗ " + cell + " (weaker than LKMM)";
                    weaker++;
                } else if (o.result() != t.lkmm()) {
                    cell = cell + " (stronger)";
                    anyStronger = true;
                }
                sb.append(cell).append(" | ");
            }
            if (anyStronger) {
                stronger++;
            }
            sb.append(!agree ? "✗ no" : unwalked.isEmpty() ? "yes"
                            : "yes where walked; " + String.join(", ", unwalked) + ": not walked in a build (over "
                            + String.format(Locale.ROOT, "%,d", WALK_BUDGET) + " interleavings; walked once, agreed)").append(" | ").append(anyStronger ? t.why() : "").append(" |\n");
        }
        sb.append('\n');
        sb.append(String.format(Locale.ROOT, "**%d of %d tests: no model weaker than LKMM%s.** %d tests have a model"
                        + " stronger than LKMM, each explained in its row.%n%n", results.size() - weaker, results.size(),
                weaker == 0 ? "" : " — " + weaker + " cells are WEAKER (the build fails)", stronger));
        sb.append("""
                What the models cannot show, and why some answers are stronger than LKMM:

                - **sc** never reorders anything, so every *Sometimes* of LKMM is *Never* there.
                - **tso** lets a load pass an earlier store to another location (SB, R, SB with a read of the CPU's own
                  store) and nothing else; a store reaches every other CPU at the same moment (multi-copy atomic), so
                  IRIW, WRC, ISA2 and Z6.0 stay *Never*. A lock acquisition is a locked instruction, a full barrier.
                - **ra** lets stores pass stores and loads pass loads (MP, WRC, ISA2, IRIW, Z6.0 are *Sometimes*) but it
                  has no promises: a load never reads a write that runs after it, so the LB tests are *Never*. A write
                  may go before writes its CPU has not seen in coherence order, so S is *Sometimes* as in LKMM. It has
                  no dependencies: a
                  `READ_ONCE()` of a pointer (`rcu_dereference()`) is an acquire load, stronger than LKMM's address
                  dependency. `smp_wmb()` and `smp_rmb()` act on everything the CPU has seen, stronger than LKMM's
                  store-only and load-only fences. `rcu_read_lock()`/`rcu_read_unlock()` are not modelled (no test here
                  uses a grace period).
                """);
        return sb.toString();
    }
}
