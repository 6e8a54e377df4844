package klm.protocols.vmalock;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

import klm.kernel.Kernel;
import klm.kernel.KernelBug;
import klm.kernel.Mutex;
import klm.kernel.Ptr;
import klm.kernel.RwSemaphore;
import klm.kernel.SpinLock;
import klm.kernel.Word;
import klm.scenario.InvariantViolation;

/**
 * A hugetlbfs file mapped shared by several processes (the page: klm/pages/vma-lock.md): each mm
 * has a PUD slot pointing at a PMD page-table page, which mms mapping the same file range may share
 * (with a share count); the file's i_mmap_rwsem; per vma a hugetlb_vma_lock; the fault mutex.
 * The {@link Bug} constants a variant has pick how a fault keeps its {@code ptep} valid, era by era:
 * not at all before v5.7, with i_mmap_rwsem from v5.7 to v6.0, with the vma lock from v6.1.
 */
final class HugetlbFile {
    /** A PMD page-table page; mms that map the same range of the file may share it. */
    static final class PmdPage {
        final int id;
        final Word shareCount = new Word(1);
        /** huge_pte_lock(): the page-table lock lives with the page-table page. */
        final SpinLock ptl;
        /** The huge page mapped at each index of the file range (null: not mapped). */
        final Ptr<Object>[] ptes;

        @SuppressWarnings("unchecked")
        PmdPage(int id, int entries) {
            this.id = id;
            this.ptl = new SpinLock("ptl", "ptl[pmd_page" + id + "]");
            this.ptes = new Ptr[entries];
            for (int i = 0; i < entries; i++) {
                ptes[i] = new Ptr<>();
            }
        }

        @Override
        public String toString() {
            return "pmd_page" + id;
        }
    }

    /** struct hugetlb_vma_lock: an rw-semaphore with a reference count and a back pointer to its vma. */
    static final class VmaLock {
        final RwSemaphore rwSema;
        final Word refs = new Word(1);
        final Ptr<Vma> vma = new Ptr<>();
        /** Set by hugetlb_vma_lock_release() when the last reference goes: kfree() of the structure. */
        final Word freed = new Word();

        VmaLock(String mm) {
            this.rwSema = new RwSemaphore("hugetlb_vma_lock", "hugetlb_vma_lock[" + mm + "]");
        }
    }

    /**
     * A process's shared mapping of the file: its PUD slots and its vma lock. A PMD page covers one
     * 1 GB (PUD-sized) range of the vma; the vma spans two such ranges: {@code pud} for the first,
     * where every scenario faults, and {@code pud1} for the second, where the rmap scenario's page
     * is mapped (in the kernel: file pages 512 to 1023 of 2 MB each).
     */
    static final class Vma {
        final String mm;
        final Ptr<PmdPage> pud = new Ptr<>();
        final Ptr<PmdPage> pud1 = new Ptr<>();
        /** In the file's i_mmap tree (cleared by munmap's unlink_file_vma(), under i_mmap_rwsem for write). */
        final Word linked = new Word(1);
        final VmaLock vmaLock;

        Vma(String mm) {
            this.mm = mm;
            this.vmaLock = new VmaLock(mm);
            vmaLock.vma.setPlain(this);
        }

        @Override
        public String toString() {
            return mm;
        }
    }

    static final int PAGES = 2;

    /** An EnumSet (deterministic iteration, as Lincheck's replay needs). */
    private final EnumSet<Bug> bugs;
    final RwSemaphore iMmapRwsem = new RwSemaphore("i_mmap_rwsem");
    /** hugetlb_fault_mutex_table: one mutex per hash of (mapping, index); here one per index. */
    private final Mutex[] faultMutexTable = {new Mutex("hugetlb_fault_mutex", "hugetlb_fault_mutex[0]"),
        new Mutex("hugetlb_fault_mutex", "hugetlb_fault_mutex[1]")};
    private final Word pmdIds = new Word(100);
    final List<Vma> vmas = new ArrayList<>();
    /** i_size in huge pages: faults past it fail, truncation lowers it first. */
    final Word iSize = new Word(PAGES);

    HugetlbFile(EnumSet<Bug> bugs, String... mms) {
        this.bugs = EnumSet.copyOf(bugs);
        for (String mm : mms) {
            vmas.add(new Vma(mm));
        }
    }

