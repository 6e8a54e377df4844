package klm.lkmm;

import klm.lkmm.Execution.Kind;

/**
 * The Linux-kernel memory model (tools/memory-model: linux-kernel.cat, linux-kernel.bell,
 * lock.cat, as in the kernel tree of torvalds/linux at eb5cc113dd2f) over one candidate execution: each relation below is the model's, with its definition
 * quoted from the file that gives it. Supported: marked and plain accesses (the bell's Marked and
 * Plain, dependencies carried through memory by {@code carry-dep}, the {@code plain-coherence}
 * axiom, the {@code data-race} and {@code mixed-accesses} flags), fences, RMWs, and spinlocks as
 * lock.cat has them. Not modelled: RCU grace periods (synchronize_rcu: with none,
 * linux-kernel.cat's rcu-fence is empty, its {@code rcu} axiom holds trivially and {@code rb} is
 * empty, so rcu_read_lock/unlock order nothing), SRCU: a program using them is refused before it
 * gets here.
 */
public final class Lkmm implements Model {
    @Override
    public String name() {
        return "lkmm";
    }

    /** The relations of one execution, computed once; the axioms read them. */
    static final class Relations {
        final Execution x;
        final int n;
        final long all, r, w, m, marked, plain, acquire, release, ul, lkr, lkw, rmwSet, noreturn, r4rmb;
        final Rel po, rf, co, fr, rfe, coe, fre, rmw, ppo, hb, pb, strongFence, prop, addr, fence, nonrwFence, cumulFence;

