package klm.protocols.mmunotifier;

import java.util.EnumSet;

import klm.kernel.DeadlockError;
import klm.kernel.Kernel;
import klm.kernel.Mutex;
import klm.kernel.Ptr;
import klm.kernel.SpinLock;
import klm.kernel.WaitQueueHead;
import klm.kernel.Word;
import klm.protocols.mmunotifier.MmuNotifierSubscriptions.IntervalOps;
import klm.protocols.mmunotifier.MmuNotifierSubscriptions.MmuIntervalNotifier;
import klm.protocols.mmunotifier.MmuNotifierSubscriptions.MmuNotifierOps;
import klm.protocols.mmunotifier.MmuNotifierSubscriptions.Page;
import klm.protocols.mmunotifier.MmuNotifierSubscriptions.Range;

/** The users of the notifiers: a device that mirrors the CPU page table, and KVM's secondary MMU. */
final class Drivers {
    private Drivers() {}

    /**
     * A device page-table mirror (the pattern of Documentation/mm/hmm.rst and the users of
     * mmu_interval_notifier: amdgpu, nouveau, i915 userptr, umem_odp): the collision-retry loop in
     * {@link #fault}, and {@link #invalidate} as the subscription's ops.
     */
    static final class MirrorDriver implements IntervalOps {
        /** The driver's bugs ({@link Bug#DRIVER_NO_RETRY}, {@link Bug#DRIVER_RETRY_WITHOUT_LOCK}); an EnumSet (see MmuNotifierSubscriptions). */
        private final EnumSet<Bug> bugs;
        final Mutex lock = new Mutex("driver->lock");
        /** The device's page-table entry for the subscription's one page. */
        final Ptr<Page> devicePte = new Ptr<>();

        MirrorDriver(EnumSet<Bug> bugs) {
            this.bugs = EnumSet.copyOf(bugs);
        }

        private boolean has(Bug b) {
            return bugs.contains(b);
        }

        /** ops->invalidate(): the driver lock, set_seq, zap the device ptes in range. */
        @Override
        public boolean invalidate(MmuIntervalNotifier sub, Range range, int curSeq) {
            if (range.blockable()) {
                lock.mutexLock();
            } else if (!lock.mutexTrylock()) {
                return false;
            }
            MmuNotifierSubscriptions.mmuIntervalSetSeq(sub, curSeq);
            devicePte.setPlain(null);
            lock.mutexUnlock();
            return true;
        }

        /** The device page fault: mirror the CPU pte into the device with the collision-retry loop. */
        void fault(MmuNotifierSubscriptions subs, MmuIntervalNotifier sub, Ptr<Page> cpuPte) {
            while (true) {
                int seq = subs.mmuIntervalReadBegin(sub);
                Page page = cpuPte.readOnce(); // hmm_range_fault(): the pfn the CPU maps there now
                if (has(Bug.DRIVER_RETRY_WITHOUT_LOCK)) {
                    // the lockless hint as the final check
                    if (MmuNotifierSubscriptions.mmuIntervalCheckRetry(sub, seq)) {
                        continue;
                    }
                }
                Kernel.udelay(200); // build the device page-table update
                lock.mutexLock();
                if (!has(Bug.DRIVER_NO_RETRY) && !has(Bug.DRIVER_RETRY_WITHOUT_LOCK)) {
                    if (MmuNotifierSubscriptions.mmuIntervalReadRetry(sub, seq)) { // final check, under the lock
                        lock.mutexUnlock();
                        continue;
                    }
                }
                devicePte.setPlain(page);
                lock.mutexUnlock();
                return;
            }
        }
    }

    /**
     * KVM as a classic notifier: a secondary MMU (one shadow pte), the {@code mmu_notifier_count}
     * that _start() raises and _end() lowers, and a memslot update that waits for it to drop to zero
     * (kvm_swap_active_memslots() waiting on mn_active_invalidate_count, the use c2655835 anticipates).
     */
    static final class Kvm {
        final SpinLock mmuLock = new SpinLock("kvm->mmu_lock");
        final Ptr<Page> spte = new Ptr<>();
        final Word mmuNotifierCount = new Word();
        final WaitQueueHead memslotsUpdate = new WaitQueueHead("kvm->mn_memslots_update_rcuwait");
        final MmuNotifierOps ops = new MmuNotifierOps("kvm", this::release, this::invalidateRangeStart,
                this::invalidateRangeEnd, this::invalidatePage);

        /** kvm_mmu_notifier_release(): kvm_arch_flush_shadow_all(), every shadow pte dropped. */
        private void release(MmuNotifierSubscriptions.MmuNotifier mn) {
            mmuLock.spinLock();
            spte.writeOnce(null);
            mmuLock.spinUnlock();
        }

        /** kvm_mmu_notifier_invalidate_page(): drop the shadow pte of this page. */
        private void invalidatePage(Page page) {
            mmuLock.spinLock();
            if (spte.plain() == page) {
                spte.writeOnce(null);
            }
            mmuLock.spinUnlock();
        }

        /** kvm_mmu_notifier_invalidate_range_start(): count++, zap the range. */
        private int invalidateRangeStart(Range range) {
            mmuLock.spinLock();
            mmuNotifierCount.writeOnce(mmuNotifierCount.plain() + 1);
            spte.writeOnce(null);
            mmuLock.spinUnlock();
            return 0;
        }

        /** kvm_mmu_notifier_invalidate_range_end(): count--, wake the memslot updater at zero. */
        private void invalidateRangeEnd(Range range) {
            mmuLock.spinLock();
            mmuNotifierCount.writeOnce(mmuNotifierCount.plain() - 1);
            boolean wake = mmuNotifierCount.plain() == 0;
            mmuLock.spinUnlock();
            if (wake) {
                memslotsUpdate.wakeUpAll();
            }
        }

        /**
         * kvm_swap_active_memslots(): waits until no invalidation is in progress. {@code othersDone} is
         * the scenario's watchdog: once every other CPU has finished, nothing can lower the count any
         * more, so a waiter still facing a raised count would wait forever; it reports that as
         * COUNT_LEAK instead of hanging.
         */
        void swapActiveMemslots(Word othersDone) {
            while (true) {
                boolean othersFinished = othersDone.readOnce() != 0; // read first: then nobody changes the count after
                mmuLock.spinLock();
                int count = mmuNotifierCount.plain();
                if (count == 0) {
                    mmuLock.spinUnlock(); // no invalidation in progress: the new memslots go live
                    return;
                }
                mmuLock.spinUnlock();
                if (othersFinished) {
                    throw new DeadlockError("COUNT_LEAK", "kvm->mmu_notifier_count stays at " + count
                            + " with no invalidation in progress: an invalidate_range_start() was never paired with"
                            + " its _end(), and the memslot update waiting for the count to drop would wait forever");
                }
                memslotsUpdate.waitEvent(() -> mmuNotifierCount.readOnce() == 0 || othersDone.readOnce() != 0);
            }
        }
    }

    /** i915/nouveau-style ops: _start() fails in non-blocking mode (OOM reaper), and there is no _end(). */
    static MmuNotifierOps failsNonBlockingStart() {
        return new MmuNotifierOps("i915", null, range -> range.blockable() ? 0 : -MmuNotifierSubscriptions.EAGAIN,
                null, null);
    }
}
