package klm.lkmm;

import static klm.lkmm.Tag.ACQUIRE;
import static klm.lkmm.Tag.AFTER_SPINLOCK;
import static klm.lkmm.Tag.MB;
import static klm.lkmm.Tag.ONCE;
import static klm.lkmm.Tag.RELEASE;
import static klm.lkmm.Tag.RMB;
import static klm.lkmm.Tag.WMB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * The classic shapes as hand-built candidate executions, each the execution of the test's
 * interesting outcome, checked against LKMM's known answer (the kernel's litmus-tests README and
 * explanation.txt) and against SC and x86-TSO: null where the model allows the execution, else the
 * axiom it violates.
 */
class ModelsTest {
    private static final Model LKMM = new Lkmm(), SC = new Sc(), TSO = new Tso();

    private static void expect(Execution x, String lkmm, String sc, String tso) {
        assertEquals(lkmm, LKMM.violated(x), "lkmm on\n" + x);
        assertEquals(sc, SC.violated(x), "sc on\n" + x);
        assertEquals(tso, TSO.violated(x), "tso on\n" + x);
    }

    /** Store buffering: each CPU writes one variable and reads the other's initial value. */
    private static Execution sb(Tag wTag, Tag fence, Tag rTag) {
        Execution.Builder b = new Execution.Builder();
        b.write(0, "x", 1, wTag);
        if (fence != null) {
            b.fence(0, fence);
        }
        b.rfInit(b.read(0, "y", rTag));
        b.write(1, "y", 1, wTag);
        if (fence != null) {
            b.fence(1, fence);
        }
        b.rfInit(b.read(1, "x", rTag));
        return b.build();
    }

    @Test
    void storeBuffering() {
        expect(sb(ONCE, null, ONCE), null, "sc", null);
        expect(sb(ONCE, MB, ONCE), "propagation", "sc", "tso");
        expect(sb(RELEASE, null, ACQUIRE), null, "sc", null);
    }

    /** Message passing: P0 writes x then y, P1 reads y=1 then x=0; {@code how} orders each side. */
    private static Execution mp(Tag w1, Tag wFence, Tag w2, Tag r1, Tag rFence, Tag r2, String dep) {
        Execution.Builder b = new Execution.Builder();
        b.write(0, "x", 1, w1);
        if (wFence != null) {
            b.fence(0, wFence);
        }
        int wy = b.write(0, "y", 1, w2);
        int ry = b.read(1, "y", r1);
        if (rFence != null) {
            b.fence(1, rFence);
        }
        int rx = b.read(1, "x", r2);
        b.rf(wy, ry).rfInit(rx);
        if ("addr".equals(dep)) {
            b.addr(ry, rx);
        } else if ("ctrl".equals(dep)) {
            b.ctrl(ry, rx);
        }
        return b.build();
    }

    @Test
    void messagePassing() {
        expect(mp(ONCE, null, ONCE, ONCE, null, ONCE, null), null, "sc", "tso");
        expect(mp(ONCE, null, RELEASE, ACQUIRE, null, ONCE, null), "happens-before", "sc", "tso");
        expect(mp(ONCE, WMB, ONCE, ONCE, RMB, ONCE, null), "happens-before", "sc", "tso");
        expect(mp(ONCE, WMB, ONCE, ONCE, null, ONCE, "addr"), "happens-before", "sc", "tso");
        // a control dependency orders only later writes: the read may still go early
        expect(mp(ONCE, WMB, ONCE, ONCE, null, ONCE, "ctrl"), null, "sc", "tso");
        expect(mp(ONCE, WMB, ONCE, ONCE, null, ONCE, null), null, "sc", "tso");
        expect(mp(ONCE, null, ONCE, ONCE, RMB, ONCE, null), null, "sc", "tso");
    }

    /** MP+polocks: the writer's second write and the reader's first read each under the lock. */
    @Test
    void messagePassingUnderLocks() {
        Execution.Builder b = new Execution.Builder();
        b.write(0, "x", 1, ONCE);
        int l0 = b.lock(0, "s");
        int wy = b.write(0, "y", 1, ONCE);
        int u0 = b.unlock(0, "s");
        int l1 = b.lock(1, "s");
        int ry = b.read(1, "y", ONCE);
        int u1 = b.unlock(1, "s");
        int rx = b.read(1, "x", ONCE);
        b.rfInit(l0).rf(u0, l1).rf(wy, ry).rfInit(rx).co("s", l0 + 1, u0, l1 + 1, u1);
        expect(b.build(), "happens-before", "sc", "tso");
    }

