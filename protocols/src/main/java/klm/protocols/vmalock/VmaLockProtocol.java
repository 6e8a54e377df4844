package klm.protocols.vmalock;

import java.util.EnumSet;
import java.util.List;

import klm.protocols.vmalock.HugetlbFile.Vma;
import klm.scenario.Outcome;
import klm.scenario.ScenarioRun;
import klm.verdict.Expectation;
import klm.verdict.Provenance;
import klm.verdict.Variant;

/**
 * Seed 001: the hugetlb vma_lock versus huge_pmd_unshare() (Mike Kravetz, 40549ba8f8, v6.1;
 * the page: klm/pages/vma-lock.md). Three workloads on a file mapped shared by two processes:
 * <ul>
 *   <li>{@link UnshareRun}: CPU0 faults in mm0 through a PMD page mm0 shares with mm1, while CPU1
 *       unmaps (or mprotects) mm0's range, which unshares it;</li>
 *   <li>{@link RmapRun}: CPU0 faults in mm0, which has no PMD page there yet (huge_pmd_share() takes
 *       i_mmap_rwsem), while CPU1 unmaps a page mm0 and mm1 map in another PUD range through rmap
 *       with i_mmap_rwsem already held;</li>
 *   <li>{@link TruncateRun}: CPU0 faults page 0 in while CPU1 truncates the file to one page, page 1
 *       being mapped;</li>
 *   <li>{@link ShareRun}: in the v5.7 era, CPU0 faults in mm0, which has no PMD page yet, while CPU1
 *       unmaps mm1's range (i_mmap_rwsem for write).</li>
 * </ul>
 */
public final class VmaLockProtocol {
    private VmaLockProtocol() {}

    public static final String NAME = "vma-lock";

    /** Two CPUs on a fresh file shared by mm0 and mm1. */
    abstract static class FileRun extends ScenarioRun {
        final HugetlbFile file;
        final Vma mm0;
        final Vma mm1;

        FileRun(EnumSet<Bug> bugs) {
            super(2);
            file = new HugetlbFile(bugs, "mm0", "mm1");
            mm0 = file.vmas.get(0);
            mm1 = file.vmas.get(1);
        }

        /** CPU0 always faults page 0 in mm0; CPU1 runs the workload the scenario sets against it. */
        @Override
        protected final void task(int cpu) {
            if (cpu == 0) {
                file.hugetlbFault(mm0, 0, "page0");
            } else {
                cpu1();
            }
        }

        /** CPU1's workload. */
        protected abstract void cpu1();

        @Override
        protected Outcome check() {
            return Outcome.OK;
        }
    }

    /** Fault versus unshare: the race in 40549ba8f8's commit message. */
    public static final class UnshareRun extends FileRun {
        UnshareRun(EnumSet<Bug> bugs) {
            super(bugs);
            file.share(mm0, mm1);
        }

        @Override
        protected void cpu1() {
            file.unmapHugepageRange(mm0); // munmap/mprotect of mm0's range: huge_pmd_unshare()
        }
    }

    /**
     * Fault versus rmap: the vma lock may only be tried while i_mmap_rwsem is held. mm0 and mm1 map
     * the poisoned page through a PMD page they share in their second PUD range; in its first, mm0
     * has no PMD page yet, so CPU0's fault there goes through huge_pmd_share() (i_mmap_rwsem) while
     * it holds mm0's vma lock. CPU1 unmaps the page through rmap and tries the lock of each vma that
     * maps it; when try_to_unmap() says it succeeded, no vma may map the page any more.
     */
    public static final class RmapRun extends FileRun {
        private static final String PAGE = "hwpoison_page";
        private boolean unmapped;

        RmapRun(EnumSet<Bug> bugs) {
            super(bugs);
            file.share(mm1); // mm0 has no PMD page in the first range: its fault goes through huge_pmd_share()
            file.shareSecondRange(PAGE, mm0, mm1);
        }

        @Override
        protected void cpu1() {
            unmapped = file.tryToUnmap(PAGE); // memory failure of the page, rmap locked
        }

        @Override
        protected Outcome check() {
            file.checkUnmapped(PAGE, unmapped);
            return Outcome.OK;
        }
    }

    /** Fault versus truncation: a page past the new end must not stay mapped. */
    public static final class TruncateRun extends FileRun {
        TruncateRun(EnumSet<Bug> bugs) {
            super(bugs);
            HugetlbFile.PmdPage p = file.share(mm0);
            p.ptes[1].setPlain("page1"); // page 1 is mapped in mm0
        }