        Relations(Execution x) {
            this.x = x;
            this.n = x.n;
            this.all = Rel.all(n);
            // lock.cat: let R = R | LKR | LF | RL | RU ; let W = W | LKW, and later W | UL (all reads and writes are Kind R / W here)
            this.r = x.kind(Kind.R);
            this.w = x.kind(Kind.W);
            // lock.cat: let M = R | W
            this.m = r | w;
            // linux-kernel.bell: let Marked = (~M) | IW | Once | Release | Acquire | domain(rmw) | range(rmw) |
            //   LKR | LKW | UL | LF | RL | RU   (later trees add Srcu-lock | Srcu-unlock: no SRCU events here)
            this.marked = (all & ~m) | x.set(Tag.INIT) | x.set(Tag.ONCE) | x.set(Tag.RELEASE) | x.set(Tag.ACQUIRE)
                    | x.rmw.domain() | x.rmw.range() | x.set(Tag.LKR) | x.set(Tag.LKW) | x.set(Tag.UL) | x.set(Tag.LF)
                    | x.set(Tag.RL) | x.set(Tag.RU);
            // linux-kernel.bell: let Plain = M \ Marked
            this.plain = m & ~marked;
            // lock.cat: let Acquire = Acquire | LKR ; let Release = Release | UL
            this.acquire = x.set(Tag.ACQUIRE) | x.set(Tag.LKR);
            this.release = x.set(Tag.RELEASE) | x.set(Tag.UL);
            this.ul = x.set(Tag.UL);
            this.lkr = x.set(Tag.LKR);
            this.lkw = x.set(Tag.LKW);
            this.rmwSet = x.set(Tag.RMW);
            this.noreturn = x.set(Tag.NORETURN);
            this.po = x.po;
            this.rf = x.rf;
            this.co = x.co;
            this.fr = x.fr;
            this.rfe = rf.and(x.ext);
            this.coe = co.and(x.ext);
            this.fre = fr.and(x.ext);
            // lock.cat: let rmw = rmw | lk-rmw
            this.rmw = x.rmw.or(x.lkRmw);

            // linux-kernel.cat, Release Acquire: let acq-po = [Acquire] ; po ; [M]
            Rel acqPo = po.restrict(acquire, m);
            // linux-kernel.cat: let po-rel = [M] ; po ; [Release]
            Rel poRel = po.restrict(m, release);
            // linux-kernel.cat: let po-unlock-lock-po = po ; [UL] ; (po|rf) ; [LKR] ; po
            Rel poUnlockLockPo = po.to(ul).seq(po.or(rf).to(lkr), po);

            // linux-kernel.cat, Fences: let R4rmb = R \ Noreturn
            this.r4rmb = r & ~noreturn;
            // let rmb = [R4rmb] ; fencerel(Rmb) ; [R4rmb]
            Rel rmb = x.fencerel(x.set(Tag.RMB)).restrict(r4rmb, r4rmb);
            // let wmb = [W] ; fencerel(Wmb) ; [W]
            Rel wmb = x.fencerel(x.set(Tag.WMB)).restrict(w, w);
            // let mb = ([M] ; fencerel(Mb) ; [M]) |
            //   ([M] ; fencerel(Before-atomic) ; [RMW] ; po? ; [M]) |
            //   ([M] ; po? ; [RMW] ; fencerel(After-atomic) ; [M]) |
            //   ([M] ; po? ; [LKW] ; fencerel(After-spinlock) ; [M]) |
            //   ([M] ; po ; [UL] ; (co | po) ; [LKW] ; fencerel(After-unlock-lock) ; [M])
            Rel mb = x.fencerel(x.set(Tag.MB)).restrict(m, m)
                    .or(x.fencerel(x.set(Tag.BEFORE_ATOMIC)).from(m).to(rmwSet).seq(po.opt()).to(m))
                    .or(po.opt().from(m).to(rmwSet).seq(x.fencerel(x.set(Tag.AFTER_ATOMIC))).to(m))
                    .or(po.opt().from(m).to(lkw).seq(x.fencerel(x.set(Tag.AFTER_SPINLOCK))).to(m))
                    .or(po.from(m).to(ul).seq(co.or(po).to(lkw), x.fencerel(x.set(Tag.AFTER_UNLOCK_LOCK))).to(m));
            // let gp = po ; [Sync-rcu | Sync-srcu] ; po?   (no grace periods: empty)
            // let strong-fence = mb | gp
            this.strongFence = mb;
            // let nonrw-fence = strong-fence | po-rel | acq-po
            this.nonrwFence = strongFence.or(poRel).or(acqPo);
            // let fence = nonrw-fence | wmb | rmb
            this.fence = nonrwFence.or(wmb).or(rmb);

            // linux-kernel.bell, dependencies carried through plain accesses (a store of a value and
            // a load of it in the same thread pass the dependency on, as a register does):
            //   let carry-dep = (data ; rfi)*   (later trees: (data ; [~ Srcu-unlock] ; rfi)*, no SRCU here)
            //   let addr = carry-dep ; addr
            //   let ctrl = carry-dep ; ctrl
            //   let data = carry-dep ; data
            Rel carryDep = x.data.seq(rf.and(x.intl)).star();
            this.addr = carryDep.seq(x.addr);
            Rel ctrl = carryDep.seq(x.ctrl);
            Rel data = carryDep.seq(x.data);

            // linux-kernel.cat, Preserved Program Order: let dep = addr | data
            Rel dep = addr.or(data);
            // let rwdep = (dep | ctrl) ; [W]
            Rel rwdep = dep.or(ctrl).to(w);
            // let overwrite = co | fr
            Rel overwrite = co.or(fr);
            // let to-w = rwdep | (overwrite & int) | (addr ; [Plain] ; wmb)
            Rel toW = rwdep.or(overwrite.and(x.intl)).or(addr.to(plain).seq(wmb));
            // let to-r = addr | (dep ; [Marked] ; rfi)
            Rel toR = addr.or(dep.to(marked).seq(rf.and(x.intl)));
            // let ppo = to-r | to-w | fence | (po-unlock-lock-po & int)
            this.ppo = toR.or(toW).or(fence).or(poUnlockLockPo.and(x.intl));

            // linux-kernel.cat, Propagation: let A-cumul(r) = (rfe ; [Marked])? ; r
            // let cumul-fence = [Marked] ; (A-cumul(strong-fence | po-rel) | wmb | po-unlock-lock-po) ; [Marked]
            Rel sfRel = strongFence.or(poRel);
            Rel aCumul = rfe.to(marked).opt().seq(sfRel);
            this.cumulFence = aCumul.or(wmb).or(poUnlockLockPo).restrict(marked, marked);
            // let prop = [Marked] ; (overwrite & ext)? ; cumul-fence* ; [Marked] ; rfe? ; [Marked]
            this.prop = overwrite.and(x.ext).opt().from(marked).seq(cumulFence.star()).to(marked).seq(rfe.opt()).to(marked);

            // linux-kernel.cat, Happens Before: let hb = [Marked] ; (ppo | rfe | ((prop \ id) & int)) ; [Marked]
            Rel id = Rel.id(n, all);
            this.hb = ppo.or(rfe).or(prop.minus(id).and(x.intl)).restrict(marked, marked);

            // linux-kernel.cat, Propagation: let pb = prop ; strong-fence ; hb* ; [Marked]
            this.pb = prop.seq(strongFence, hb.star()).to(marked);
        }
    }

