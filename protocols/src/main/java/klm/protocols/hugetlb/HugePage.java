package klm.protocols.hugetlb;

import klm.kernel.Ptr;

/**
 * struct page of a huge page, the parts the freeing paths use: {@code mapping}, which the deferred
 * free list reuses as its link (seed 003: "the page-&gt;mapping pointer is going to be cleared in
 * __free_huge_page() anyway"), and, for the invariant only, where the page is.
 */
final class HugePage {
    /** Where a page is; exactly one place at any time (the pool invariant). */
    enum Where { IN_USE, DEFERRED, FREE, FREED_TO_BUDDY }

    final int id;
    final int nid;
    final boolean surplus;
    /** page-&gt;mapping: NULL, NEXT_PENDING, or the next page on the deferred list. */
    final Ptr<Object> mapping = new Ptr<>();
    /** Ghost state for the invariant (not kernel state). */
    Where where = Where.IN_USE;

    HugePage(int id, int nid, boolean surplus) {
        this.id = id;
        this.nid = nid;
        this.surplus = surplus;
    }

    @Override
    public String toString() {
        return "page" + id;
    }
}
