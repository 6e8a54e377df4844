package klm.lkmm;

import klm.lkmm.Execution.Kind;

/**
 * x86-TSO, axiomatically (the shape of herd's x86tso.cat), with the kernel's primitives mapped as
 * x86 compiles them: READ_ONCE/WRITE_ONCE, acquire loads and release stores, smp_rmb/smp_wmb and
 * spin_unlock (a release store) are plain MOVs; smp_mb() is MFENCE; every atomic RMW (returning or
 * not, succeeding or failing), a spinlock's acquisition and a failed trylock are LOCK-prefixed
 * instructions ({@link Tag#LOCKED}), fully ordered; smp_mb__before_atomic/__after_atomic,
 * __after_spinlock and __after_unlock_lock compile to nothing, because the atomic or lock beside
 * them is already LOCK-prefixed.
 */
public final class Tso implements Model {
    @Override
    public String name() {
        return "tso";
    }

    @Override
    public String violated(Execution x) {
        // uniproc: acyclic po-loc | rf | fr | co
        if (!x.poLoc.or(x.rf).or(x.co).or(x.fr).acyclic()) {
            return "uniproc";
        }
        // atomic: empty rmw & (fre ; coe)
        if (!x.atomic()) {
            return "atomic";
        }
        long w = x.kind(Kind.W);
        long r = x.kind(Kind.R);
        long locked = x.set(Tag.LOCKED);
        // ppo: program order but for a store followed by a load (the store buffer)
        Rel ppo = x.po.minus(Rel.product(x.n, w, r));
        // mfence: po ; [MFENCE] ; po
        Rel mfence = x.fencerel(x.set(Tag.MB));
        // implied: a locked instruction orders everything before and after it
        Rel implied = x.po.to(locked).or(x.po.from(locked));
        // ghb = ppo | mfence | implied | rfe | fr | co: rfi is left out (a load may read its own buffered store)
        Rel ghb = ppo.or(mfence).or(implied).or(x.rf.and(x.ext)).or(x.fr).or(x.co);
        if (!ghb.acyclic()) {
            return "tso";
        }
        return null;
    }
}
