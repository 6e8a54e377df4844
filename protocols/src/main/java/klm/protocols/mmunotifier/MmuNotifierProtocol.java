package klm.protocols.mmunotifier;

import java.util.EnumSet;
import java.util.List;

import klm.kernel.Kernel;
import klm.kernel.Ptr;
import klm.kernel.Word;
import klm.protocols.mmunotifier.Drivers.Kvm;
import klm.protocols.mmunotifier.Drivers.MirrorDriver;
import klm.protocols.mmunotifier.MmuNotifierSubscriptions.MmuIntervalNotifier;
import klm.protocols.mmunotifier.MmuNotifierSubscriptions.MmuNotifier;
import klm.protocols.mmunotifier.MmuNotifierSubscriptions.Page;
import klm.protocols.mmunotifier.MmuNotifierSubscriptions.Range;
import klm.scenario.InvariantViolation;
import klm.scenario.Outcome;
import klm.scenario.ScenarioRun;
import klm.verdict.Expectation;
import klm.verdict.Provenance;
import klm.verdict.Variant;

/**
 * Seed 004: mm/mmu_notifier.c, the interval notifiers' collision-retry scheme (99cb252f) and four
 * races of the file's history (the page: protocols/src/main/resources/klm/pages/mmu-notifier.md). Five two-CPU workloads on one mm:
 * <ul>
 *   <li>{@link DriverRun}: a device mirrors page 0 while the CPU migrates it;</li>
 *   <li>{@link RemoveRun}: an invalidation of a subscription's range while its owner removes and frees it;</li>
 *   <li>{@link PublishRun}: a driver registers a classic notifier while an invalidation walks the list;</li>
 *   <li>{@link ReleaseRun}: the mm exits while rmap unmaps a page that KVM also maps;</li>
 *   <li>{@link UnpairedRun}: the OOM reaper invalidates non-blocking while KVM updates its memslots.</li>
 * </ul>
 */
public final class MmuNotifierProtocol {
    private MmuNotifierProtocol() {}

    public static final String NAME = "mmu-notifier";

    /** Page 0 of the address space, the only one the scenarios map. */
    static final Range PAGE0 = new Range(0, 0, true);

    abstract static class MmRun extends ScenarioRun {
        final MmuNotifierSubscriptions subs;
        final Page page0 = new Page("page0");
        /** The CPU page table's entry for address 0. */
        final Ptr<Page> cpuPte = new Ptr<>(page0);

        MmRun(EnumSet<Bug> bugs) {
            super(2);
            subs = new MmuNotifierSubscriptions(bugs);
        }

        @Override
        protected Outcome check() {
            return Outcome.OK;
        }
    }

    /** The driver's collision-retry loop against a migration of the page it mirrors. */
    public static class DriverRun extends MmRun {
        final MirrorDriver driver;
        final MmuIntervalNotifier sub = new MmuIntervalNotifier("driver's mmu_interval_notifier", 0, 0);
        final Page page1 = new Page("page1");

        DriverRun(EnumSet<Bug> bugs) {
            super(bugs);
            driver = new MirrorDriver(bugs);
            subs.mmuIntervalNotifierInsert(sub, driver);
        }

        @Override
        protected void task(int cpu) {
            if (cpu == 0) {
                driver.fault(subs, sub, cpuPte);
            } else {
                cpu1();
            }
        }

        /** CPU1's workload against the fault: a migration of the page. */
        protected void cpu1() {
            migratePage();
        }

        /** migrate_pages() of page 0: invalidate, move the CPU pte to the new page, end, free the old page. */
        private void migratePage() {
            subs.mmuNotifierInvalidateRangeStart(PAGE0);
            Page old = cpuPte.readOnce();
            cpuPte.writeOnce(page1);
            subs.mmuNotifierInvalidateRangeEnd(PAGE0);
            old.freed.writeOnce(1);
        }

        @Override
        protected Outcome check() {
            Page dev = driver.devicePte.plain();
            Page cpu = cpuPte.plain();
            if (dev != null && dev != cpu) {
                throw new InvariantViolation("STALE_DEVICE_PTE", "after the invalidation ended the device maps " + dev
                        + " at address 0, where the CPU maps " + cpu);
            }
            return Outcome.OK;
        }
    }

