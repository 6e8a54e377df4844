package klm.protocols.mmunotifier;

import java.util.ArrayList;
import java.util.List;

/**
 * include/linux/interval_tree.h, simplified: a binary search tree on {@code start} (not balanced:
 * the scenarios hold a handful of ranges), augmented with each subtree's largest {@code last} so a
 * range walk skips subtrees that cannot intersect. Nodes are embedded in their owner (as
 * {@code interval_sub->interval_tree} is), so every node visit {@link Node#touch() touches} the
 * owner: a freed subscription still reachable from the tree is a use-after-free, not a silent read.
 *
 * <p>Not thread-safe, as in the kernel: writers hold {@code subscriptions->lock}; walkers either hold
 * it or rely on {@code active_invalidate_ranges} holding back every writer (the deferred list).
 */
final class IntervalTree<N extends IntervalTree.Node> {
    abstract static class Node {
        final long start;
        final long last;
        long subtreeLast;
        Node left;
        Node right;
        /** RB_EMPTY_NODE(): not in a tree. */
        boolean empty = true;

        Node(long start, long last) {
            this.start = start;
            this.last = last;
        }

        /** Called on every visit: a freed owner throws (KASAN's report). */
        abstract void touch();

        final boolean rbEmptyNode() {
            touch();
            return empty;
        }

        final boolean intersects(long s, long l) {
            return start <= l && s <= last;
        }
    }

    private Node root;

    /** interval_tree_insert(). */
    void insert(N n) {
        n.touch();
        n.left = null;
        n.right = null;
        n.subtreeLast = n.last;
        n.empty = false;
        root = insert(root, n);
    }

    private static Node insert(Node at, Node n) {
        if (at == null) {
            return n;
        }
        at.touch();
        if (n.start < at.start) {
            at.left = insert(at.left, n);
        } else {
            at.right = insert(at.right, n);
        }
        fix(at);
        return at;
    }

    /** interval_tree_remove(). */
    void remove(N n) {
        n.touch();
        root = remove(root, n);
        n.left = null;
        n.right = null;
        n.empty = true;
    }

    private static Node remove(Node at, Node n) {
        if (at == null) {
            throw new IllegalStateException("interval_tree_remove: node not in the tree");
        }
        at.touch();
        if (at == n) {
            if (at.left == null) {
                return at.right;
            }
            if (at.right == null) {
                return at.left;
            }
            Node min = at.right;
            while (min.left != null) {
                min.touch();
                min = min.left;
            }
            Node right = remove(at.right, min); // equal starts go right, so min keeps the order
            min.left = at.left;
            min.right = right;
            fix(min);
            return min;
        }
        if (n.start < at.start) {
            at.left = remove(at.left, n);
        } else {
            at.right = remove(at.right, n);
        }
        fix(at);
        return at;
    }

    private static void fix(Node n) {
        long m = n.last;
        if (n.left != null && n.left.subtreeLast > m) {
            m = n.left.subtreeLast;
        }
        if (n.right != null && n.right.subtreeLast > m) {
            m = n.right.subtreeLast;
        }
        n.subtreeLast = m;
    }

    /** interval_tree_iter_first(): the first node, in start order, intersecting [start, last]. */
    N iterFirst(long start, long last) {
        List<N> all = overlapping(start, last);
        return all.isEmpty() ? null : all.get(0);
    }

    /** interval_tree_iter_next(): the node after {@code node} in start order intersecting [start, last]. */
    N iterNext(N node, long start, long last) {
        List<N> all = overlapping(start, last);
        int i = all.indexOf(node);
        return i < 0 || i + 1 >= all.size() ? null : all.get(i + 1);
    }

    /** Every node intersecting [start, last], in order; subtrees whose largest last is below start are skipped. */
    List<N> overlapping(long start, long last) {
        List<N> out = new ArrayList<>();
        walk(root, start, last, out);
        return out;
    }

    @SuppressWarnings("unchecked")
    private void walk(Node at, long start, long last, List<N> out) {
        if (at == null) {
            return;
        }
        at.touch();
        if (at.subtreeLast < start) {
            return;
        }
        walk(at.left, start, last, out);
        if (at.intersects(start, last)) {
            out.add((N) at);
        }
        if (at.start <= last) {
            walk(at.right, start, last, out);
        }
    }

    boolean isEmpty() {
        return root == null;
    }
}
