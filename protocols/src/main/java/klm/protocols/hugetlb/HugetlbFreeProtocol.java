package klm.protocols.hugetlb;

import java.util.EnumSet;
import java.util.List;

import klm.kernel.Kernel;
import klm.kernel.SpinLock;
import klm.kernel.Waits;
import klm.scenario.Outcome;
import klm.scenario.ScenarioRun;
import klm.verdict.Expectation;
import klm.verdict.Provenance;
import klm.verdict.Variant;

/**
 * Seeds 003 and 000: freeing huge pages from any context (the page: klm/pages/hugetlb-free.md).
 *
 * <p>Three scenarios, each run on a fresh pool:
 * <ul>
 *   <li>{@link AnyContextFreeRun}: CPU0's task resizes the pool (the nr_hugepages store, holding
 *       hugetlb_lock with softirqs on); CPU1 raises on CPU0 a BLOCK softirq that frees a huge page (seed
 *       003) and a NET_RX softirq that takes the socket lock, then, as a task with bottom halves off
 *       holding that socket lock, frees another page (seed 000's syzbot report);</li>
 *   <li>{@link DeferredListRun}: CPU0 frees two pages from softirqs (onto the deferred list) while
 *       CPU1, a kworker, runs free_hpage_workfn();</li>
 *   <li>{@link ResizeRun}: two CPUs write nr_hugepages at once.</li>
 * </ul>
 * Every run ends with the pool invariant, after the deferred work is flushed.
 */
public final class HugetlbFreeProtocol {
    private HugetlbFreeProtocol() {}

    public static final String NAME = "hugetlb-free";

    /** Two CPUs on a fresh pool, checked with the pool invariant once everything deferred has run. */
    abstract static class PoolRun extends ScenarioRun {
        final Hstate h;
        private final int expectedPoolSize;

        PoolRun(Hstate h, int expectedPoolSize) {
            super(2);
            this.h = h;
            this.expectedPoolSize = expectedPoolSize;
        }

        @Override
        protected Outcome check() {
            h.checkPool(expectedPoolSize);
            return Outcome.OK;
        }
    }

    /**
     * Seed 003 and seed 000 on one machine: a softirq that frees a page on a CPU whose task holds
     * hugetlb_lock (a self-deadlock with a plain lock), and the socket-lock cycle of the syzbot report.
     */
    public static final class AnyContextFreeRun extends PoolRun {
        private final SpinLock slock = new SpinLock("slock-AF_INET");
        private final HugePage freedInSoftirq;
        private final HugePage freedUnderSocketLock;
        private final HugePage freedInTask;

        AnyContextFreeRun(EnumSet<Bug> bugs) {
            super(new Hstate(bugs), -1);
            freedInSoftirq = h.inUsePage(false);
            freedUnderSocketLock = h.inUsePage(false);
            freedInTask = h.inUsePage(false);
            h.freePage();
            h.freePage();
        }

        @Override
        protected boolean usesInterrupts() {
            return true;
        }

        @Override
        protected void task(int cpu) {
            if (cpu == 0) {
                // munmap() drops the last reference of a huge page: free_huge_page() from a task with
                // softirqs and interrupts enabled, so the free path's own lock form is what keeps the
                // BLOCK softirq out while it holds hugetlb_lock (a spin_lock() there would self-deadlock).
                h.freeHugePage(freedInTask);
                h.setMaxHugePages(4); // echo 4 > nr_hugepages: shrinks the pool by one, under hugetlb_lock
                return;
            }
            // Block I/O completes on CPU0: blk_done_softirq -> bio_check_pages_dirty -> put_page() frees a
            // huge page in softirq context (the splat in seed 003).
            smp.cpu(0).raiseSoftirq("BLOCK", () -> h.freeHugePage(freedInSoftirq));
            // A packet for this socket arrives on CPU0: its softirq takes the socket lock.
            smp.cpu(0).raiseSoftirq("NET_RX", () -> {
                slock.spinLock();
                slock.spinUnlock();
            });
            // lock_sock(): BH off, socket lock held; sendmsg(MSG_ZEROCOPY) releases a hugetlb page:
            // in_task() is true, so even the deferring variants take hugetlb_lock directly.
            slock.spinLockBh();
            h.freeHugePage(freedUnderSocketLock);
            slock.spinUnlockBh();
        }
    }