    private boolean has(Bug b) {
        return bugs.contains(b);
    }

    /** Set-up: these vmas share one PMD page (as after earlier faults found it in huge_pmd_share()). */
    PmdPage share(Vma... sharing) {
        PmdPage p = new PmdPage(pmdIds.incReturn(), PAGES);
        p.shareCount.setPlain(sharing.length);
        for (Vma v : sharing) {
            v.pud.setPlain(p);
        }
        return p;
    }

    /** Set-up: these vmas share one PMD page in their second PUD range, {@code page} mapped at its first entry. */
    PmdPage shareSecondRange(Object page, Vma... sharing) {
        PmdPage p = new PmdPage(pmdIds.incReturn(), PAGES);
        p.shareCount.setPlain(sharing.length);
        p.ptes[0].setPlain(page);
        for (Vma v : sharing) {
            v.pud1.setPlain(p);
        }
        return p;
    }

    // ------------------------------------------------------------------ vma lock (mm/hugetlb.c)

    void hugetlbVmaLockRead(Vma vma) {
        vma.vmaLock.rwSema.downRead();
    }

    void hugetlbVmaUnlockRead(Vma vma) {
        vma.vmaLock.rwSema.upRead();
    }

    void hugetlbVmaLockWrite(Vma vma) {
        vma.vmaLock.rwSema.downWrite();
    }

    void hugetlbVmaUnlockWrite(Vma vma) {
        vma.vmaLock.rwSema.upWrite();
    }

    boolean hugetlbVmaTrylockWrite(Vma vma) {
        return vma.vmaLock.rwSema.downWriteTrylock();
    }

    // ------------------------------------------------------------------ fault

    /**
     * hugetlb_fault(): map the file's huge page at {@code idx} into {@code vma}. The lock order is
     * the era's: v5.7 to v6.0 (c0d0381ade79) took i_mmap_rwsem (read) and ran huge_pte_alloc()
     * before the fault mutex; v6.1 (40549ba8f8e0) takes the fault mutex, then the vma lock (read),
     * then huge_pte_alloc().
     */
    void hugetlbFault(Vma vma, int idx, Object page) {
        Mutex faultMutex = faultMutexTable[idx];
        if (!has(Bug.NO_FAULT_SYNC) && has(Bug.NO_VMA_LOCK)) {
            iMmapRwsem.downRead(); // c0d0381ade79: i_mmap_lock_read(), before the fault mutex
        }
        faultMutex.mutexLock();
        if (!has(Bug.NO_VMA_LOCK)) {
            hugetlbVmaLockRead(vma); // 40549ba8f8e0: the vma lock instead
        }
        try {
            if (idx >= iSize.readOnce()) {
                return; // past i_size: SIGBUS
            }
            PmdPage ptep = hugePteAlloc(vma);
            Kernel.udelay(100); // allocate and clear the huge page
            ptep.ptl.spinLock();
            if (vma.pud.oracle() != ptep) { // the checker's look at the vma's page table, not a kernel load
                ptep.ptl.spinUnlock();
                throw new InvariantViolation("STALE_PTEP_WRITE", vma + "'s fault writes through a ptep in " + ptep
                        + ", which was unshared from " + vma + " meanwhile: the entry lands in another mm's page table");
            }
            ptep.ptes[idx].writeOnce(page);
            ptep.ptl.spinUnlock();
        } finally {
            if (!has(Bug.NO_VMA_LOCK)) {
                hugetlbVmaUnlockRead(vma);
            }
            faultMutex.mutexUnlock();
            if (!has(Bug.NO_FAULT_SYNC) && has(Bug.NO_VMA_LOCK)) {
                iMmapRwsem.upRead();
            }
        }
    }

    /** huge_pte_alloc(): this mm's PMD page, shared from another vma by huge_pmd_share() if it has none. */
    private PmdPage hugePteAlloc(Vma vma) {
        PmdPage p = vma.pud.readOnce();
        if (p != null) {
            return p;
        }
        return hugePmdShare(vma);
    }