        @Override
        protected void cpu1() {
            file.truncate(1);
        }

        @Override
        protected Outcome check() {
            file.checkTruncated(1);
            return Outcome.OK;
        }
    }

    /**
     * munmap of the whole vma versus truncation: the unmap holds the vma lock (write), so
     * truncation's try fails and its fallback takes a reference on the lock; the fallback's
     * reference must keep the lock alive while the vma goes away, and the fallback must find
     * {@code vma == NULL} and skip it (the vma teardown {@link TruncateRun} cannot reach).
     */
    public static final class TeardownRun extends ScenarioRun {
        final HugetlbFile file;
        final Vma mm0;

        TeardownRun(EnumSet<Bug> bugs) {
            super(2);
            file = new HugetlbFile(bugs, "mm0"); // one vma: a second adds executions, not a case
            mm0 = file.vmas.get(0);
            HugetlbFile.PmdPage p = file.share(mm0);
            p.ptes[1].setPlain("page1"); // page 1 is mapped in mm0
        }

        @Override
        protected void task(int cpu) {
            if (cpu == 0) {
                file.unmapVma(mm0); // the process unmaps the whole vma, or exits
            } else {
                file.truncate(1);
            }
        }

        @Override
        protected Outcome check() {
            file.checkTruncated(1);
            return Outcome.OK;
        }
    }

    /**
     * The v5.7-v6.0 fault through huge_pmd_share() versus an unmap: the fault holds i_mmap_rwsem
     * (read) from its start; if huge_pmd_share() takes it again ({@link Bug#PMD_SHARE_RETAKES_I_MMAP}) and CPU1's
     * down_write() queued in between, the rw-semaphore's writer preference holds the second read
     * back while the writer waits for the first: a deadlock that only writer preference makes.
     */
    public static final class ShareRun extends FileRun {
        ShareRun(EnumSet<Bug> bugs) {
            super(bugs);
            file.share(mm1); // mm0 has no PMD page yet: its fault goes through huge_pmd_share()
        }

        @Override
        protected void cpu1() {
            file.unmapHugepageRange(mm1); // munmap of mm1's range: i_mmap_rwsem for write
        }
    }

    private static final String JC = "klm.jcstress.vmalock.";
    private static final String NOT_A_LOCK_ORDER = "the bug is not a lock order: lockdep sees the same acquisitions"
            + " whether the ptep is still valid or a page was skipped";

