package klm.lkmm;

import klm.lkmm.Execution.Kind;

/**
 * The Linux-kernel memory model (tools/memory-model: linux-kernel.cat, linux-kernel.bell,
 * lock.cat, as in the kernel tree of torvalds/linux at eb5cc113dd2f) over one candidate execution: each relation below is the model's, with its definition
 * quoted from the file that gives it. Supported: marked accesses (every access is marked; a plain
 * access is rejected before an execution is built), fences, RMWs, and spinlocks as lock.cat has
 * them. Not modelled: RCU grace periods (synchronize_rcu: with none, linux-kernel.cat's rcu-fence
 * is empty and its {@code rcu} axiom holds trivially, so rcu_read_lock/unlock are only compiler
 * barriers), SRCU, and the plain-access rules ({@code plain-coherence}, the {@code data-race} flag):
 * a program using them is refused before it gets here.
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
        final long all, r, w, m, marked, acquire, release, ul, lkr, lkw, rmwSet, noreturn;
        final Rel po, rf, co, fr, rfe, coe, fre, rmw, ppo, hb, pb, strongFence, prop;

        Relations(Execution x) {
            this.x = x;
            this.n = x.n;
            this.all = Rel.all(n);
            // lock.cat: let R = R | LKR | LF | RL | RU ; let W = W | LKW, and later W | UL (all reads and writes are Kind R / W here)
            this.r = x.kind(Kind.R);
            this.w = x.kind(Kind.W);
            // lock.cat: let M = R | W
            this.m = r | w;
            // Marked: every access (plain accesses are not accepted)
            this.marked = m;
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
            long r4rmb = r & ~noreturn;
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
            Rel nonrwFence = strongFence.or(poRel).or(acqPo);
            // let fence = nonrw-fence | wmb | rmb
            Rel fence = nonrwFence.or(wmb).or(rmb);

            // linux-kernel.cat, Preserved Program Order: let dep = addr | data
            Rel dep = x.addr.or(x.data);
            // let rwdep = (dep | ctrl) ; [W]
            Rel rwdep = dep.or(x.ctrl).to(w);
            // let overwrite = co | fr
            Rel overwrite = co.or(fr);
            // let to-w = rwdep | (overwrite & int) | (addr ; [Plain] ; wmb)   (no Plain events: the last term is empty)
            Rel toW = rwdep.or(overwrite.and(x.intl));
            // let to-r = addr | (dep ; [Marked] ; rfi)
            Rel toR = x.addr.or(dep.to(marked).seq(rf.and(x.intl)));
            // let ppo = to-r | to-w | fence | (po-unlock-lock-po & int)
            this.ppo = toR.or(toW).or(fence).or(poUnlockLockPo.and(x.intl));

            // linux-kernel.cat, Propagation: let A-cumul(r) = (rfe ; [Marked])? ; r
            // let cumul-fence = [Marked] ; (A-cumul(strong-fence | po-rel) | wmb | po-unlock-lock-po) ; [Marked]
            Rel sfRel = strongFence.or(poRel);
            Rel aCumul = rfe.to(marked).opt().seq(sfRel);
            Rel cumulFence = aCumul.or(wmb).or(poUnlockLockPo).restrict(marked, marked);
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
        return null;
    }
}
