package klm.protocols.mmunotifier;

import java.util.EnumSet;
import java.util.function.Consumer;
import java.util.function.ToIntFunction;

import klm.kernel.KernelBug;
import klm.kernel.Ptr;
import klm.kernel.SpinLock;
import klm.kernel.WaitQueueHead;
import klm.kernel.Word;

/**
 * {@code struct mmu_notifier_subscriptions} (mm/mmu_notifier.c; the page: klm/pages/mmu-notifier.md):
 * the interval-tree notifiers of 99cb252f (lock, {@code invalidate_seq}, {@code
 * active_invalidate_ranges}, the tree, the deferred list, the wait queue) and the classic hlist of
 * {@code struct mmu_notifier}. Each bug of the file's history is a {@link Bug} switched on; without
 * any, this is the code after all of the fixes.
 */
final class MmuNotifierSubscriptions {
    static final int EAGAIN = 11;

    /** {@code struct mmu_notifier_range}: [start, last] and whether the caller may block. */
    record Range(long start, long last, boolean blockable) {}

    /** A page of memory; freeing poisons it. */
    static final class Page {
        final String name;
        final Word freed = new Word();

        Page(String name) {
            this.name = name;
        }

        @Override
        public String toString() {
            return freed.readOnce() != 0 ? name + " (freed)" : name;
        }
    }

    /** {@code struct mmu_interval_notifier_ops}: invalidate() returns false when it would block. */
    interface IntervalOps {
        boolean invalidate(MmuIntervalNotifier sub, Range range, int curSeq);
    }

    /** {@code struct mmu_interval_notifier}: its own invalidate_seq, a range, ops; kfree() poisons it. */
    static final class MmuIntervalNotifier extends IntervalTree.Node {
        final String name;
        final Word invalidateSeq = new Word();
        IntervalOps ops;
        /** The embedded {@code deferred_item}: next on the deferred list, and hlist_unhashed(). */
        MmuIntervalNotifier deferredNext;
        boolean deferredHashed;
        private final Word freed = new Word();

        MmuIntervalNotifier(String name, long start, long last) {
            super(start, last);
            this.name = name;
        }

        @Override
        void touch() {
            if (freed.readOnce() != 0) {
                throw new KernelBug("USE_AFTER_FREE", "KASAN: use-after-free on " + name
                        + ", freed by its owner after mmu_interval_notifier_remove() returned");
            }
        }