    /** Load buffering: each CPU reads the other's write, then writes. */
    private static Execution lb(Tag r, Tag fence0, Tag fence1, Tag w, String dep0, String dep1) {
        Execution.Builder b = new Execution.Builder();
        int rx = b.read(0, "x", r);
        if (fence0 != null) {
            b.fence(0, fence0);
        }
        int wy = b.write(0, "y", 1, w);
        int ry = b.read(1, "y", r);
        if (fence1 != null) {
            b.fence(1, fence1);
        }
        int wx = b.write(1, "x", 1, w);
        b.rf(wx, rx).rf(wy, ry);
        dep(b, dep0, rx, wy);
        dep(b, dep1, ry, wx);
        return b.build();
    }

    private static void dep(Execution.Builder b, String dep, int r, int e) {
        if (dep == null) {
            return;
        }
        switch (dep) {
            case "addr" -> b.addr(r, e);
            case "data" -> b.data(r, e);
            case "ctrl" -> b.ctrl(r, e);
            default -> throw new IllegalArgumentException(dep);
        }
    }

    @Test
    void loadBuffering() {
        expect(lb(ONCE, null, null, ONCE, null, null), null, "sc", "tso");
        expect(lb(ONCE, MB, null, ONCE, null, "ctrl"), "happens-before", "sc", "tso");
        expect(lb(ACQUIRE, null, null, RELEASE, null, null), "happens-before", "sc", "tso");
        expect(lb(ONCE, null, null, ONCE, "data", "data"), "happens-before", "sc", "tso");
        expect(lb(ONCE, null, null, ONCE, "data", null), null, "sc", "tso");
    }

    /** WRC: P0 writes x; P1 reads it and writes y; P2 reads y=1 then x=0. */
    private static Execution wrc(Tag w1, Tag r1fence, Tag w2, Tag r2, Tag r2fence) {
        Execution.Builder b = new Execution.Builder();
        int wx = b.write(0, "x", 1, ONCE);
        int rx1 = b.read(1, "x", ONCE);
        if (r1fence != null) {
            b.fence(1, r1fence);
        }
        int wy = b.write(1, "y", 1, w2);
        int ry = b.read(2, "y", r2);
        if (r2fence != null) {
            b.fence(2, r2fence);
        }
        int rx2 = b.read(2, "x", ONCE);
        b.rf(wx, rx1).rf(wy, ry).rfInit(rx2);
        return b.build();
    }

    @Test
    void writeToReadCausality() {
        expect(wrc(ONCE, null, ONCE, ONCE, null), null, "sc", "tso");
        // WRC+pooncerelease+fencermbonceonce+Once: Never
        expect(wrc(ONCE, null, RELEASE, ONCE, RMB), "happens-before", "sc", "tso");
        expect(wrc(ONCE, MB, ONCE, ONCE, RMB), "happens-before", "sc", "tso");
        // the release is A-cumulative: the write P1 read is ordered before its release
        expect(wrc(ONCE, null, RELEASE, ACQUIRE, null), "happens-before", "sc", "tso");
        expect(wrc(ONCE, null, ONCE, ACQUIRE, null), null, "sc", "tso");
    }

    /** ISA2: P0 writes x then y; P1 reads y, writes z; P2 reads z=1 then x=0. */
    private static Execution isa2(Tag p0y, Tag p1r, Tag p1w, Tag p2r) {
        Execution.Builder b = new Execution.Builder();
        b.write(0, "x", 1, ONCE);
        int wy = b.write(0, "y", 1, p0y);
        int ry = b.read(1, "y", p1r);
        int wz = b.write(1, "z", 1, p1w);
        int rz = b.read(2, "z", p2r);
        int rx = b.read(2, "x", ONCE);
        b.rf(wy, ry).rf(wz, rz).rfInit(rx);
        return b.build();
    }

