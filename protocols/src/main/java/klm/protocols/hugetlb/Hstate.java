package klm.protocols.hugetlb;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

import klm.kernel.Kernel;
import klm.kernel.KernelBug;
import klm.kernel.Mutex;
import klm.kernel.Ptr;
import klm.kernel.SpinLock;
import klm.kernel.Waits;
import klm.kernel.Word;
import klm.kernel.WorkStruct;
import klm.kernel.Workqueue;
import klm.scenario.InvariantViolation;

/**
 * A huge page pool (struct hstate) and the paths that free into it, in the shape of each era
 * (mm/hugetlb.c; the page: klm/pages/hugetlb-free.md). The {@link Bug} constants a variant has pick
 * how free_huge_page() and the task-context paths lock, whether and how the free is deferred, and
 * whether the per-hstate resize_lock exists.
 */
final class Hstate {
    /** #define NEXT_PENDING ((struct page *)-1). */
    static final Object NEXT_PENDING = new Object() {
        @Override
        public String toString() {
            return "NEXT_PENDING";
        }
    };

    static final int NODES = 2;

    /** An EnumSet (deterministic iteration, as Lincheck's replay needs). */
    private final EnumSet<Bug> bugs;

    final SpinLock hugetlbLock = new SpinLock("hugetlb_lock");
    // protected by hugetlb_lock
    private final ArrayDeque<HugePage> hugepageFreelist = new ArrayDeque<>();
    private int nrHugePages;
    private int freeHugePages;
    private int surplusHugePages;
    /** hugepage_subpool: its own lock and the pages it has handed out. */
    final SpinLock spoolLock = new SpinLock("spool->lock");
    private int spoolUsedHpages;
    /** Per-hstate resize_lock (2938396771c8, v5.13). */
    private final Mutex resizeLock = new Mutex("resize_lock");
    /** h->next_nid_to_alloc, kept as a round-robin counter (nid = counter % NODES); plain RMW as in the kernel. */
    private final Word nextNidToAlloc = new Word();
    /** Ghost: which round-robin slots have been handed out (a slot handed out twice means a corrupted counter). */
    private final Word slotsTaken = new Word();

    // deferred freeing (seed 003 / v5.5)
    /** hpage_freelist: a singly linked list through page-&gt;mapping (xchg or llist). */
    final Ptr<HugePage> hpageFreelist = new Ptr<>();
    final Workqueue events = new Workqueue("events");
    final WorkStruct freeHpageWork = new WorkStruct("free_hpage_work", this::freeHpageWorkfn);

    /** Ghost registry of every page the pool ever had, for the invariant. */
    private final List<HugePage> allPages = new ArrayList<>();
    private int nextPageId;

    Hstate(EnumSet<Bug> bugs) {
        this.bugs = EnumSet.copyOf(bugs);
    }

    private boolean has(Bug b) {
        return bugs.contains(b);
    }

    // ------------------------------------------------------------------ set-up (single-threaded)

    /** A page in the pool, in use by a task and charged to the subpool. */
    HugePage inUsePage(boolean surplus) {
        HugePage p = newPage(nextPageId % NODES, surplus);
        nrHugePages++;
        if (surplus) {
            surplusHugePages++;
        }
        spoolUsedHpages++;
        return p;
    }

    /** A free page in the pool. */
    HugePage freePage() {
        HugePage p = newPage(nextPageId % NODES, false);
        nrHugePages++;
        enqueueHugePage(p);
        return p;
    }

    private HugePage newPage(int nid, boolean surplus) {
        HugePage p = new HugePage(nextPageId++, nid, surplus);
        allPages.add(p);
        return p;
    }

    // ------------------------------------------------------------------ lock forms per era

    /** How set_max_huge_pages(), a task-context path, takes hugetlb_lock: spin_lock_irq from v5.13 on. */
    private void lockSetMaxHugePages() {
        if (has(Bug.PLAIN_LOCKS) || has(Bug.SET_MAX_HUGE_PAGES_NOT_CONVERTED)) {
            hugetlbLock.spinLock();
        } else {
            hugetlbLock.spinLockIrq(); // db71ef79b59b
        }
    }

    private void unlockSetMaxHugePages() {
        if (has(Bug.PLAIN_LOCKS) || has(Bug.SET_MAX_HUGE_PAGES_NOT_CONVERTED)) {
            hugetlbLock.spinUnlock();
        } else {
            hugetlbLock.spinUnlockIrq();
        }
    }

    /** How free_huge_page() takes a lock: spin_lock_irqsave from v5.13 on (it may run in any context). */
    private long lockAnyContext(SpinLock lock) {
        if (has(Bug.PLAIN_LOCKS)) {
            lock.spinLock();
            return 0;
        } else {
            return lock.spinLockIrqsave(); // db71ef79b59b
        }
    }