    /** huge_pmd_share(): find a sibling's PMD page under i_mmap_rwsem (read) and share it. */
    private PmdPage hugePmdShare(Vma vma) {
        boolean takeIMmap = true;
        if (!has(Bug.NO_FAULT_SYNC) && has(Bug.NO_VMA_LOCK)) {
            takeIMmap = false; // c0d0381ade79: the fault holds it already; a read is not recursive
        }
        if (has(Bug.PMD_SHARE_RETAKES_I_MMAP)) {
            takeIMmap = true; // a second down_read(): a writer queued in between holds it back
        }
        if (takeIMmap) {
            iMmapRwsem.downRead();
        }
        try {
            for (Vma sibling : vmas) {
                PmdPage p = sibling.pud.readOnce();
                if (sibling != vma && p != null) {
                    p.shareCount.incReturn();
                    vma.pud.writeOnce(p);
                    return p;
                }
            }
            PmdPage fresh = new PmdPage(pmdIds.incReturn(), PAGES);
            vma.pud.writeOnce(fresh);
            return fresh;
        } finally {
            if (takeIMmap) {
                iMmapRwsem.upRead();
            }
        }
    }

    // ------------------------------------------------------------------ unshare and unmap

    /**
     * huge_pmd_unshare(): called with the PMD page's page-table lock held, i_mmap_rwsem (write) and,
     * from v6.1, the vma lock held (i_mmap_assert_write_locked(), and hugetlb_vma_assert_locked()
     * added by 40549ba8f8e0).
     */
    boolean hugePmdUnshare(Vma vma, PmdPage p) {
        return hugePmdUnshare(vma, vma.pud, p);
    }

    /** huge_pmd_unshare() of the PMD page {@code pud} (one of the vma's PUD slots) points to. */
    private boolean hugePmdUnshare(Vma vma, Ptr<PmdPage> pud, PmdPage p) {
        if (!iMmapRwsem.writeLockedBy(Kernel.current())) {
            throw new KernelBug("NOT_HELD", "huge_pmd_unshare() without i_mmap_rwsem held for write");
        }
        if (!has(Bug.NO_VMA_LOCK) && !vma.vmaLock.rwSema.writeLockedBy(Kernel.current())) {
            throw new KernelBug("NOT_HELD", "huge_pmd_unshare() without " + vma + "'s hugetlb_vma_lock held");
        }
        p.ptl.lockdepAssertHeld();
        if (p.shareCount.readOnce() <= 1) {
            return false;
        }
        pud.writeOnce(null); // pud_clear(): this mm no longer uses the shared PMD page
        p.shareCount.decReturn();
        return true;
    }

    /**
     * __unmap_hugepage_range() (munmap, mprotect's hugetlb_change_protection() alike): vma lock
     * (write) before i_mmap_rwsem (write); then, under the PMD page's lock (huge_pte_lock()),
     * unshare it, or clear the entries if it is not shared.
     */
    void unmapHugepageRange(Vma vma) {
        if (!has(Bug.NO_VMA_LOCK)) {
            hugetlbVmaLockWrite(vma);
        }
        iMmapRwsem.downWrite();
        PmdPage p = vma.pud.readOnce(); // huge_pte_offset()
        if (p != null) {
            p.ptl.spinLock(); // huge_pte_lock()
            if (!hugePmdUnshare(vma, p)) {
                for (Ptr<Object> pte : p.ptes) {
                    pte.writeOnce(null); // huge_ptep_get_and_clear()
                }
            }
            p.ptl.spinUnlock();
        }
        iMmapRwsem.upWrite();
        if (!has(Bug.NO_VMA_LOCK)) {
            hugetlbVmaUnlockWrite(vma);
        }
    }