    /**
     * The driver's loop against a non-blockable invalidation (the OOM reaper's
     * mmu_notifier_invalidate_range_start_nonblock()): the driver's invalidate() only tries its
     * lock, and when the fault holds it, mn_itree_invalidate() ends the range itself and returns
     * -EAGAIN; the reaper skips the range without calling _end. The fault must neither hang on an
     * odd sequence nor keep a page the CPU no longer maps.
     */
    public static final class NonblockRun extends DriverRun {
        NonblockRun(EnumSet<Bug> bugs) {
            super(bugs);
        }

        /** __oom_reap_task_mm() of page 0: on -EAGAIN the range is left for later, and _end is not called. */
        @Override
        protected void cpu1() {
            Range range = new Range(0, 0, false);
            if (subs.mmuNotifierInvalidateRangeStart(range) != 0) {
                return;
            }
            cpuPte.writeOnce(null); // unmap_page_range(): the reaper zaps the anonymous page
            subs.mmuNotifierInvalidateRangeEnd(range);
        }
    }

    /**
     * 31956166's race: an invalidation of the subscription's range is in progress (its start ran in
     * the set-up, on CPU0); CPU0 ends it while CPU1 removes the subscription and frees it.
     */
    public static final class RemoveRun extends MmRun {
        final MmuIntervalNotifier sub = new MmuIntervalNotifier("interval_sub", 0, 0);

        RemoveRun(EnumSet<Bug> bugs) {
            super(bugs);
            subs.mmuIntervalNotifierInsert(sub, (s, range, curSeq) -> {
                MmuNotifierSubscriptions.mmuIntervalSetSeq(s, curSeq); // and zap the device's mappings
                return true;
            });
            smp.cpu(0).runSetUp(() -> subs.mmuNotifierInvalidateRangeStart(PAGE0)); // munmap() of page 0 began
        }

        @Override
        protected void task(int cpu) {
            if (cpu == 0) {
                subs.mmuNotifierInvalidateRangeEnd(PAGE0); // mn_itree_inv_end()
            } else {
                subs.mmuIntervalNotifierRemove(sub); // the driver tears its mirror down
                sub.kfree();
            }
        }

        @Override
        protected Outcome check() {
            subs.checkNoFreedSubscriptionReachable();
            return Outcome.OK;
        }
    }

    /** 543bdb2d: a notifier published while an invalidation walks the list. */
    public static final class PublishRun extends MmRun {
        final Kvm kvm = new Kvm();

        PublishRun(EnumSet<Bug> bugs) {
            super(bugs);
        }

        @Override
        protected void task(int cpu) {
            if (cpu == 0) {
                MmuNotifier mn = new MmuNotifier(); // my_struct, allocated by the driver
                mn.ops.setPlain(kvm.ops); // (1) my_struct->mn.ops = &my_ops, a plain C store
                subs.mmuNotifierRegister(mn); // (2) hlist_add_head(&mn->hlist, &mm->mmu_notifiers)
            } else {
                subs.mmuNotifierInvalidatePage(page0); // mmu_notifier_invalidate_range(): if (mn->ops->...)
            }
        }
    }

    /** 3ad3d901: the mm exits (mmu_notifier_release) while rmap unmaps a page KVM maps too. */
    public static final class ReleaseRun extends MmRun {
        final Kvm kvm = new Kvm();

        ReleaseRun(EnumSet<Bug> bugs) {
            super(bugs);
            MmuNotifier mn = new MmuNotifier();
            mn.ops.setPlain(kvm.ops);
            subs.mmuNotifierRegister(mn);
            kvm.spte.setPlain(page0); // the guest has page 0 mapped in its shadow page table
        }

        @Override
        protected void task(int cpu) {
            if (cpu == 0) {
                subs.mmuNotifierRelease(); // exit_mmap()
            } else {
                tryToUnmap(page0);
            }
        }

