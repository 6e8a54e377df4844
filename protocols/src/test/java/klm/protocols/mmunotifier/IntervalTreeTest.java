package klm.protocols.mmunotifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import klm.kernel.KernelBug;
import klm.protocols.mmunotifier.MmuNotifierSubscriptions.MmuIntervalNotifier;

/** The interval tree against a brute-force list: same nodes found by every range walk, in start order. */
class IntervalTreeTest {
    @Test
    void rangeWalksMatchBruteForceUnderRandomInsertsAndRemoves() {
        Random rnd = new Random(42);
        IntervalTree<MmuIntervalNotifier> tree = new IntervalTree<>();
        List<MmuIntervalNotifier> in = new ArrayList<>();
        for (int step = 0; step < 3000; step++) {
            if (in.isEmpty() || rnd.nextInt(3) > 0) {
                long s = rnd.nextInt(100);
                MmuIntervalNotifier n = new MmuIntervalNotifier("n" + step, s, s + rnd.nextInt(20));
                tree.insert(n);
                in.add(n);
            } else {
                MmuIntervalNotifier n = in.remove(rnd.nextInt(in.size()));
                tree.remove(n);
                assertTrue(n.rbEmptyNode());
            }
            long qs = rnd.nextInt(120);
            long ql = qs + rnd.nextInt(10);
            List<MmuIntervalNotifier> expected = in.stream().filter(n -> n.intersects(qs, ql))
                    .sorted(Comparator.comparingLong(n -> n.start)).toList();
            List<MmuIntervalNotifier> got = tree.overlapping(qs, ql);
            assertEquals(expected.size(), got.size(), "step " + step);
            assertEquals(expected.stream().map(n -> n.start).toList(), got.stream().map(n -> n.start).toList());
            assertTrue(got.containsAll(expected));
            MmuIntervalNotifier first = tree.iterFirst(qs, ql);
            int count = 0;
            for (MmuIntervalNotifier n = first; n != null; n = tree.iterNext(n, qs, ql)) {
                count++;
            }
            assertEquals(expected.size(), count);
        }
        assertEquals(in.isEmpty(), tree.isEmpty());
    }

    @Test
    void aFreedNodeStillInTheTreeIsAUseAfterFree() {
        IntervalTree<MmuIntervalNotifier> tree = new IntervalTree<>();
        MmuIntervalNotifier a = new MmuIntervalNotifier("a", 0, 0);
        tree.insert(a);
        a.kfree();
        KernelBug bug = assertThrows(KernelBug.class, () -> tree.overlapping(0, 0));
        assertEquals("USE_AFTER_FREE", bug.outcome());
    }
}