    /**
     * try_to_unmap() of {@code page}, mapped at the first entry of the vmas' second PUD range, with
     * the rmap lock held (TTU_RMAP_LOCKED: i_mmap_rwsem for write), as v6.1's memory failure calls
     * it for a hugetlb page. rmap_walk_file() calls try_to_unmap_one() for each vma of the file; its
     * {@code while (page_vma_mapped_walk(&pvmw))} finds the page first: huge_pte_offset() (no PMD
     * page there: nothing to do in this vma), huge_pte_lock(), check_pte() (the entry must map the
     * page). Only then, with the page-table lock held, may it try the vma lock; on failure it
     * returns false ({@code ret = false; break;}) and the walk stops, leaving the page mapped for the
     * caller to cope with. With the lock, huge_pmd_unshare() ends this vma's walk if the PMD page is
     * shared; if not, the vma lock is dropped and the entry cleared (huge_ptep_clear_flush()).
     * {@link Bug#BLOCKING_VMA_LOCK_IN_RMAP} is the buggy form that waits for the vma lock instead;
     * it could not sleep under the page-table lock, so it drops it around the wait. Returns
     * try_to_unmap()'s answer: true when no vma gave up.
     */
    boolean tryToUnmap(Object page) {
        iMmapRwsem.downWrite();
        boolean ret = true;
        for (Vma vma : vmas) {
            PmdPage p = vma.pud1.readOnce(); // huge_pte_offset()
            if (p == null) {
                continue; // page_vma_mapped_walk() found nothing: no vma lock is tried
            }
            p.ptl.spinLock(); // huge_pte_lock()
            if (p.ptes[0].readOnce() != page) { // check_pte()
                p.ptl.spinUnlock();
                continue;
            }
            if (has(Bug.BLOCKING_VMA_LOCK_IN_RMAP)) {
                p.ptl.spinUnlock();
                hugetlbVmaLockWrite(vma); // waits for a fault that holds it and wants i_mmap_rwsem: ABBA
                p.ptl.spinLock();
            } else if (!hugetlbVmaTrylockWrite(vma)) {
                p.ptl.spinUnlock(); // page_vma_mapped_walk_done()
                ret = false;
                break; // try_to_unmap_one() returned false: the walk stops
            }
            boolean unshared = hugePmdUnshare(vma, vma.pud1, p);
            hugetlbVmaUnlockWrite(vma);
            if (!unshared) {
                p.ptes[0].writeOnce(null); // huge_ptep_clear_flush()
            }
            p.ptl.spinUnlock();
        }
        iMmapRwsem.upWrite();
        return ret;
    }

    /** try_to_unmap()'s promise: when it returned true, no vma maps {@code page} any more. */
    void checkUnmapped(Object page, boolean unmapReturned) {
        if (!unmapReturned) {
            return; // it gave up on a busy vma lock: the page may stay mapped, the caller copes
        }
        for (Vma vma : vmas) {
            PmdPage p = vma.pud1.readOnce();
            if (p != null && p.ptes[0].readOnce() == page) {
                throw new InvariantViolation("STILL_MAPPED_AFTER_UNMAP", "try_to_unmap() returned true but " + page
                        + " is still mapped in " + vma + " (through " + p + ")");
            }
        }
    }

    // ------------------------------------------------------------------ truncation (fs/hugetlbfs/inode.c)

    /** hugetlbfs truncate to {@code size} pages: i_size first, then unmap, then remove the pages. */
    void truncate(int size) {
        iSize.writeOnce(size);
        iMmapRwsem.downWrite();
        hugetlbVmdeleteList(size);
        iMmapRwsem.upWrite();
        removeInodeHugepages(size);
    }

    /** hugetlb_vmdelete_list(): i_mmap_rwsem held; a vma whose lock cannot be taken is skipped. */
    private void hugetlbVmdeleteList(int from) {
        for (Vma vma : vmas) {
            if (vma.linked.readOnce() == 0) {
                continue; // not in i_mmap any more: vma_interval_tree_foreach() does not find it
            }
            if (!hugetlbVmaTrylockWrite(vma)) {
                continue; // contention: skip, remove_inode_hugepages() must catch what is left
            }
            unmapFrom(vma, from);
            hugetlbVmaUnlockWrite(vma);
        }
    }

    private static boolean unmapFrom(Vma vma, int from) {
        boolean any = false;
        PmdPage p = vma.pud.readOnce();
        if (p != null) {
            for (int i = from; i < p.ptes.length; i++) {
                if (p.ptes[i].readOnce() != null) {
                    p.ptes[i].writeOnce(null);
                    any = true;
                }
            }
        }
        return any;
    }