    @Test
    void isa2() {
        expect(isa2(ONCE, ONCE, ONCE, ONCE), null, "sc", "tso");
        // ISA2+pooncerelease+poacquirerelease+poacquireonce: Never
        expect(isa2(RELEASE, ACQUIRE, RELEASE, ACQUIRE), "happens-before", "sc", "tso");
        // the middle CPU reads relaxed, then releases: A-cumulativity still forbids it
        expect(isa2(RELEASE, ONCE, RELEASE, ACQUIRE), "happens-before", "sc", "tso");
        expect(isa2(RELEASE, ACQUIRE, ONCE, ACQUIRE), null, "sc", "tso");
    }

    /** ISA2+pooncelock+pooncelock+pombonce: Never. */
    @Test
    void isa2UnderLocks() {
        Execution.Builder b = new Execution.Builder();
        int l0 = b.lock(0, "s");
        b.write(0, "x", 1, ONCE);
        int wy = b.write(0, "y", 1, ONCE);
        int u0 = b.unlock(0, "s");
        int l1 = b.lock(1, "s");
        int ry = b.read(1, "y", ONCE);
        int wz = b.write(1, "z", 1, ONCE);
        int u1 = b.unlock(1, "s");
        int rz = b.read(2, "z", ONCE);
        b.fence(2, MB);
        int rx = b.read(2, "x", ONCE);
        b.rfInit(l0).rf(u0, l1).rf(wy, ry).rf(wz, rz).rfInit(rx).co("s", l0 + 1, u0, l1 + 1, u1);
        // the unlock-lock chain carries x's write to P1's write of z (cumul-fence), so P2's read
        // of x=0 would have to precede its own earlier read of z=1
        expect(b.build(), "happens-before", "sc", "tso");
    }

    /** Z6.0+pooncelock+pooncelock+pombonce (Sometimes), and with smp_mb__after_spinlock() (Never). */
    @Test
    void z60UnderLocks() {
        for (boolean afterSpinlock : new boolean[] {false, true}) {
            Execution.Builder b = new Execution.Builder();
            int l0 = b.lock(0, "s");
            b.write(0, "x", 1, ONCE);
            int wy = b.write(0, "y", 1, ONCE);
            int u0 = b.unlock(0, "s");
            int l1 = b.lock(1, "s");
            if (afterSpinlock) {
                b.fence(1, AFTER_SPINLOCK);
            }
            int ry = b.read(1, "y", ONCE);
            int wz1 = b.write(1, "z", 1, ONCE);
            int u1 = b.unlock(1, "s");
            int wz2 = b.write(2, "z", 2, ONCE);
            b.fence(2, MB);
            int rx = b.read(2, "x", ONCE);
            b.rfInit(l0).rf(u0, l1).rf(wy, ry).rfInit(rx).co("s", l0 + 1, u0, l1 + 1, u1).co("z", wz1, wz2);
            expect(b.build(), afterSpinlock ? "propagation" : null, "sc", "tso");
        }
    }

    /** Z6.0+pooncerelease+poacquirerelease+fencembonceonce: Sometimes. */
    @Test
    void z60ReleaseAcquire() {
        Execution.Builder b = new Execution.Builder();
        b.write(0, "x", 1, ONCE);
        int wy = b.write(0, "y", 1, RELEASE);
        int ry = b.read(1, "y", ACQUIRE);
        int wz1 = b.write(1, "z", 1, RELEASE);
        int wz2 = b.write(2, "z", 2, ONCE);
        b.fence(2, MB);
        int rx = b.read(2, "x", ONCE);
        b.rf(wy, ry).rfInit(rx).co("z", wz1, wz2);
        expect(b.build(), null, "sc", "tso");
    }

    /** IRIW: two writers, two readers that see the writes in opposite orders. */
    private static Execution iriw(Tag r, Tag fence) {
        Execution.Builder b = new Execution.Builder();
        int wx = b.write(0, "x", 1, ONCE);
        int rx1 = b.read(1, "x", r);
        if (fence != null) {
            b.fence(1, fence);
        }
        int ry1 = b.read(1, "y", ONCE);
        int ry2 = b.read(2, "y", r);
        if (fence != null) {
            b.fence(2, fence);
        }
        int rx2 = b.read(2, "x", ONCE);
        int wy = b.write(3, "y", 1, ONCE);
        b.rf(wx, rx1).rfInit(ry1).rf(wy, ry2).rfInit(rx2);
        return b.build();
    }