        /** try_to_unmap_one(): ptep_clear_flush_notify(), then the last reference dropped: the page is freed. */
        private void tryToUnmap(Page page) {
            cpuPte.writeOnce(null);
            subs.mmuNotifierInvalidatePage(page);
            if (kvm.spte.oracle() == page) { // the checker's look at KVM's shadow pte, not a kernel load
                throw new InvariantViolation("FREED_PAGE_MAPPED", "BUG: Bad page state: " + page
                        + " freed while the secondary MMU (KVM's shadow pte) still maps it");
            }
            page.freed.writeOnce(1);
        }
    }

    /** c2655835: one notifier fails _start() in non-blocking mode; KVM's count must still come down. */
    public static final class UnpairedRun extends MmRun {
        final Kvm kvm = new Kvm();
        private final Word reaperDone = new Word();

        UnpairedRun(EnumSet<Bug> bugs) {
            super(bugs);
            MmuNotifier k = new MmuNotifier();
            k.ops.setPlain(kvm.ops);
            subs.mmuNotifierRegister(k);
            MmuNotifier i915 = new MmuNotifier();
            i915.ops.setPlain(Drivers.failsNonBlockingStart());
            subs.mmuNotifierRegister(i915);
        }

        @Override
        protected void task(int cpu) {
            if (cpu == 0) {
                kvm.swapActiveMemslots(reaperDone); // KVM_SET_USER_MEMORY_REGION
            } else {
                oomReapTaskMm();
                reaperDone.writeOnce(1); // the scenario's watchdog: nothing else will lower the count
                kvm.memslotsUpdate.wakeUpAll();
            }
        }

        /** __oom_reap_task_mm(): a non-blocking invalidation; on failure skip the range, and never call _end. */
        private void oomReapTaskMm() {
            Range range = new Range(0, 0, false);
            if (subs.mmuNotifierInvalidateRangeStart(range) != 0) {
                return; // "ret = false; continue;": the range is retried later, _end is not called
            }
            cpuPte.writeOnce(null);
            subs.mmuNotifierInvalidateRangeEnd(range);
        }
    }

    private static final String JC = "klm.jcstress.mmunotifier.";
    /** What the release/acquire model shows in the documented driver loop (docs/DESIGN.md says what is and is not settled). */
    private static final String DRIVER_RA = "release/acquire, a question for the kernel rather than a confirmed bug:"
            + " when the invalidation ends between mmu_interval_read_begin()'s unlock and its wait_event(), the wait's"
            + " check, READ_ONCE(subscriptions->invalidate_seq), succeeds without sleeping, and only a sleep and wake-up"
            + " imply barriers; nothing then orders the fault's page-table read after it, so the fault may read the pte"
            + " from before the invalidation that just ended (message passing without acquire on the reading side), and"
            + " the retry check passes because no new invalidation began. The model writes the pte with WRITE_ONCE,"
            + " without the kernel's page-table lock and TLB flush, which order the writing side only";
    private static final String NOT_A_LOCK_ORDER = "not a lock order: the buggy code takes the same locks in the same"
            + " order as the fix; what differs is a check, a barrier or a call order, which lockdep does not judge";
    private static final String SC_ONLY = "Lincheck explores sequentially consistent interleavings: a store"
            + " reordered after the publishing store cannot happen in its model";
    private static final String X86_TSO = "x86 (TSO) does not reorder two stores, and HotSpot keeps the plain ops"
            + " store before the opaque (WRITE_ONCE) list store; on Arm or POWER the reordering is allowed"
            + " (MP+poonceonces: Sometimes)";