    private void unlockAnyContext(SpinLock lock, long flags) {
        if (has(Bug.PLAIN_LOCKS)) {
            lock.spinUnlock();
        } else {
            lock.spinUnlockIrqrestore(flags);
        }
    }

    // ------------------------------------------------------------------ freeing

    /** free_huge_page(): the last put_page() of a huge page, from any context. */
    void freeHugePage(HugePage page) {
        if (has(Bug.DEFERRED_FREE)) {
            // "Defer freeing if in non-task context to avoid hugetlb_lock deadlock."
            if (!Kernel.inTask()) {
                deferFree(page);
                return;
            }
        }
        if (has(Bug.NEXT_PENDING_LIST) && !has(Bug.NO_NEXT_PENDING_MARKER)) {
            // "Racing may prevent some deferred huge pages ... from being freed."
            if (hpageFreelist.readOnce() != null && !freeHpageWork.workPending()) {
                events.queueWork(freeHpageWork);
            }
        }
        __freeHugePage(page);
    }

    private void deferFree(HugePage page) {
        page.where = HugePage.Where.DEFERRED;
        if (has(Bug.NEXT_PENDING_LIST)) {
            if (!has(Bug.NO_NEXT_PENDING_MARKER)) {
                page.mapping.setPlain(NEXT_PENDING); // not yet visible: the xchg's barrier publishes it
            }
            HugePage next = hpageFreelist.xchg(page);
            Kernel.interruptPoint(); // an interrupt may land between publishing the page and linking it
            page.mapping.writeOnce(next);
            events.queueWork(freeHpageWork);
        } else {
            if (llistAdd(page)) {
                events.queueWork(freeHpageWork); // only when the list was empty
            }
        }
    }

    /** llist_add(): link, then publish with cmpxchg; true if the list was empty. */
    private boolean llistAdd(HugePage page) {
        for (;;) {
            HugePage first = hpageFreelist.readOnce();
            page.mapping.setPlain(first);
            if (hpageFreelist.tryCmpxchg(first, page)) {
                return first == null;
            }
        }
    }

    /** free_hpage_workfn(): the deferred frees, in task context on a kworker. */
    void freeHpageWorkfn() {
        if (!has(Bug.NEXT_PENDING_LIST)) {
            HugePage node = hpageFreelist.xchg(null); // llist_del_all()
            while (node != null) {
                HugePage page = node;
                node = (HugePage) page.mapping.readOnce();
                __freeHugePage(page);
            }
            return;
        }
        do {
            HugePage curr = hpageFreelist.xchg(null);
            if (curr == null) {
                break;
            }
            while (curr != null) {
                Object next = curr.mapping.readOnce();
                if (next == NEXT_PENDING) {
                    HugePage pending = curr;
                    // cpu_relax(): the producer is between its xchg and its WRITE_ONCE
                    Waits.cpuRelax(() -> pending.mapping.readOnce() != NEXT_PENDING, "page->mapping != NEXT_PENDING");
                    continue;
                }
                __freeHugePage(curr);
                curr = (HugePage) next;
            }
            // Verbatim from the v2 patch: loops while the list is EMPTY, so in effect one pass; pages
            // that arrive meanwhile rely on their producer's schedule_work() re-queueing the work.
        } while (hpageFreelist.readOnce() == null);
    }

    /** __free_huge_page(): back to the pool, or, for a surplus page, out of it. */
    private void __freeHugePage(HugePage page) {
        long f = lockAnyContext(spoolLock); // hugepage_subpool_put_pages(spool, 1)
        spoolUsedHpages--;
        unlockAnyContext(spoolLock, f);

        long flags = lockAnyContext(hugetlbLock);
        Kernel.interruptPoint();
        if (page.where != HugePage.Where.IN_USE && page.where != HugePage.Where.DEFERRED) {
            unlockAnyContext(hugetlbLock, flags);
            throw new KernelBug("DOUBLE_FREE", page + " freed again while " + page.where);
        }
        page.mapping.setPlain(null);
        if (page.surplus) {
            removeHugetlbPage(page, true);
            if (has(Bug.PLAIN_LOCKS)) {
                updateAndFreePage(page);
                unlockAnyContext(hugetlbLock, flags);
            } else {
                unlockAnyContext(hugetlbLock, flags);
                updateAndFreePage(page); // 1121828a0c21: the expensive part without hugetlb_lock
            }
            return;
        }
        enqueueHugePage(page);
        unlockAnyContext(hugetlbLock, flags);
    }

    /** enqueue_huge_page(). */
    private void enqueueHugePage(HugePage page) {
        hugepageFreelist.addLast(page);
        freeHugePages++;
        page.where = HugePage.Where.FREE;
    }

    /** remove_hugetlb_page() (6eb4e88a6d27): out of the pool's lists and counters, hugetlb_lock held. */
    private void removeHugetlbPage(HugePage page, boolean adjustSurplus) {
        hugetlbLock.lockdepAssertHeld();
        if (page.where == HugePage.Where.FREE) {
            hugepageFreelist.remove(page);
            freeHugePages--;
        }
        if (adjustSurplus) {
            surplusHugePages--;
        }
        nrHugePages--;
    }