    @Override
    public String violated(Execution x) {
        Relations s = new Relations(x);
        // linux-kernel.cat, Sequential Consistency Per Variable: let com = rf | co | fr ; acyclic po-loc | com as coherence
        if (!x.poLoc.or(s.rf).or(s.co).or(s.fr).acyclic()) {
            return "coherence";
        }
        // linux-kernel.cat, Atomic Read-Modify-Write: empty rmw & (fre ; coe) as atomic
        if (!s.rmw.and(s.fre.seq(s.coe)).isEmpty()) {
            return "atomic";
        }
        // linux-kernel.cat: acyclic hb as happens-before
        if (!s.hb.acyclic()) {
            return "happens-before";
        }
        // linux-kernel.cat: acyclic pb as propagation
        if (!s.pb.acyclic()) {
            return "propagation";
        }
        // linux-kernel.cat: irreflexive rb as rcu -- rb = prop ; po ; rcu-fence ; ... is empty without grace periods
        if (s.plain != 0) {
            // linux-kernel.cat: empty (wr-incoh | rw-incoh | ww-incoh) as plain-coherence
            // (without Plain events pre-race is empty, and so is every term)
            Plain pl = new Plain(s);
            if (!pl.wrIncoh().or(pl.rwIncoh()).or(pl.wwIncoh()).isEmpty()) {
                return "plain-coherence";
            }
        }
        return null;
    }

    @Override
    public java.util.List<String> flags(Execution x) {
        Relations s = new Relations(x);
        if (s.plain == 0) {
            return java.util.List.of();
        }
        Plain pl = new Plain(s);
        java.util.List<String> out = new java.util.ArrayList<>();
        // linux-kernel.cat: flag ~empty (ww-race | wr-race | rw-race) as data-race
        if (!pl.wwRace().or(pl.wrRace()).or(pl.rwRace()).isEmpty()) {
            out.add("data-race");
        }
        // linux-kernel.cat: flag ~empty mixed-accesses as mixed-accesses
        if (!pl.mixedAccesses().isEmpty()) {
            out.add("mixed-accesses");
        }
        return out;
    }

    /** linux-kernel.cat's section "Plain accesses and data races", over one execution's relations. */
    static final class Plain {
        private final Relations s;
        private final Execution x;
        final Rel preRace, wwVis, wrVis, rwXbstar;