    public static List<Variant> variants() {
        return List.of(
                Variant.buggy(NAME, "driver-no-retry", () -> EnumSet.of(Bug.DRIVER_NO_RETRY, Bug.READ_BEGIN_RELAXED_WAIT), bugs -> new DriverRun(bugs))
                        .provenance(Provenance.COUNTERFACTUAL)
                        .fixedBy("driver-retry-under-lock")
                        .summary("the driver programs the device with the pfn it faulted, without asking whether an"
                                + " invalidation ran meanwhile: the device keeps mapping the migrated (freed) page")
                        .kernel("a mirror without mmu_interval_read_retry() (the races 99cb252f says the drivers had)")
                        .story(
                                "CPU0, the device fault, starts with mmu_interval_read_begin() under "
                                + "`spin_lock(mmu_notifier_subscriptions.lock)` and reads the CPU pte (`read "
                                + "cpuPte`): page0.",
                                "CPU1 migrates page 0: _start bumps `subs.invalidateSeq`, the driver's "
                                + "invalidate zaps the device under `mutex_lock(driver->lock)`, the CPU pte moves "
                                + "to page1 (`write cpuPte`), _end runs, and page0 is freed (`write "
                                + "page0.freed`).",
                                "CPU0 takes `mutex_lock(driver->lock)` and programs the device with page0 "
                                + "(`write driver.devicePte`) without asking whether an invalidation ran "
                                + "(`STALE_DEVICE_PTE`).")
                        .lincheck(Expectation.violation("STALE_DEVICE_PTE"))
                        .jcstress(Expectation.violation("STALE_DEVICE_PTE"), JC + "DriverNoRetryTest")
                        .lockdep(Expectation.notSeen(NOT_A_LOCK_ORDER)),
                Variant.buggy(NAME, "driver-retry-without-lock", () -> EnumSet.of(Bug.DRIVER_RETRY_WITHOUT_LOCK, Bug.READ_BEGIN_RELAXED_WAIT), bugs -> new DriverRun(bugs))
                        .provenance(Provenance.COUNTERFACTUAL)
                        .fixedBy("driver-retry-under-lock")
                        .summary("the final check is mmu_interval_check_retry(), the lockless hint, before the driver"
                                + " lock: an invalidation can run between the check and the device update")
                        .kernel("mmu_interval_check_retry() used as the final check (its comment forbids it)")
                        .story(
                                "CPU0, the device fault, reads the sequence under "
                                + "`spin_lock(mmu_notifier_subscriptions.lock)`, reads the CPU pte (`read "
                                + "cpuPte`), and makes its final check without the driver lock: `read "
                                + "sub.invalidateSeq`, unchanged.",
                                "CPU1 migrates page 0 now: `write cpuPte`, the driver's invalidate under "
                                + "`mutex_lock(driver->lock)`, and page0 is freed (`write page0.freed`).",
                                "CPU0 takes `mutex_lock(driver->lock)` and writes page0 into the device (`write "
                                + "driver.devicePte`): its check passed before the invalidation, and nothing "
                                + "checks again under the lock (`STALE_DEVICE_PTE`).")
                        .lincheck(Expectation.violation("STALE_DEVICE_PTE"))
                        .jcstress(Expectation.violation("STALE_DEVICE_PTE"), JC + "DriverRetryWithoutLockTest")
                        .lockdep(Expectation.notSeen(NOT_A_LOCK_ORDER)),
                Variant.fixed(NAME, "driver-retry-under-lock", () -> EnumSet.of(Bug.READ_BEGIN_RELAXED_WAIT), bugs -> new DriverRun(bugs))
                        .provenance(Provenance.HISTORICAL)
                        .fixCommit("99cb252f5e68d72afa3245a4e73d216d295cd335")
                        .summary("mmu_interval_read_retry() under the driver lock that invalidate() takes for"
                                + " mmu_interval_set_seq(): the check and the update are atomic against it")
                        .kernel("99cb252f 'mm/mmu_notifier: add an interval tree notifier' (v5.5), the documented loop")
                        .lincheck(Expectation.clean())
                        .jcstress(Expectation.clean(), JC + "DriverRetryUnderLockTest")
                        .explorer("ra", Expectation.violation("STALE_DEVICE_PTE").because(DRIVER_RA))
                        .story(
                                "CPU0's first fault reads the CPU pte and, under `mutex_lock(driver->lock)`, sees that "
                                + "CPU1's invalidation began (`read sub.invalidateSeq`): it goes round again.",
                                "CPU0 reads the sequence again while the invalidation still runs (`read "
                                + "subs.invalidateSeq`) and unlocks; CPU1 then ends it (`write subs.invalidateSeq`) and "
                                + "frees the old page (`write page0.freed`).",
                                "CPU0's wait (`waits for mmu_notifier_subscriptions.wq`) finds the sequence changed "
                                + "and does not sleep, so nothing orders the page-table read after it: `read cpuPte` "
                                + "returns the pte from before the invalidation (`reads an old write`).",
                                "The retry check under the driver lock passes, because no invalidation began after the "
                                + "one CPU0 waited for, and CPU0 maps the freed page (`write driver.devicePte`). The "
                                + "model has no page-table lock, TLB flush or mmap_read_lock() of the real paths: a "
                                + "question for the kernel, not a confirmed bug (docs/DESIGN.md).")
                        .lockdep(Expectation.clean()),
                Variant.fixed(NAME, "driver-retry-nonblock", () -> EnumSet.of(Bug.READ_BEGIN_RELAXED_WAIT), bugs -> new NonblockRun(bugs))
                        .provenance(Provenance.HISTORICAL)
                        .fixCommit("99cb252f5e68d72afa3245a4e73d216d295cd335")
                        .summary("the documented loop against a non-blockable invalidation: invalidate() only tries the driver"
                                + " lock, mn_itree_invalidate() ends the range itself on -EAGAIN, and the fault neither hangs"
                                + " nor keeps a zapped page")
                        .kernel("99cb252f (v5.5), mn_itree_invalidate()'s -EAGAIN path")
                        .lincheck(Expectation.clean())
                        .jcstress(Expectation.clean(), JC + "DriverRetryNonblockTest")
                        .explorer("ra", Expectation.violation("STALE_DEVICE_PTE").because(DRIVER_RA + "; here the invalidation"
                                + " that ends before the wait is the OOM reaper's, which succeeded and zapped the pte"))
                        .lockdep(Expectation.clean()),
                Variant.fixed(NAME, "driver-retry-acquire-wait", () -> EnumSet.noneOf(Bug.class), bugs -> new DriverRun(bugs))
                        .provenance(Provenance.PROPOSED)
                        .summary("the documented loop with the fix proposed for the RA finding on driver-retry-under-lock:"
                                + " mmu_interval_read_begin()'s wait_event() reads invalidate_seq with smp_load_acquire(),"
                                + " so the fault's page-table walk is ordered after the check even when the wait does not sleep")
                        .kernel("a one-line change to mmu_interval_read_begin() (mm/mmu_notifier.c), in no kernel")
                        .lincheck(Expectation.clean())
                        .jcstress(Expectation.clean(), JC + "DriverRetryAcquireWaitTest")
                        .lockdep(Expectation.clean()),
                Variant.buggy(NAME, "remove-unlocked-seq-read", () -> EnumSet.of(Bug.REMOVE_UNLOCKED_SEQ_READ), bugs -> new RemoveRun(bugs))
                        .provenance(Provenance.HISTORICAL)
                        .fixedBy("remove-locked-seq-read")
                        .summary("mmu_interval_notifier_remove() waits on READ_ONCE(invalidate_seq): it sees the ++ of"
                                + " an mn_itree_inv_end() that still holds the lock and has yet to walk the deferred list"
                                + " holding the subscription; the caller frees it")
                        .kernel("99cb252f to 319561669a59 (v5.5 to v5.18)")
                        .story(
                                "CPU1, in mmu_interval_notifier_remove(), takes "
                                + "`spin_lock(mmu_notifier_subscriptions.lock)`, sees an invalidation in "
                                + "progress, puts `interval_sub` on the deferred list, and drops the lock "
                                + "(`spin_unlock(mmu_notifier_subscriptions.lock)`).",
                                "CPU0 ends the invalidation: under `spin_lock(mmu_notifier_subscriptions.lock)` "
                                + "it bumps the sequence (`write subs.invalidateSeq`) and starts walking the "
                                + "deferred list, which still holds `interval_sub`.",
                                "CPU1's wait (`waits for mmu_notifier_subscriptions.wq`) reads the sequence "
                                + "without the lock, sees the bump, and returns; its owner frees the subscription "
                                + "(`write interval_sub.freed`).",
                                "CPU0, still walking the deferred list, touches it (`USE_AFTER_FREE`).")
                        .lincheck(Expectation.violation("USE_AFTER_FREE"))
                        .jcstress(Expectation.violation("USE_AFTER_FREE"), JC + "RemoveUnlockedSeqReadTest")
                        .lockdep(Expectation.notSeen(NOT_A_LOCK_ORDER))
                        .invocations(300, 10_000), // found at invocation 119: the deepest of all the bugs
                Variant.fixed(NAME, "remove-locked-seq-read", () -> EnumSet.noneOf(Bug.class), bugs -> new RemoveRun(bugs))
                        .provenance(Provenance.HISTORICAL)
                        .fixCommit("319561669a59d8e9206ab311ae5433ef92fd79d1")
                        .summary("the wait condition mmu_interval_seq_released() reads invalidate_seq under the lock,"
                                + " so it cannot see the ++ before the deferred list is done")
                        .kernel("319561669a59 'mm/mmu_notifier.c: fix race in mmu_interval_notifier_remove()' (v5.18)")
                        .lincheck(Expectation.clean())
                        .jcstress(Expectation.clean(), JC + "RemoveLockedSeqReadTest")
                        .lockdep(Expectation.clean())
                        .invocations(300, 10_000), // as deep as its buggy twin needs
                Variant.buggy(NAME, "plain-publish", () -> EnumSet.of(Bug.PLAIN_PUBLISH), bugs -> new PublishRun(bugs))
                        .provenance(Provenance.HISTORICAL)
                        .fixedBy("release-publish")
                        .summary("mmu_notifier_register() links the notifier with hlist_add_head(): nothing orders the"
                                + " driver's earlier mn->ops store before the link; a reader may see uninitialised ops")
                        .kernel("cddb8a5c to 543bdb2d (v2.6.27 to v5.3)")
                        .lincheck(Expectation.notSeen(SC_ONLY))
                        .jcstress(Expectation.notSeen(X86_TSO), JC + "PlainPublishTest")
                        .explorer("tso", Expectation.notSeen("x86-TSO keeps stores in order: the ops store reaches memory before the list store in every execution; the reordering needs a model that lets stores pass stores (the release/acquire model, next column)"))
                        .explorer("ra", Expectation.violation("UNINITIALISED_OPS").because("release/acquire: the list store"
                                + " (WRITE_ONCE) carries no view, so a reader that finds the notifier may still read the"
                                + " ops field's initial write (MP+poonceonces: Sometimes)"))
                        .story(
                                "CPU0, the driver, sets the notifier's ops with a plain store (`write subs.list->ops`), "
                                + "then registers it under `spin_lock(mmu_notifier_subscriptions.lock)`.",
                                "The link is a WRITE_ONCE() of the list head (`write subs.list`). Under the "
                                + "release/acquire model it carries nothing CPU0 wrote before it, and the lock's "
                                + "acquisition, an ACQUIRE, does not hold the earlier ops store back either.",
                                "CPU1's invalidation finds the notifier on the list (`read subs.list`) and reads its ops: "
                                + "the initial write is still one it may read (`reads an old write`).",
                                "It calls through NULL ops (`UNINITIALISED_OPS`). 543bdb2d's hlist_add_head_rcu() makes "
                                + "the link an rcu_assign_pointer(), a release that carries the ops store with it.")
                        .lockdep(Expectation.notSeen(NOT_A_LOCK_ORDER)),
                Variant.fixed(NAME, "release-publish", () -> EnumSet.noneOf(Bug.class), bugs -> new PublishRun(bugs))
                        .provenance(Provenance.HISTORICAL)
                        .fixCommit("543bdb2d825fe2400d6e951f1786d92139a16931")
                        .summary("hlist_add_head_rcu(): the link is a store-release (MP+onceassign+derefonce: Never)")
                        .kernel("543bdb2d 'mm/mmu_notifier: use hlist_add_head_rcu()' (v5.3)")
                        .lincheck(Expectation.clean())
                        .jcstress(Expectation.clean(), JC + "ReleasePublishTest")
                        .lockdep(Expectation.clean()),
                Variant.buggy(NAME, "release-after-unlink", () -> EnumSet.of(Bug.RELEASE_AFTER_UNLINK), bugs -> new ReleaseRun(bugs))
                        .provenance(Provenance.HISTORICAL)
                        .fixedBy("release-before-unlink")
                        .summary("mmu_notifier_release() unlinks the notifier, then calls ->release: an unmap in between"
                                + " finds no notifier and frees a page the secondary MMU still maps")
                        .kernel("cddb8a5c to 3ad3d901 (v2.6.27 to v3.6)")
                        .story(
                                "CPU0, in exit_mmap(), takes `spin_lock(mmu_notifier_subscriptions.lock)` and "
                                + "unlinks KVM's notifier (`write subs.list`), then drops the lock to call its "
                                + "->release.",
                                "KVM's release has taken `spin_lock(kvm->mmu_lock)` but not yet dropped the "
                                + "shadow pte when CPU1 unmaps page 0 (`write cpuPte`) and walks the list (`read "
                                + "subs.list`): it is empty, so no secondary MMU is told.",
                                "CPU1 frees page0 while `kvm.spte` still maps it (`FREED_PAGE_MAPPED`).")
                        .lincheck(Expectation.violation("FREED_PAGE_MAPPED"))
                        .jcstress(Expectation.violation("FREED_PAGE_MAPPED"), JC + "ReleaseAfterUnlinkTest")
                        .lockdep(Expectation.notSeen(NOT_A_LOCK_ORDER)),
                Variant.fixed(NAME, "release-before-unlink", () -> EnumSet.noneOf(Bug.class), bugs -> new ReleaseRun(bugs))
                        .provenance(Provenance.HISTORICAL)
                        .fixCommit("3ad3d901bbcfb15a5e4690e55350db0899095a68")
                        .summary("->release for every notifier first, while an unmap can still find them; then unlink")
                        .kernel("3ad3d901 'mm: mmu_notifier: fix freed page still mapped in secondary MMU' (v3.6)")
                        .lincheck(Expectation.clean())
                        .jcstress(Expectation.clean(), JC + "ReleaseBeforeUnlinkTest")
                        .lockdep(Expectation.clean()),
                Variant.buggy(NAME, "unpaired-start-end", () -> EnumSet.of(Bug.UNPAIRED_START_END), bugs -> new UnpairedRun(bugs))
                        .provenance(Provenance.HISTORICAL)
                        .fixedBy("paired-start-end")
                        .summary("one notifier fails _start() in non-blocking mode; the caller skips _end() for all, so"
                                + " KVM's mmu_notifier_count stays raised and a memslot update waits forever")
                        .kernel("93065ac753e4 to c2655835 (v4.19 to v5.12)")
                        .story(
                                "CPU1, the OOM reaper, invalidates without blocking: it walks `subs.list`; i915's _start, "
                                + "first on the list, fails at once (no row), and the walk goes on to KVM's "
                                + "(`read subs.list->next`), which takes `spin_lock(kvm->mmu_lock)` and raises the "
                                + "count (`write kvm.mmuNotifierCount`).",
                                "On the failure the range is skipped and no notifier's _end runs, so KVM's "
                                + "count stays raised; the reaper finishes (`write reaperDone`).",
                                "CPU0, KVM's memslot update, reads the count under `spin_lock(kvm->mmu_lock)` "
                                + "(`read kvm.mmuNotifierCount`) and waits (`waits for "
                                + "kvm->mn_memslots_update_rcuwait`) until nothing else can lower it "
                                + "(`COUNT_LEAK`).")
                        .lincheck(Expectation.deadlock("COUNT_LEAK"))
                        .jcstress(Expectation.deadlock("COUNT_LEAK"), JC + "UnpairedStartEndTest")
                        .lockdep(Expectation.notSeen(NOT_A_LOCK_ORDER)),
                Variant.fixed(NAME, "paired-start-end", () -> EnumSet.noneOf(Bug.class), bugs -> new UnpairedRun(bugs))
                        .provenance(Provenance.HISTORICAL)
                        .fixCommit("c2655835fd8cabdfe7dab737253de3ffb88da126")
                        .summary("on a failed _start(), _end() is called for every notifier that has one (and notifiers"
                                + " that can fail _start() may not have one)")
                        .kernel("c2655835 'mm/mmu_notifiers: ensure range_end() is paired with range_start()' (v5.12)")
                        .lincheck(Expectation.clean())
                        .jcstress(Expectation.clean(), JC + "PairedStartEndTest")
                        .lockdep(Expectation.clean()));
    }
}