        /** kfree(): from here on, any touch is a use-after-free. */
        void kfree() {
            touch();
            freed.writeOnce(1);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** {@code struct mmu_notifier_ops}, the classic notifier's callbacks; each may be absent (null). */
    record MmuNotifierOps(String driver, Consumer<MmuNotifier> release, ToIntFunction<Range> invalidateRangeStart,
            Consumer<Range> invalidateRangeEnd, Consumer<Page> invalidatePage) {}

    /**
     * {@code struct mmu_notifier}: {@code ops} is set by the driver with a plain C store before
     * registering and read with a plain load by every callback (a variable the explorer sees, so its
     * release/acquire model can show the ops store arriving after the list store).
     */
    static final class MmuNotifier {
        final Ptr<MmuNotifierOps> ops = new Ptr<>();
        final Ptr<MmuNotifier> next = new Ptr<>();
        boolean hashed;
    }

    /** An EnumSet: a Set.copyOf() would iterate and hash nondeterministically, which Lincheck's replay rejects. */
    private final EnumSet<Bug> bugs;

    final SpinLock lock = new SpinLock("mmu_notifier_subscriptions.lock");
    /** Starts at 2; odd while an invalidation of a range with subscribers is in progress. Written under lock. */
    final Word invalidateSeq = new Word(2);
    private int activeInvalidateRanges;
    final IntervalTree<MmuIntervalNotifier> itree = new IntervalTree<>();
    private MmuIntervalNotifier deferredList;
    /** Set by the first interval insert: only then do invalidations go through the tree. */
    private boolean hasItree;
    final WaitQueueHead wq = new WaitQueueHead("mmu_notifier_subscriptions.wq");
    /** The classic notifiers' hlist head ({@code subscriptions->list.first}). */
    final Ptr<MmuNotifier> list = new Ptr<>();

    MmuNotifierSubscriptions(EnumSet<Bug> bugs) {
        this.bugs = EnumSet.copyOf(bugs);
    }

    boolean has(Bug b) {
        return bugs.contains(b);
    }

    // ------------------------------------------------------------------ interval notifiers (99cb252f)

    /** mn_itree_is_invalidating(): an odd sequence number. */
    private boolean mnItreeIsInvalidating() {
        return (invalidateSeq.plain() & 1) != 0;
    }

    /** mn_itree_inv_start_range(): the first subscription in range, and the sequence number it is invalidated under. */
    private MmuIntervalNotifier mnItreeInvStartRange(Range range, int[] seq) {
        lock.spinLock();
        activeInvalidateRanges++;
        MmuIntervalNotifier node = itree.iterFirst(range.start(), range.last());
        if (node != null) {
            invalidateSeq.setPlain(invalidateSeq.plain() | 1);
        }
        seq[0] = invalidateSeq.plain();
        lock.spinUnlock();
        return node;
    }

    /** mn_itree_inv_next(): walked without the lock; active_invalidate_ranges holds every tree change back. */
    private MmuIntervalNotifier mnItreeInvNext(MmuIntervalNotifier sub, Range range) {
        return itree.iterNext(sub, range.start(), range.last());
    }

    /** mn_itree_inv_end(): the last invalidation to end makes the sequence even and applies the deferred list. */
    void mnItreeInvEnd() {
        lock.spinLock();
        if (--activeInvalidateRanges != 0 || !mnItreeIsInvalidating()) {
            lock.spinUnlock();
            return;
        }
        // Make invalidate_seq even
        if (has(Bug.READ_BEGIN_RELAXED_WAIT)) {
            invalidateSeq.setPlain(invalidateSeq.plain() + 1);
        } else {
            // the proposed fix: pairs with the smp_load_acquire() in mmu_interval_read_begin()
            invalidateSeq.storeRelease(invalidateSeq.plain() + 1);
        }
        for (MmuIntervalNotifier sub = deferredList, next; sub != null; sub = next) {
            next = sub.deferredNext; // hlist_for_each_entry_safe: reads the entry's own memory
            if (sub.rbEmptyNode()) { // touches the entry: a freed one is reported here
                itree.insert(sub);
            } else {
                itree.remove(sub);
            }
            hlistDel(sub);
        }
        lock.spinUnlock();
        wq.wakeUpAll();
    }

    /** mn_itree_invalidate(): call invalidate() on every subscription in range; -EAGAIN if one would block. */
    int mnItreeInvalidate(Range range) {
        int[] curSeq = new int[1];
        for (MmuIntervalNotifier sub = mnItreeInvStartRange(range, curSeq); sub != null; sub = mnItreeInvNext(sub, range)) {
            sub.touch();
            if (!sub.ops.invalidate(sub, range, curSeq[0])) {
                if (range.blockable()) {
                    throw new KernelBug("WARN", "invalidate() failed on a blockable range");
                }
                mnItreeInvEnd();
                return -EAGAIN;
            }
        }
        return 0;
    }

    /** mmu_interval_read_begin(): the sequence to check later; waits out an invalidation of this subscription. */
    int mmuIntervalReadBegin(MmuIntervalNotifier sub) {
        lock.spinLock();
        int seq = sub.invalidateSeq.readOnce();
        boolean isInvalidating = seq == invalidateSeq.plain();
        lock.spinUnlock();
        if (isInvalidating) {
            if (has(Bug.READ_BEGIN_RELAXED_WAIT)) {
                wq.waitEvent(() -> invalidateSeq.readOnce() != seq);
            } else {
                // the proposed fix: the check that ends the wait is an acquire, so the caller's
                // page-table walk is ordered after it even when wait_event() does not sleep
                wq.waitEvent(() -> invalidateSeq.loadAcquire() != seq);
            }
        }
        return seq;
    }

    /** mmu_interval_set_seq(): called by ops->invalidate() under the driver's lock. */
    static void mmuIntervalSetSeq(MmuIntervalNotifier sub, int curSeq) {
        sub.invalidateSeq.writeOnce(curSeq);
    }

    /** mmu_interval_read_retry(): the final check, under the same driver lock as set_seq. */
    static boolean mmuIntervalReadRetry(MmuIntervalNotifier sub, int seq) {
        return sub.invalidateSeq.plain() != seq;
    }

    /** mmu_interval_check_retry(): a lockless hint only ("can be used to exit early"), never the final check. */
    static boolean mmuIntervalCheckRetry(MmuIntervalNotifier sub, int seq) {
        return sub.invalidateSeq.readOnce() != seq;
    }

    /** __mmu_interval_notifier_insert(). */
    void mmuIntervalNotifierInsert(MmuIntervalNotifier sub, IntervalOps ops) {
        sub.ops = ops;
        lock.spinLock();
        hasItree = true;
        if (activeInvalidateRanges != 0) {
            if (mnItreeIsInvalidating()) {
                hlistAddHead(sub);
            } else {
                invalidateSeq.setPlain(invalidateSeq.plain() | 1);
                itree.insert(sub);
            }
            sub.invalidateSeq.writeOnce(invalidateSeq.plain());
        } else {
            sub.invalidateSeq.writeOnce(invalidateSeq.plain() - 1);
            itree.insert(sub);
        }
        lock.spinUnlock();
    }

    /** mmu_interval_notifier_remove(): once it returns, the caller may free {@code sub}. */
    void mmuIntervalNotifierRemove(MmuIntervalNotifier sub) {
        int seq = 0;
        lock.spinLock();
        if (mnItreeIsInvalidating()) {
            // remove is being called after insert put this on the deferred list, but before the deferred list was processed
            if (sub.rbEmptyNode()) {
                hlistDel(sub);
            } else {
                hlistAddHead(sub);
                seq = invalidateSeq.plain();
            }
        } else {
            itree.remove(sub);
        }
        lock.spinUnlock();
        if (seq != 0) {
            final int s = seq;
            if (has(Bug.REMOVE_UNLOCKED_SEQ_READ)) {
                // sees the ++ of an mn_itree_inv_end() still in progress
                wq.waitEvent(() -> invalidateSeq.readOnce() != s);
            } else {
                wq.waitEvent(() -> mmuIntervalSeqReleased(s));
            }
        }
    }

    /** mmu_interval_seq_released() (319561669a59): the sequence read under the lock. */
    private boolean mmuIntervalSeqReleased(int seq) {
        lock.spinLock();
        boolean ret = invalidateSeq.plain() != seq;
        lock.spinUnlock();
        return ret;
    }

    private void hlistAddHead(MmuIntervalNotifier sub) {
        sub.touch();
        sub.deferredNext = deferredList;
        sub.deferredHashed = true;
        deferredList = sub;
    }

    private void hlistDel(MmuIntervalNotifier sub) {
        sub.touch();
        if (deferredList == sub) {
            deferredList = sub.deferredNext;
        } else {
            for (MmuIntervalNotifier p = deferredList; p != null; p = p.deferredNext) {
                p.touch();
                if (p.deferredNext == sub) {
                    p.deferredNext = sub.deferredNext;
                    break;
                }
            }
        }
        sub.deferredNext = null;
        sub.deferredHashed = false;
    }

    /** Post-run check: the tree and the deferred list hold no freed subscription. */
    void checkNoFreedSubscriptionReachable() {
        lock.spinLock();
        try {
            itree.overlapping(Long.MIN_VALUE, Long.MAX_VALUE);
            for (MmuIntervalNotifier p = deferredList; p != null; p = p.deferredNext) {
                p.touch();
            }
        } finally {
            lock.spinUnlock();
        }
    }

    // ------------------------------------------------------------------ classic notifiers (the hlist)

    /** mmu_notifier_register(): the caller set mn->ops before; the link publishes it. */
    void mmuNotifierRegister(MmuNotifier mn) {
        lock.spinLock();
        mn.next.setPlain(list.plain());
        mn.hashed = true;
        if (has(Bug.PLAIN_PUBLISH)) {
            // hlist_add_head(): WRITE_ONCE(h->first, n), no ordering with the ops store
            list.writeOnce(mn);
        } else {
            // hlist_add_head_rcu(): rcu_assign_pointer(), a store-release (543bdb2d)
            list.storeRelease(mn);
        }
        lock.spinUnlock();
    }

    /** The read side of every classic callback: rcu_dereference() of each entry, then mn->ops. */
    private static MmuNotifierOps opsOf(MmuNotifier mn) {
        MmuNotifierOps ops = mn.ops.plain();
        if (ops == null) {
            throw new KernelBug("UNINITIALISED_OPS", "BUG: NULL pointer dereference: mn->ops of a notifier"
                    + " reached through the list before its initialisation was visible");
        }
        return ops;
    }

    /** mmu_notifier_invalidate_page() / invalidate_range(): each classic notifier drops the secondary mapping. */
    void mmuNotifierInvalidatePage(Page page) {
        for (MmuNotifier mn = list.readOnce(); mn != null; mn = mn.next.readOnce()) {
            MmuNotifierOps ops = opsOf(mn);
            if (ops.invalidatePage() != null) {
                ops.invalidatePage().accept(page);
            }
        }
    }

    /** __mmu_notifier_release(): the mm is exiting; every notifier's ->release, and every notifier unlinked. */
    void mmuNotifierRelease() {
        if (!has(Bug.RELEASE_AFTER_UNLINK)) {
            for (MmuNotifier mn = list.readOnce(); mn != null; mn = mn.next.readOnce()) {
                callRelease(mn); // 3ad3d901: ->release first, while the notifier can still be found
            }
        }
        lock.spinLock();
        for (MmuNotifier mn = list.plain(); mn != null; mn = list.plain()) {
            hlistDelInitRcu(mn);
            if (has(Bug.RELEASE_AFTER_UNLINK)) {
                lock.spinUnlock();
                callRelease(mn); // too late: an unmap in between found no notifier and freed the page
                lock.spinLock();
            }
        }
        lock.spinUnlock();
    }

    private static void callRelease(MmuNotifier mn) {
        MmuNotifierOps ops = opsOf(mn);
        if (ops.release() != null) {
            ops.release().accept(mn);
        }
    }

    private void hlistDelInitRcu(MmuNotifier mn) {
        if (list.plain() == mn) {
            list.writeOnce(mn.next.plain());
        } else {
            for (MmuNotifier p = list.plain(); p != null; p = p.next.plain()) {
                if (p.next.plain() == mn) {
                    p.next.writeOnce(mn.next.plain());
                    break;
                }
            }
        }
        mn.hashed = false;
    }

    /**
     * __mmu_notifier_invalidate_range_start(): the interval notifiers, then every classic notifier's
     * _start() (all of them, even after one failed). Since c2655835 a failure calls _end() on every
     * notifier that has one before returning it, as the caller will not.
     */
    int mmuNotifierInvalidateRangeStart(Range range) {
        int ret = 0;
        if (hasItree) {
            ret = mnItreeInvalidate(range);
            if (ret != 0) {
                return ret;
            }
        }
        for (MmuNotifier mn = list.readOnce(); mn != null; mn = mn.next.readOnce()) {
            MmuNotifierOps ops = opsOf(mn);
            if (ops.invalidateRangeStart() != null) {
                int r = ops.invalidateRangeStart().applyAsInt(range);
                if (r != 0) {
                    ret = r;
                }
            }
        }
        if (ret != 0 && !has(Bug.UNPAIRED_START_END)) {
            // Must be non-blocking to get here. If there are multiple notifiers and one or more
            // failed start, any that succeeded start are expecting their end to be called. Do so now.
            for (MmuNotifier mn = list.readOnce(); mn != null; mn = mn.next.readOnce()) {
                MmuNotifierOps ops = opsOf(mn);
                if (ops.invalidateRangeEnd() != null) {
                    ops.invalidateRangeEnd().accept(range);
                }
            }
        }
        return ret;
    }

    /** __mmu_notifier_invalidate_range_end(). */
    void mmuNotifierInvalidateRangeEnd(Range range) {
        if (hasItree) {
            mnItreeInvEnd();
        }
        for (MmuNotifier mn = list.readOnce(); mn != null; mn = mn.next.readOnce()) {
            MmuNotifierOps ops = opsOf(mn);
            if (ops.invalidateRangeEnd() != null) {
                ops.invalidateRangeEnd().accept(range);
            }
        }
    }
}