    @Test
    void iriw() {
        expect(iriw(ONCE, null), null, "sc", "tso");
        expect(iriw(ONCE, MB), "propagation", "sc", "tso");
        expect(iriw(ACQUIRE, null), null, "sc", "tso");
        expect(iriw(ONCE, RMB), null, "sc", "tso");
    }

    /** 2+2W: each CPU writes both variables; both first writes end last in coherence. */
    @Test
    void twoPlusTwoW() {
        for (Tag fence : new Tag[] {null, MB}) {
            Execution.Builder b = new Execution.Builder();
            int wx1 = b.write(0, "x", 1, ONCE);
            if (fence != null) {
                b.fence(0, fence);
            }
            int wy2 = b.write(0, "y", 2, ONCE);
            int wy1 = b.write(1, "y", 1, ONCE);
            if (fence != null) {
                b.fence(1, fence);
            }
            int wx2 = b.write(1, "x", 2, ONCE);
            b.co("x", wx2, wx1).co("y", wy2, wy1);
            expect(b.build(), fence == null ? null : "propagation", "sc", "tso");
        }
    }

    /** R: P0 writes x then y; P1 writes y (co-after) then reads x=0. */
    @Test
    void r() {
        for (Tag fence : new Tag[] {null, MB}) {
            Execution.Builder b = new Execution.Builder();
            b.write(0, "x", 1, ONCE);
            if (fence != null) {
                b.fence(0, fence);
            }
            int wy1 = b.write(0, "y", 1, ONCE);
            int wy2 = b.write(1, "y", 2, ONCE);
            if (fence != null) {
                b.fence(1, fence);
            }
            b.rfInit(b.read(1, "x", ONCE)).co("y", wy1, wy2);
            expect(b.build(), fence == null ? null : "propagation", "sc", fence == null ? null : "tso");
        }
    }

    /** S: P0 writes x=2 then y; P1 reads y=1 then writes x=1, co-before x=2. */
    @Test
    void s() {
        for (boolean ordered : new boolean[] {false, true}) {
            Execution.Builder b = new Execution.Builder();
            int wx2 = b.write(0, "x", 2, ONCE);
            if (ordered) {
                b.fence(0, WMB);
            }
            int wy = b.write(0, "y", 1, ONCE);
            int ry = b.read(1, "y", ordered ? ACQUIRE : ONCE);
            int wx1 = b.write(1, "x", 1, ONCE);
            b.rf(wy, ry).co("x", wx1, wx2);
            // S+fencewmbonceonce+poacquireonce: Never
            expect(b.build(), ordered ? "happens-before" : null, "sc", "tso");
        }
    }

    /** Coherence and atomicity hold in every model. */
    @Test
    void coherenceAndAtomicity() {
        // CoRR: two reads of x on one CPU see 1 then the initial 0
        Execution.Builder b = new Execution.Builder();
        int w = b.write(0, "x", 1, ONCE);
        int r1 = b.read(1, "x", ONCE);
        int r2 = b.read(1, "x", ONCE);
        b.rf(w, r1).rfInit(r2);
        expect(b.build(), "coherence", "sc", "uniproc");
        // two atomic increments both reading 0
        b = new Execution.Builder();
        int a = b.rmw(0, "x", 1, ONCE.bit(), ONCE.bit());
        int c = b.rmw(1, "x", 1, ONCE.bit(), ONCE.bit());
        b.rfInit(a).rfInit(c).co("x", a + 1, c + 1);
        expect(b.build(), "atomic", "atomic", "atomic");
    }

    @Test
    void malformedExecutionsAreRefused() {
        Execution.Builder b = new Execution.Builder();
        b.read(0, "x", ONCE);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, b::build);
        assertEquals("read 0 (x) reads from no write", e.getMessage());
        Execution.Builder c = new Execution.Builder();
        c.write(0, "x", 1, ONCE);
        c.write(1, "x", 2, ONCE);
        assertThrows(IllegalArgumentException.class, c::build, "two writes need a coherence order");
    }
}