    private boolean mappedFrom(int from) {
        for (Vma vma : vmas) {
            PmdPage p = vma.pud.readOnce();
            if (p != null) {
                for (int i = from; i < p.ptes.length; i++) {
                    if (p.ptes[i].readOnce() != null) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** remove_inode_hugepages(): under the fault mutex, a page still mapped is unmapped (or, buggy, left). */
    private void removeInodeHugepages(int from) {
        for (int idx = from; idx < PAGES; idx++) {
            Mutex faultMutex = faultMutexTable[idx]; // serialises with faults on this index only
            faultMutex.mutexLock();
            if (mappedFrom(idx) && !has(Bug.NO_UNMAP_FILE_FOLIO_FALLBACK)) {
                hugetlbUnmapFileFolio(idx);
            }
            faultMutex.mutexUnlock();
        }
    }

    /**
     * hugetlb_unmap_file_folio(): i_mmap_rwsem (write); for each vma try its lock; on contention take
     * a reference on that vma's lock, drop i_mmap_rwsem, take the vma lock (write) and i_mmap_rwsem
     * again in the right order, check the vma still exists, unmap, and retry.
     */
    private void hugetlbUnmapFileFolio(int from) {
        for (;;) {
            VmaLock contended = null;
            iMmapRwsem.downWrite();
            for (Vma vma : vmas) {
                if (vma.linked.readOnce() == 0) {
                    continue; // unlinked from i_mmap: not found by the walk
                }
                if (!hugetlbVmaTrylockWrite(vma)) {
                    contended = vma.vmaLock;
                    contended.refs.incReturn(); // kref_get(&vma_lock->refs): it outlives the dropped lock
                    break;
                }
                unmapFrom(vma, from);
                hugetlbVmaUnlockWrite(vma);
            }
            iMmapRwsem.upWrite();
            if (contended == null) {
                return;
            }
            checkNotFreed(contended);         // the reference must keep it alive ...
            contended.rwSema.downWrite();     // vma_lock first ...
            checkNotFreed(contended);         // ... also while the fallback waited for it
            iMmapRwsem.downWrite();           // ... then i_mmap_rwsem: the documented order
            Vma vma = contended.vma.readOnce();
            if (vma != null) {                // the vma may have gone while no lock was held
                unmapFrom(vma, from);
            }
            iMmapRwsem.upWrite();
            contended.rwSema.upWrite();
            vmaLockPut(contended);            // kref_put()
        }
    }

    /** The checker's look (not a kernel load): a vma lock the fallback uses must not have been freed. */
    private static void checkNotFreed(VmaLock lock) {
        if (lock.freed.oracle() != 0) {
            throw new InvariantViolation("USE_AFTER_FREE", "hugetlb_unmap_file_folio() uses a vma lock that was freed"
                    + " after it dropped i_mmap_rwsem (the vma went away meanwhile)");
        }
    }

    /** kref_put(&vma_lock->refs, hugetlb_vma_lock_release): the last reference frees it. */
    private static void vmaLockPut(VmaLock lock) {
        if (lock.refs.decReturn() == 0) {
            lock.freed.writeOnce(1);
        }
    }

    /**
     * munmap() of the whole vma, v6.1: unmap its pages (vma lock, then i_mmap_rwsem, both for
     * write), unlink it from i_mmap (unlink_file_vma(), i_mmap_rwsem for write), then close it:
     * hugetlb_vm_op_close() -> hugetlb_vma_lock_free(): down_write() of the vma lock, then
     * __hugetlb_vma_unlock_write_put() clears {@code vma_lock->vma} under it, unlocks, and drops the
     * vma's reference. A truncation that took its own reference on the lock keeps the structure
     * alive, and finds {@code vma == NULL} when it gets the lock.
     */
    void unmapVma(Vma vma) {
        unmapHugepageRange(vma);
        iMmapRwsem.downWrite();
        vma.linked.writeOnce(0);
        iMmapRwsem.upWrite();
        VmaLock lock = vma.vmaLock;
        lock.rwSema.downWrite();
        lock.vma.writeOnce(null);
        lock.rwSema.upWrite();
        vmaLockPut(lock);
    }

    /** The truncation invariant: after truncate returns, nothing past the new end is mapped. */
    void checkTruncated(int size) {
        if (mappedFrom(size)) {
            throw new InvariantViolation("PAGE_STILL_MAPPED", "a page past the new end of the file is still mapped"
                    + " after truncation returned (its vma lock was contended and skipped)");
        }
    }
}
