package klm.explorer.memory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The order of full barriers under {@link Ra}, checked instead of enumerated: the full barriers of
 * one execution as a graph whose edges are the orders the execution forces, which must stay
 * acyclic (then some total order of the barriers, the one the views model's global fence view
 * would have followed, extends it).
 *
 * <p>A barrier {@code (c, s)} is CPU c's s-th full barrier (from 1); it keeps its <em>pre-view</em>,
 * its CPU's view when it ran. The edges:
 * <ul>
 *   <li>program order: {@code (c, s)} before {@code (c, s+1)} (implicit);</li>
 *   <li>causality: a barrier after every barrier its CPU has heard of through program order and
 *       reads-from, even relaxed ({@code porf}): the schedule ran that barrier first;</li>
 *   <li>what an access forces: an access of location x by a CPU whose view holds barriers K
 *       (what it has heard of through happens-before), reading or writing a write older in x's
 *       coherence order than one a barrier F of another CPU had seen when it ran (F's pre-view
 *       past it), needs every barrier of K before F: with F before one of them, the access's view
 *       would have held F's pre-view through the global fence view, which rules that write out.
 *       An access records these edges when it runs, against the barriers already run; a barrier
 *       records them when it runs, against the accesses already run.</li>
 * </ul>
 * An access is offered only where its edges keep the graph acyclic ({@link #allows}); an
 * execution is therefore one in which some order of its full barriers explains every read and
 * every write's place. Which accesses and barriers ran first does not change the edges an
 * execution ends with, only when they are recorded: that is why the DPOR needs no race between
 * two barriers.
 */
final class FenceGraph {
    /** A full barrier: its CPU's view when it ran, and the barriers recorded to come after it (packed). */
    private static final class Node {
        final int[] pre;
        int[] after = new int[2];
        int afterCount;

        Node(int[] pre) {
            this.pre = pre;
        }

        void addAfter(int packed) {
            for (int i = 0; i < afterCount; i++) {
                if (after[i] == packed) {
                    return;
                }
            }
            if (afterCount == after.length) {
                after = Arrays.copyOf(after, afterCount * 2);
            }
            after[afterCount++] = packed;
        }
    }

    /**
     * An access that ran: location, the write it read or made and where it was then (it only
     * moves up), its CPU and the barriers its view held then.
     */
    private record Access(int cpu, int id, Object msg, int index, int[] known) {}

    /** Where a message is in its location's coherence order now (writes go in before older ones, so it moves). */
    interface Places {
        int indexOf(int id, Object msg);
    }

    private final int cpus;
    private final List<List<Node>> nodes = new ArrayList<>();
    private final List<Access> accesses = new ArrayList<>();

    FenceGraph(int cpus) {
        this.cpus = cpus;
        for (int c = 0; c < cpus; c++) {
            nodes.add(new ArrayList<>());
        }
    }

    private static int pack(int cpu, int seq) {
        return cpu << 20 | seq;
    }

    private Node node(int packed) {
        return nodes.get(packed >>> 20).get((packed & 0xFFFFF) - 1);
    }

    /**
     * For each CPU, the first of its barriers whose pre-view at {@code id} is past {@code index}
     * ({@code strict}; else at or past it), among those after {@code known[cpu]}; 0 where none.
     */
    private int[] stale(int id, int index, boolean strict, int[] known) {
        int[] first = null;
        for (int e = 0; e < cpus; e++) {
            List<Node> list = nodes.get(e);
            int from = known == null ? 0 : known[e];
            for (int s = from; s < list.size(); s++) {
                int[] pre = list.get(s).pre;
                int at = id < pre.length ? pre[id] : 0;
                if (strict ? at > index : at >= index) {
                    if (first == null) {
                        first = new int[cpus];
                    }
                    first[e] = s + 1; // later barriers of e have seen at least as much
                    break;
                }
            }
        }
        return first;
    }

    /**
     * Whether an access of {@code id} by a CPU whose view holds barriers {@code known} (per CPU,
     * the newest, 0: none) may read the write now at {@code index} ({@code write} false) or go in
     * at {@code index} before the write there ({@code write} true): no barrier it would have to
     * come before already reaches one of {@code known}.
     */
    boolean allows(int id, int index, boolean write, int[] known) {
        int[] stale = stale(id, index, !write, known);
        return stale == null || !reaches(stale, known);
    }

    /**
     * Records the edges of an access {@link #allows} allowed, once it has run: CPU {@code cpu} read
     * or wrote message {@code msg}, now at {@code index} of {@code id}'s history (a write: after it
     * went in, so a barrier that had seen the write it went before has a pre-view past it).
     */
    void access(int cpu, int id, int index, Object msg, int[] known) {
        int[] stale = stale(id, index, true, known);
        if (stale != null) {
            for (int d = 0; d < cpus; d++) {
                if (known[d] == 0) {
                    continue;
                }
                Node from = node(pack(d, known[d]));
                for (int e = 0; e < cpus; e++) {
                    if (stale[e] != 0) {
                        from.addAfter(pack(e, stale[e]));
                    }
                }
            }
        }
        if (any(known)) {
            accesses.add(new Access(cpu, id, msg, index, known));
        }
    }

    private static boolean any(int[] v) {
        for (int x : v) {
            if (x != 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * CPU {@code c} runs a full barrier with view {@code pre} (a copy it keeps), having heard of
     * barriers {@code porf}: it comes after them, and after the barriers of every access already run
     * that its pre-view shows stale. Returns its number.
     */
    int barrier(int c, int[] pre, int[] porf, Places places) {
        Node n = new Node(pre);
        nodes.get(c).add(n);
        int me = pack(c, nodes.get(c).size());
        for (int d = 0; d < cpus; d++) {
            if (d != c && porf != null && d < porf.length && porf[d] != 0) {
                node(pack(d, porf[d])).addAfter(me);
            }
        }
        for (Access a : accesses) {
            if (a.cpu() == c || a.id() >= pre.length || pre[a.id()] <= a.index() || pre[a.id()] <= places.indexOf(a.id(), a.msg())) {
                continue;
            }
            for (int d = 0; d < cpus; d++) {
                if (a.known()[d] != 0 && d != c) {
                    node(pack(d, a.known()[d])).addAfter(me);
                }
            }
        }
        return nodes.get(c).size();
    }

    /** Every barrier's pre-view, for the history's renumbering when a write goes in before older ones. */
    void forEachPre(java.util.function.Consumer<int[]> f) {
        for (List<Node> list : nodes) {
            for (Node n : list) {
                f.accept(n.pre);
            }
        }
    }

    /** Whether some barrier in {@code from} (per CPU, the first; 0: none) reaches a barrier at or before {@code to}'s. */
    private boolean reaches(int[] from, int[] to) {
        int[] seen = new int[cpus]; // per CPU, the earliest barrier visited (0: none): later ones are reached through it
        ArrayDeque<Integer> work = new ArrayDeque<>();
        for (int e = 0; e < cpus; e++) {
            if (from[e] != 0) {
                seen[e] = from[e];
                work.add(pack(e, from[e]));
            }
        }
        while (!work.isEmpty()) {
            int p = work.poll();
            int e = p >>> 20;
            int s = p & 0xFFFFF;
            if (seen[e] != s) {
                continue; // an earlier barrier of e was visited since
            }
            if (to[e] != 0 && s <= to[e]) {
                return true;
            }
            // program order: every later barrier of e; their edges are visited from each
            List<Node> list = nodes.get(e);
            for (int t = s; t <= list.size(); t++) {
                Node n = list.get(t - 1);
                for (int i = 0; i < n.afterCount; i++) {
                    int q = n.after[i];
                    int qe = q >>> 20;
                    int qs = q & 0xFFFFF;
                    if (seen[qe] == 0 || qs < seen[qe]) {
                        seen[qe] = qs;
                        work.add(q);
                    }
                }
                if (t < list.size() && seen[e] != s) {
                    break;
                }
            }
        }
        return false;
    }
}