    /** Producers in interrupt context racing the worker of the deferred free list. */
    public static final class DeferredListRun extends PoolRun {
        private final HugePage first;
        private final HugePage second;

        DeferredListRun(EnumSet<Bug> bugs) {
            super(new Hstate(bugs), -1);
            first = h.inUsePage(false);
            second = h.inUsePage(false);
        }

        @Override
        protected boolean usesInterrupts() {
            return true;
        }

        @Override
        protected void task(int cpu) {
            if (cpu == 0) {
                Kernel.current().raiseSoftirq("BLOCK", () -> h.freeHugePage(first));
                Kernel.interruptPoint();
                Kernel.current().raiseSoftirq("BLOCK", () -> {
                    // A timer interrupt that will land on the softirq while it frees the page.
                    Kernel.current().raiseHardirq("timer", () -> Kernel.udelay(2_000));
                    h.freeHugePage(second);
                });
                Kernel.interruptPoint();
                return;
            }
            // CPU1 is the kworker: it runs whatever work is queued, a few passes.
            int passes = Waits.bounded() ? 200 : 2;
            for (int i = 0; i < passes; i++) {
                h.events.runPending();
                if (Waits.bounded()) {
                    Thread.yield();
                }
            }
        }
    }

    /** Two writers of nr_hugepages at once, growing an empty pool to 2 pages on 2 nodes. */
    public static final class ResizeRun extends PoolRun {
        ResizeRun(EnumSet<Bug> bugs) {
            super(new Hstate(bugs), 2);
        }

        @Override
        protected void task(int cpu) {
            h.setMaxHugePages(2);
        }
    }

    private static final String JC = "klm.jcstress.hugetlb.";
    /**
     * The names a deadlock of {@link AnyContextFreeRun} ends under under JCStress: the softirq spins on
     * a lock its own CPU's task holds (SELF_DEADLOCK), or the two CPUs wait on each other (DEADLOCK).
     * These variants once also accepted HANG: a handler run from the idle loop left its CPU
     * "idle" while it held a lock, and the detector then ended a real cycle through its backstop
     * (docs/DESIGN.md, "Interrupts"). That is fixed, so a HANG here is a mismatch again.
     */
    private static final String[] ANY_CONTEXT_DEADLOCKS = {"SELF_DEADLOCK", "DEADLOCK"};
    private static final String NO_LOCK_ORDER = "a race on a lock-free list or a plain variable is not a lock order:"
            + " lockdep has nothing to report";