        Plain(Relations s) {
            this.s = s;
            this.x = s.x;
            int n = s.n;
            // let xbstar = (hb | pb | rb)*   (rb is empty without grace periods)
            Rel xbstar = s.hb.or(s.pb).star();
            // let full-fence = strong-fence | (po ; rcu-fence ; po?)   (rcu-fence is empty; later trees
            // write vis with strong-fence, into which they fold rcu-fence: the same without grace periods)
            Rel fullFence = s.strongFence;
            // let vis = cumul-fence* ; rfe? ; [Marked] ;
            //   ((full-fence ; [Marked] ; xbstar) | (xbstar & int))
            Rel vis = s.cumulFence.star().seq(s.rfe.opt()).to(s.marked)
                    .seq(fullFence.to(s.marked).seq(xbstar).or(xbstar.and(x.intl)));
            // let w-pre-bounded = [Marked] ; (addr | fence)?
            Rel wPreBounded = s.addr.or(s.fence).opt().from(s.marked);
            // let r-pre-bounded = [Marked] ; (addr | nonrw-fence | ([R4rmb] ; fencerel(Rmb) ; [~Noreturn]))?
            Rel rmbRel = x.fencerel(x.set(Tag.RMB));
            Rel rPreBounded = s.addr.or(s.nonrwFence).or(rmbRel.restrict(s.r4rmb, s.all & ~s.noreturn)).opt().from(s.marked);
            // let w-post-bounded = fence? ; [Marked]
            Rel wPostBounded = s.fence.opt().to(s.marked);
            // let r-post-bounded = (nonrw-fence | ([~Noreturn] ; fencerel(Rmb) ; [R4rmb]))? ; [Marked]
            Rel rPostBounded = s.nonrwFence.or(rmbRel.restrict(s.all & ~s.noreturn, s.r4rmb)).opt().to(s.marked);
            // let ww-vis = w-post-bounded ; vis ; w-pre-bounded
            this.wwVis = wPostBounded.seq(vis, wPreBounded);
            // let wr-vis = w-post-bounded ; vis ; r-pre-bounded
            this.wrVis = wPostBounded.seq(vis, rPreBounded);
            // let rw-xbstar = r-post-bounded ; xbstar ; w-pre-bounded
            this.rwXbstar = rPostBounded.seq(xbstar, wPreBounded);
            // let pre-race = ext & ((Plain * M) | ((M \ IW) * Plain))
            long iw = x.set(Tag.INIT);
            this.preRace = Rel.product(n, s.plain, s.m).or(Rel.product(n, s.m & ~iw, s.plain)).and(x.ext);
        }

        /** let wr-incoh = pre-race & rf & rw-xbstar^-1 */
        Rel wrIncoh() {
            return preRace.and(s.rf).and(rwXbstar.inverse());
        }

        /** let rw-incoh = pre-race & fr & wr-vis^-1 */
        Rel rwIncoh() {
            return preRace.and(s.fr).and(wrVis.inverse());
        }

        /** let ww-incoh = pre-race & co & ww-vis^-1 */
        Rel wwIncoh() {
            return preRace.and(s.co).and(wwVis.inverse());
        }

        /**
         * let ww-nonrace = ww-vis & ((Marked * W) | rw-xbstar) & ((W * Marked) | wr-vis)
         * let ww-race = (pre-race & co) \ ww-nonrace
         */
        Rel wwRace() {
            int n = s.n;
            Rel wwNonrace = wwVis.and(Rel.product(n, s.marked, s.w).or(rwXbstar)).and(Rel.product(n, s.w, s.marked).or(wrVis));
            return preRace.and(s.co).minus(wwNonrace);
        }

        /** let wr-race = (pre-race & (co? ; rf)) \ wr-vis */
        Rel wrRace() {
            return preRace.and(s.co.opt().seq(s.rf)).minus(wrVis);
        }

        /** let rw-race = (pre-race & fr) \ rw-xbstar */
        Rel rwRace() {
            return preRace.and(s.fr).minus(rwXbstar);
        }

        /**
         * let barrier = fencerel(Barrier | Rmb | Wmb | Mb | Sync-rcu | Sync-srcu |
         *   Before-atomic | After-atomic | Acquire | Release) | (po ; [Release]) | ([Acquire] ; po)
         * let mixed-accesses = ([Plain &amp; W] ; (po-loc \ barrier) ; [Marked]) |
         *   ([Marked] ; (po-loc \ barrier) ; [Plain &amp; W])
         */
        Rel mixedAccesses() {
            long fences = x.set(Tag.BARRIER) | x.set(Tag.RMB) | x.set(Tag.WMB) | x.set(Tag.MB) | x.set(Tag.BEFORE_ATOMIC)
                    | x.set(Tag.AFTER_ATOMIC) | s.acquire | s.release;
            Rel barrier = x.fencerel(fences).or(s.po.to(s.release)).or(s.po.from(s.acquire));
            Rel poLocNb = x.poLoc.minus(barrier);
            long plainW = s.plain & s.w;
            return poLocNb.restrict(plainW, s.marked).or(poLocNb.restrict(s.marked, plainW));
        }
    }
}