    /** update_and_free_page(): give the page back to the buddy allocator. */
    private void updateAndFreePage(HugePage page) {
        Kernel.udelay(50); // destroy the compound page, free it: the expensive part
        page.where = HugePage.Where.FREED_TO_BUDDY;
    }

    // ------------------------------------------------------------------ pool size (nr_hugepages)

    /** hstate_next_node_to_alloc(): a plain read-modify-write of h-&gt;next_nid_to_alloc. */
    private int hstateNextNodeToAlloc() {
        int slot = nextNidToAlloc.plain();
        nextNidToAlloc.setPlain(slot + 1);
        takeSlot(slot);
        return slot % NODES;
    }

    /** Ghost check: each round-robin slot goes to one allocation; a slot taken twice is a page on the wrong node. */
    private void takeSlot(int slot) {
        int bit = 1 << Math.min(slot, 30);
        for (;;) {
            int taken = slotsTaken.readOnce();
            if ((taken & bit) != 0) {
                throw new InvariantViolation("WRONG_NODE", "next_nid_to_alloc slot " + slot
                        + " handed out twice: two resizes read it before either wrote it back");
            }
            if (slotsTaken.cmpxchg(taken, taken | bit) == taken) {
                return;
            }
        }
    }

    /** alloc_pool_huge_page(): a fresh page on the next node, allocated without hugetlb_lock. */
    private HugePage allocPoolHugePage() {
        int nid = hstateNextNodeToAlloc();
        Kernel.udelay(100); // alloc_fresh_huge_page(): slow, hence done without the spin lock
        synchronized (allPages) {
            HugePage p = new HugePage(nextPageId++, nid, false);
            allPages.add(p);
            p.where = HugePage.Where.FREED_TO_BUDDY; // not in the pool until prep_new_huge_page()
            return p;
        }
    }

    /**
     * set_max_huge_pages(): the nr_hugepages sysfs store. Drops hugetlb_lock to allocate; without
     * resize_lock two of these interleave. This is the task-context path that
     * {@link Bug#SET_MAX_HUGE_PAGES_NOT_CONVERTED} leaves on plain spin_lock.
     */
    void setMaxHugePages(int count) {
        if (!has(Bug.NO_RESIZE_LOCK)) {
            resizeLock.mutexLock(); // 2938396771c8
        }
        lockSetMaxHugePages();
        Kernel.interruptPoint();
        while (count > nrHugePages) {
            unlockSetMaxHugePages();
            HugePage page = allocPoolHugePage();
            lockSetMaxHugePages();
            nrHugePages++; // prep_new_huge_page()
            enqueueHugePage(page);
        }
        while (count < nrHugePages && !hugepageFreelist.isEmpty()) {
            HugePage page = hugepageFreelist.peekFirst(); // remove_pool_huge_page()
            removeHugetlbPage(page, false);
            page.where = HugePage.Where.FREED_TO_BUDDY;
            Kernel.interruptPoint(); // cond_resched_lock(): the lock is held, interrupts may come
        }
        unlockSetMaxHugePages();
        if (!has(Bug.NO_RESIZE_LOCK)) {
            resizeLock.mutexUnlock();
        }
    }

    // ------------------------------------------------------------------ the invariant

    /**
     * After all deferred work is flushed: every page in exactly one place, counters equal to the
     * lists, the subpool's count equal to the pages in use, and nothing left on the deferred list.
     */
    void checkPool(int expectedNr) {
        events.runPending(); // flush_work(&free_hpage_work): what was deferred is freed now
        int inUse = 0;
        int free = 0;
        for (HugePage p : allPages) {
            switch (p.where) {
                case IN_USE -> inUse++;
                case FREE -> free++;
                case DEFERRED -> throw new InvariantViolation("PAGE_LOST", p + " was freed from interrupt context but never"
                        + " reached the pool: the deferred list lost it");
                default -> { }
            }
        }
        if (free != hugepageFreelist.size() || free != freeHugePages) {
            throw new InvariantViolation("COUNTERS", "free_huge_pages=" + freeHugePages + ", free list holds "
                    + hugepageFreelist.size() + ", pages marked free " + free);
        }
        if (nrHugePages != inUse + free) {
            throw new InvariantViolation("COUNTERS", "nr_huge_pages=" + nrHugePages + " but " + (inUse + free) + " pages in the pool");
        }
        if (spoolUsedHpages != inUse) {
            throw new InvariantViolation("COUNTERS", "subpool used_hpages=" + spoolUsedHpages + " but " + inUse + " pages in use");
        }
        if (expectedNr >= 0 && nrHugePages != expectedNr) {
            throw new InvariantViolation("POOL_SIZE", "nr_huge_pages=" + nrHugePages + ", asked for " + expectedNr);
        }
    }
}