    public static List<Variant> variants() {
        return List.of(
                Variant.buggy(NAME, "plain-lock", () -> EnumSet.of(Bug.PLAIN_LOCKS), bugs -> new AnyContextFreeRun(bugs))
                        .provenance(Provenance.HISTORICAL)
                        .fixedBy("irq-safe-lock")
                        .summary("free_huge_page() takes hugetlb_lock with spin_lock() from any context: a softirq that"
                                + " frees a page on a CPU whose task holds the lock spins on its own CPU")
                        .kernel("mm/hugetlb.c before v5.5 (the lockdep splat Waiman Long's deferral patch quotes)")
                        .story(
                                "CPU0's task frees a page under `spin_lock(hugetlb_lock)`, then takes "
                                + "`mutex_lock(resize_lock)` and `spin_lock(hugetlb_lock)` again to shrink the "
                                + "pool, with softirqs enabled.",
                                "CPU1 raises block I/O completion on CPU0: `raise_softirq(BLOCK) for CPU0`.",
                                "CPU0 checks for `interrupts pending?` while it holds hugetlb_lock, and runs "
                                + "`__do_softirq()`: the BLOCK handler frees a huge page, "
                                + "`spin_lock(spool->lock)`, then spins on hugetlb_lock.",
                                "The spinner interrupted the holder on the same CPU, so the holder never runs "
                                + "again (`SELF_DEADLOCK`).")
                        .lincheck(Expectation.deadlock("SELF_DEADLOCK"))
                        .jcstress(Expectation.deadlock(ANY_CONTEXT_DEADLOCKS), JC + "PlainLockTest")
                        .lockdep(Expectation.deadlock("INCONSISTENT_USAGE")),
                Variant.buggy(NAME, "deferred-no-marker", () -> EnumSet.of(Bug.PLAIN_LOCKS, Bug.DEFERRED_FREE, Bug.NEXT_PENDING_LIST,
                                Bug.NO_NEXT_PENDING_MARKER), bugs -> new DeferredListRun(bugs))
                        .provenance(Provenance.MUTATION)
                        .fixedBy("deferred-next-pending-list", "deferred-llist-list")
                        .summary("the deferred free list without NEXT_PENDING: the page is published by the xchg before its"
                                + " link is written, the worker reads the link first and drops the rest of the list")
                        .kernel("Waiman Long's deferral patch (Dec 2019) without its NEXT_PENDING marker")
                        .story(
                                "CPU0's first BLOCK softirq frees page0: `in_task() = false: softirq`, so it "
                                + "defers, pushing page0 onto the list (`write h.hpageFreelist`) and then linking "
                                + "it (`write page0.mapping`).",
                                "The second softirq pushes page1 (`write h.hpageFreelist`) but has not linked "
                                + "it to page0 yet: a timer interrupt lands in between (`raise irq(timer) for "
                                + "CPU0`).",
                                "CPU1, the kworker, takes the whole list (`write h.hpageFreelist`) and follows "
                                + "`page1.mapping`, still empty: it frees page1 and stops there.",
                                "The softirq writes the link too late (`write page1.mapping`), to a list nobody "
                                + "holds any more: page0 never reaches the pool (`PAGE_LOST`).")
                        .lincheck(Expectation.violation("PAGE_LOST"))
                        .jcstress(Expectation.violation("PAGE_LOST"), JC + "DeferredNoMarkerTest")
                        .lockdep(Expectation.notSeen(NO_LOCK_ORDER)),
                Variant.fixed(NAME, "deferred-next-pending-list", () -> EnumSet.of(Bug.PLAIN_LOCKS, Bug.DEFERRED_FREE, Bug.NEXT_PENDING_LIST),
                                bugs -> new DeferredListRun(bugs))
                        .provenance(Provenance.INTERMEDIATE)
                        .summary("NEXT_PENDING makes the deferred list correct: the worker waits for the link; no page is lost")
                        .kernel("Waiman Long's deferral patch as posted (Dec 2019), the list alone")
                        .lincheck(Expectation.clean())
                        .jcstress(Expectation.clean(), JC + "DeferredNextPendingListTest")
                        .lockdep(Expectation.clean()),
                Variant.fixed(NAME, "deferred-llist-list", () -> EnumSet.of(Bug.PLAIN_LOCKS, Bug.DEFERRED_FREE), bugs -> new DeferredListRun(bugs))
                        .provenance(Provenance.HISTORICAL)
                        .fixCommit("c77c0a8ac4c522638a8242fcb9de9496e3cdbb2d")
                        .summary("llist_add() links before it publishes; the list is correct")
                        .kernel("c77c0a8ac4c5 (v5.5), the list alone")
                        .lincheck(Expectation.clean())
                        .jcstress(Expectation.clean(), JC + "DeferredLlistListTest")
                        .lockdep(Expectation.clean()),
                Variant.buggy(NAME, "deferred-next-pending", () -> EnumSet.of(Bug.PLAIN_LOCKS, Bug.DEFERRED_FREE, Bug.NEXT_PENDING_LIST),
                                bugs -> new AnyContextFreeRun(bugs))
                        .provenance(Provenance.INTERMEDIATE)
                        .fixedBy("irq-safe-lock")
                        .summary("deferral only when !in_task(): a task with bottom halves off holding the socket lock takes"
                                + " hugetlb_lock directly, while a softirq on the CPU that holds hugetlb_lock spins on the socket lock")
                        .kernel("Waiman Long's deferral patch as posted, against the syzbot socket-lock report")
                        .story(
                                "CPU0's task holds `mutex_lock(resize_lock)` and `spin_lock(hugetlb_lock)` to "
                                + "shrink the pool, with softirqs enabled.",
                                "CPU1 raises two softirqs for CPU0 (`raise_softirq(NET_RX) for CPU0`), then "
                                + "takes the socket lock with bottom halves off, `spin_lock_bh(slock-AF_INET)`, "
                                + "and frees a page there: `in_task() = true: task, BH off`, so it does not defer "
                                + "and will wait for hugetlb_lock.",
                                "CPU0 runs `__do_softirq()`: the BLOCK free is not in task context (`in_task() "
                                + "= false: softirq`) and defers (`write h.hpageFreelist`), as the deferral meant "
                                + "to.",
                                "The NET_RX handler then needs `slock-AF_INET`, which CPU1 holds while it waits "
                                + "for the hugetlb_lock CPU0's task holds (`circular wait between 2 CPUs`).")
                        .lincheck(Expectation.deadlock("DEADLOCK"))
                        .jcstress(Expectation.deadlock("DEADLOCK"), JC + "DeferredNextPendingTest")
                        .lockdep(Expectation.deadlock("IRQ_SAFE_TO_UNSAFE")),
                Variant.buggy(NAME, "deferred-llist", () -> EnumSet.of(Bug.PLAIN_LOCKS, Bug.DEFERRED_FREE), bugs -> new AnyContextFreeRun(bugs))
                        .provenance(Provenance.HISTORICAL)
                        .fixedBy("irq-safe-lock")
                        .summary("the merged llist deferral has the same hole: in_task() is true with bottom halves off")
                        .kernel("c77c0a8ac4c5 (v5.5) against the syzbot socket-lock report (5.11-next)")
                        .story(
                                "CPU0's task holds `mutex_lock(resize_lock)` and `spin_lock(hugetlb_lock)` to "
                                + "shrink the pool, with softirqs enabled.",
                                "CPU1 raises two softirqs for CPU0 (`raise_softirq(NET_RX) for CPU0`), then "
                                + "takes the socket lock with bottom halves off, `spin_lock_bh(slock-AF_INET)`, "
                                + "and frees a page there: `in_task() = true: task, BH off`, so the llist "
                                + "deferral does not apply and it will wait for hugetlb_lock.",
                                "CPU0 runs `__do_softirq()`: the BLOCK free is not in task context (`in_task() "
                                + "= false: softirq`) and goes onto the llist (`write h.hpageFreelist`).",
                                "The NET_RX handler then needs `slock-AF_INET`, which CPU1 holds while it waits "
                                + "for the hugetlb_lock CPU0's task holds (`circular wait between 2 CPUs`).")
                        .lincheck(Expectation.deadlock("DEADLOCK"))
                        .jcstress(Expectation.deadlock("DEADLOCK"), JC + "DeferredLlistTest")
                        .lockdep(Expectation.deadlock("IRQ_SAFE_TO_UNSAFE")),
                Variant.fixed(NAME, "irq-safe-lock", () -> EnumSet.noneOf(Bug.class), bugs -> new AnyContextFreeRun(bugs))
                        .provenance(Provenance.HISTORICAL)
                        .fixCommit("db71ef79b59bb2e78dc4df83d0e4bf6beaa5c82d")
                        .summary("every hugetlb_lock and subpool lock acquisition disables interrupts (spin_lock_irq in task"
                                + " paths, spin_lock_irqsave in free_huge_page); no deferral; update_and_free_page() after the unlock")
                        .kernel("db71ef79b59b and Mike Kravetz's v5.13 series")
                        .lincheck(Expectation.clean())
                        .jcstress(Expectation.clean(), JC + "IrqSafeLockTest")
                        .lockdep(Expectation.clean()),
                Variant.buggy(NAME, "irq-safe-one-conversion-missed", () -> EnumSet.of(Bug.SET_MAX_HUGE_PAGES_NOT_CONVERTED),
                                bugs -> new AnyContextFreeRun(bugs))
                        .provenance(Provenance.INTERMEDIATE)
                        .fixedBy("irq-safe-lock")
                        .summary("as irq-safe-lock, but set_max_huge_pages() still takes hugetlb_lock with plain spin_lock()")
                        .kernel("Mike Kravetz's series before its v5 ('Add a missing spin_lock to spin_lock_irq conversion')")
                        .story(
                                "CPU0's task frees a page with the converted lock forms, "
                                + "`spin_lock_irqsave(hugetlb_lock)` and `spin_unlock_irqrestore(hugetlb_lock)`.",
                                "It then takes `mutex_lock(resize_lock)` and set_max_huge_pages()'s "
                                + "`spin_lock(hugetlb_lock)`, the one acquisition the series left plain: "
                                + "interrupts stay on while it holds the lock.",
                                "CPU1 raises `raise_softirq(BLOCK) for CPU0`; CPU0 runs `__do_softirq()`, and "
                                + "the BLOCK free takes `spin_lock_irqsave(spool->lock)` and then spins on "
                                + "hugetlb_lock.",
                                "The spinner interrupted the holder on the same CPU (`SELF_DEADLOCK`).")
                        .lincheck(Expectation.deadlock("SELF_DEADLOCK"))
                        .explorer("tso", Expectation.deadlock(ANY_CONTEXT_DEADLOCKS).because("the same plain"
                                + " spin_lock(hugetlb_lock) with interrupts on; in the order the TSO exploration takes, the"
                                + " first deadlock it reaches is the NET_RX softirq interrupting the holder on CPU0 while"
                                + " CPU1 holds slock-AF_INET and waits for hugetlb_lock (a circular wait between two CPUs,"
                                + " nothing a store buffer adds)"))
                        .jcstress(Expectation.deadlock(ANY_CONTEXT_DEADLOCKS), JC + "IrqSafeOneConversionMissedTest")
                        .lockdep(Expectation.deadlock("INCONSISTENT_USAGE")),
                Variant.buggy(NAME, "resize-without-mutex", () -> EnumSet.of(Bug.NO_RESIZE_LOCK), bugs -> new ResizeRun(bugs))
                        .provenance(Provenance.HISTORICAL)
                        .fixedBy("resize-with-mutex")
                        .summary("two nr_hugepages writers drop hugetlb_lock to allocate and race on next_nid_to_alloc:"
                                + " two pages get the same round-robin slot, one node too many")
                        .kernel("set_max_huge_pages() before 2938396771c8 (v5.13)")
                        .story(
                                "CPU0 writes nr_hugepages: it takes `spin_lock_irq(hugetlb_lock)`, drops it to "
                                + "allocate, and takes a node slot from `h.nextNidToAlloc` for its first page.",
                                "For its second page CPU0 reads `h.nextNidToAlloc` again, and before it writes "
                                + "it back CPU1, the second writer, reads and writes the same counter.",
                                "CPU0 writes back a value computed from its stale read: the same slot is handed "
                                + "out twice (`WRONG_NODE`). The resize mutex would have kept the two writers "
                                + "apart.")
                        .lincheck(Expectation.violation("WRONG_NODE"))
                        .jcstress(Expectation.violation("WRONG_NODE"), JC + "ResizeWithoutMutexTest")
                        .lockdep(Expectation.notSeen(NO_LOCK_ORDER)),
                Variant.fixed(NAME, "resize-with-mutex", () -> EnumSet.noneOf(Bug.class), bugs -> new ResizeRun(bugs))
                        .provenance(Provenance.HISTORICAL)
                        .fixCommit("2938396771c8fd0870b5284319f9e78b4b552a79")
                        .summary("the per-hstate resize_lock serialises writers of nr_hugepages")
                        .kernel("2938396771c8 'hugetlb: add per-hstate mutex to synchronize user adjustments' (v5.13)")
                        .lincheck(Expectation.clean())
                        .jcstress(Expectation.clean(), JC + "ResizeWithMutexTest")
                        .lockdep(Expectation.clean()));
    }
}