    public static List<Variant> variants() {
        return List.of(
                Variant.buggy(NAME, "no-fault-sync", () -> EnumSet.of(Bug.NO_FAULT_SYNC, Bug.NO_VMA_LOCK), bugs -> new UnshareRun(bugs))
                        .provenance(Provenance.HISTORICAL)
                        .fixedBy("i-mmap-rwsem-in-fault", "vma-lock")
                        .summary("nothing keeps the fault's ptep valid: a concurrent huge_pmd_unshare() detaches the PMD page"
                                + " and the fault writes its entry into a page table that now belongs to another mm")
                        .kernel("hugetlb_fault() before c0d0381ade79 (v5.7)")
                        .story(
                                "CPU0 faults page 0 of mm0: `mutex_lock(hugetlb_fault_mutex[0])`, then `read "
                                + "mm0.pud`: its entry will go into `pmd_page101`, which mm0 shares with mm1.",
                                "Nothing keeps that page table: CPU1 unmaps mm0's range under "
                                + "`down_write(i_mmap_rwsem)` and `spin_lock(ptl[pmd_page101])`, and unshares it "
                                + "(`write mm0.pud`, `write pmd_page101.shareCount`).",
                                "CPU0 takes `spin_lock(ptl[pmd_page101])` and reads `mm0.pud`: its ptep now "
                                + "points into a page table only mm1 uses (`STALE_PTEP_WRITE`).")
                        .lincheck(Expectation.violation("STALE_PTEP_WRITE"))
                        .jcstress(Expectation.violation("STALE_PTEP_WRITE"), JC + "NoFaultSyncTest")
                        .lockdep(Expectation.notSeen(NOT_A_LOCK_ORDER)),
                Variant.fixed(NAME, "i-mmap-rwsem-in-fault", () -> EnumSet.of(Bug.NO_VMA_LOCK), bugs -> new UnshareRun(bugs))
                        .provenance(Provenance.HISTORICAL)
                        .fixCommit("c0d0381ade79885c04a04c303284b040616b116e")
                        .summary("the fault holds the file-wide i_mmap_rwsem (read) until done with ptep: correct, but every"
                                + " fault on the file takes it (1528 vs 59544 faults/s in the kernel's measurement)")
                        .kernel("c0d0381ade79 (v5.7 to v6.0)")
                        .lincheck(Expectation.clean())
                        .jcstress(Expectation.clean(), JC + "IMmapRwsemInFaultTest")
                        .lockdep(Expectation.clean()),
                Variant.buggy(NAME, "i-mmap-rwsem-share-retakes", () -> EnumSet.of(Bug.NO_VMA_LOCK, Bug.PMD_SHARE_RETAKES_I_MMAP),
                                bugs -> new ShareRun(bugs))
                        .provenance(Provenance.COUNTERFACTUAL)
                        .fixedBy("i-mmap-rwsem-share")
                        .summary("counterfactual: the v5.7 fault holds i_mmap_rwsem (read) and huge_pmd_share() takes it"
                                + " again; an unmap's down_write() queued in between holds the second read back (writer"
                                + " preference) while it waits for the first")
                        .kernel("what c0d0381ade79 (v5.7) avoided: huge_pmd_share() relies on the caller's i_mmap_rwsem")
                        .story(
                                "CPU0's fault takes `down_read(i_mmap_rwsem)` and "
                                + "`mutex_lock(hugetlb_fault_mutex[0])`; mm0 has no PMD page yet (`read "
                                + "mm0.pud`), so huge_pmd_share() will read i_mmap_rwsem again.",
                                "CPU1's unmap queues `down_write(i_mmap_rwsem)` behind CPU0's read.",
                                "CPU0's second read waits behind the queued writer (the rw-semaphore's writer "
                                + "preference), and the writer waits for CPU0's first read (`circular wait "
                                + "between 2 CPUs`).")
                        .lincheck(Expectation.deadlock("DEADLOCK"))
                        .jcstress(Expectation.deadlock("DEADLOCK"), JC + "IMmapRwsemShareRetakesTest")
                        .lockdep(Expectation.deadlock("RECURSIVE_LOCKING")),
                Variant.fixed(NAME, "i-mmap-rwsem-share", () -> EnumSet.of(Bug.NO_VMA_LOCK), bugs -> new ShareRun(bugs))
                        .provenance(Provenance.HISTORICAL)
                        .fixCommit("c0d0381ade79885c04a04c303284b040616b116e")
                        .summary("c0d0381ade79: huge_pmd_share() runs under the fault's i_mmap_rwsem (read), no second read")
                        .kernel("c0d0381ade79 (v5.7 to v6.0), huge_pmd_share()")
                        .lincheck(Expectation.clean())
                        .jcstress(Expectation.clean(), JC + "IMmapRwsemShareTest")
                        .lockdep(Expectation.clean()),
                Variant.fixed(NAME, "vma-lock", () -> EnumSet.noneOf(Bug.class), bugs -> new UnshareRun(bugs))
                        .provenance(Provenance.HISTORICAL)
                        .fixCommit("40549ba8f8e0ed1f8b235979563f619e9aa34fdf")
                        .summary("the fault holds the per-vma hugetlb_vma_lock (read); huge_pmd_unshare() needs it for write")
                        .kernel("40549ba8f8 'hugetlb: use new vma_lock for pmd sharing synchronization' (v6.1)")
                        .lincheck(Expectation.clean())
                        .jcstress(Expectation.clean(), JC + "VmaLockTest")
                        .lockdep(Expectation.clean()),
                Variant.buggy(NAME, "blocking-vma-lock-in-rmap", () -> EnumSet.of(Bug.BLOCKING_VMA_LOCK_IN_RMAP), bugs -> new RmapRun(bugs))
                        .provenance(Provenance.COUNTERFACTUAL)
                        .fixedBy("vma-lock-rmap-trylock")
                        .summary("an rmap path that holds i_mmap_rwsem takes the vma lock (write) with a blocking call: AB-BA"
                                + " with a fault that holds the vma lock (read) and wants i_mmap_rwsem in huge_pmd_share()")
                        .kernel("the order 40549ba8f8 forbids: vma_lock before i_mmap_rwsem")
                        .story(
                                "CPU0's fault takes `mutex_lock(hugetlb_fault_mutex[0])` and "
                                + "`down_read(hugetlb_vma_lock[mm0])`; mm0 has no PMD page (`read mm0.pud`), so "
                                + "huge_pmd_share() will need i_mmap_rwsem.",
                                "CPU1's rmap walk holds `down_write(i_mmap_rwsem)` and waits in "
                                + "`down_write(hugetlb_vma_lock[mm0])` instead of trying it.",
                                "CPU0 waits for the i_mmap_rwsem CPU1 holds, CPU1 for the vma lock CPU0 holds: "
                                + "the order vma lock, then i_mmap_rwsem, reversed (`circular wait between 2 "
                                + "CPUs`).")
                        .lincheck(Expectation.deadlock("DEADLOCK"))
                        .jcstress(Expectation.deadlock("DEADLOCK"), JC + "BlockingVmaLockInRmapTest")
                        .lockdep(Expectation.deadlock("CIRCULAR_DEPENDENCY")),
                Variant.fixed(NAME, "vma-lock-rmap-trylock", () -> EnumSet.noneOf(Bug.class), bugs -> new RmapRun(bugs))
                        .provenance(Provenance.HISTORICAL)
                        .fixCommit("40549ba8f8e0ed1f8b235979563f619e9aa34fdf")
                        .summary("try_to_unmap_one() only tries the vma lock of a vma that maps the page and gives up on contention;"
                                + " when try_to_unmap() returns true the page is unmapped everywhere")
                        .kernel("40549ba8f8 (v6.1), the rmap path")
                        .lincheck(Expectation.clean())
                        .jcstress(Expectation.clean(), JC + "VmaLockRmapTrylockTest")
                        .lockdep(Expectation.clean()),
                Variant.buggy(NAME, "truncate-skips-on-contention", () -> EnumSet.of(Bug.NO_UNMAP_FILE_FOLIO_FALLBACK),
                                bugs -> new TruncateRun(bugs))
                        .provenance(Provenance.COUNTERFACTUAL)
                        .fixedBy("vma-lock-truncate-fallback")
                        .summary("truncation only tries the vma lock and skips on contention, without the"
                                + " hugetlb_unmap_file_folio() fallback: a page past the new end stays mapped")
                        .kernel("hugetlb_vmdelete_list() without remove_inode_hugepages()' fallback")
                        .story(
                                "CPU0's fault of page 0 in mm0 holds `down_read(hugetlb_vma_lock[mm0])` while "
                                + "it maps the page (`write pmd_page101.ptes[0]`).",
                                "CPU1 truncates the file to one page: `write file.iSize`, "
                                + "`down_write(i_mmap_rwsem)`, and it only tries each vma's lock: "
                                + "`down_write_trylock(hugetlb_vma_lock[mm0]) failed`, so mm0 is skipped.",
                                "Without hugetlb_unmap_file_folio()'s fallback, remove_inode_hugepages() finds "
                                + "page 1 still mapped (`read pmd_page101.ptes[1]`) under "
                                + "`mutex_lock(hugetlb_fault_mutex[1])` and leaves it.",
                                "Truncation returns with a page past the new end still mapped "
                                + "(`PAGE_STILL_MAPPED`).")
                        .lincheck(Expectation.violation("PAGE_STILL_MAPPED"))
                        .jcstress(Expectation.violation("PAGE_STILL_MAPPED"), JC + "TruncateSkipsOnContentionTest")
                        .lockdep(Expectation.notSeen(NOT_A_LOCK_ORDER)),
                Variant.fixed(NAME, "vma-lock-truncate-fallback", () -> EnumSet.noneOf(Bug.class), bugs -> new TruncateRun(bugs))
                        .provenance(Provenance.HISTORICAL)
                        .fixCommit("40549ba8f8e0ed1f8b235979563f619e9aa34fdf")
                        .summary("hugetlb_unmap_file_folio(): take a reference on the contended vma lock, drop i_mmap_rwsem,"
                                + " take the vma lock then i_mmap_rwsem, check the vma is still there, unmap, retry")
                        .kernel("40549ba8f8 (v6.1), truncation")
                        .lincheck(Expectation.clean())
                        .jcstress(Expectation.clean(), JC + "VmaLockTruncateFallbackTest")
                        .lockdep(Expectation.clean()),
                Variant.fixed(NAME, "vma-lock-truncate-teardown", () -> EnumSet.noneOf(Bug.class), bugs -> new TeardownRun(bugs))
                        .provenance(Provenance.HISTORICAL)
                        .fixCommit("40549ba8f8e0ed1f8b235979563f619e9aa34fdf")
                        .summary("the same fallback while the faulting process unmaps the whole vma: the reference it took"
                                + " keeps the vma lock alive, and it finds vma == NULL and skips it")
                        .kernel("40549ba8f8 (v6.1), truncation against vma teardown")
                        .lincheck(Expectation.clean())
                        .jcstress(Expectation.clean(), JC + "VmaLockTruncateTeardownTest")
                        .lockdep(Expectation.clean()));
    }
}
