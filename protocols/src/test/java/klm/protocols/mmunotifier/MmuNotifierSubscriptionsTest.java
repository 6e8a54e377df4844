package klm.protocols.mmunotifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;

import org.junit.jupiter.api.Test;

import klm.kernel.Smp;
import klm.protocols.mmunotifier.MmuNotifierSubscriptions.MmuIntervalNotifier;
import klm.protocols.mmunotifier.MmuNotifierSubscriptions.Range;

/** The odd/even rule and the deferred list, single-threaded on one simulated CPU. */
class MmuNotifierSubscriptionsTest {
    private static final Range R = new Range(0, 9, true);

    private static void onCpu(Runnable r) {
        new Smp(1).cpu(0).runOn(r);
    }

    @Test
    void sequenceIsOddExactlyWhileARangeWithSubscribersIsInvalidated() {
        onCpu(() -> {
            MmuNotifierSubscriptions subs = new MmuNotifierSubscriptions(EnumSet.noneOf(Bug.class));
            MmuIntervalNotifier sub = new MmuIntervalNotifier("sub", 5, 5);
            int[] seen = new int[1];
            subs.mmuIntervalNotifierInsert(sub, (s, range, cur) -> {
                MmuNotifierSubscriptions.mmuIntervalSetSeq(s, cur);
                seen[0] = cur;
                return true;
            });
            assertEquals(2, subs.invalidateSeq.plain());
            int seq = subs.mmuIntervalReadBegin(sub);
            assertEquals(1, seq, "a new subscription's seq is the global one minus 1");
            assertEquals(0, subs.mmuNotifierInvalidateRangeStart(new Range(20, 30, true)));
            assertEquals(2, subs.invalidateSeq.plain(), "no subscriber in range: stays even");
            subs.mmuNotifierInvalidateRangeEnd(new Range(20, 30, true));
            subs.mmuNotifierInvalidateRangeStart(R);
            assertEquals(3, subs.invalidateSeq.plain(), "odd while invalidating");
            assertEquals(3, seen[0], "invalidate() got the odd sequence");
            assertTrue(MmuNotifierSubscriptions.mmuIntervalReadRetry(sub, seq));
            subs.mmuNotifierInvalidateRangeStart(R); // a second, overlapping invalidation
            subs.mmuNotifierInvalidateRangeEnd(R);
            assertEquals(3, subs.invalidateSeq.plain(), "still odd until the last one ends");
            subs.mmuNotifierInvalidateRangeEnd(R);
            assertEquals(4, subs.invalidateSeq.plain(), "even once every invalidation ended");
            int again = subs.mmuIntervalReadBegin(sub);
            assertEquals(3, again);
            assertFalse(MmuNotifierSubscriptions.mmuIntervalReadRetry(sub, again));
        });
    }

    @Test
    void insertAndRemoveDuringAnInvalidationAreDeferredToItsEnd() {
        onCpu(() -> {
            MmuNotifierSubscriptions subs = new MmuNotifierSubscriptions(EnumSet.noneOf(Bug.class));
            MmuIntervalNotifier a = new MmuIntervalNotifier("a", 0, 0);
            subs.mmuIntervalNotifierInsert(a, (s, range, cur) -> true);
            subs.mmuNotifierInvalidateRangeStart(R);
            MmuIntervalNotifier b = new MmuIntervalNotifier("b", 1, 1);
            subs.mmuIntervalNotifierInsert(b, (s, range, cur) -> true);
            assertTrue(b.rbEmptyNode(), "inserted while invalidating: on the deferred list, not in the tree");
            assertEquals(1, subs.itree.overlapping(0, 9).size());
            subs.mmuNotifierInvalidateRangeEnd(R);
            assertEquals(2, subs.itree.overlapping(0, 9).size(), "the end applied the deferred insert");
            subs.mmuIntervalNotifierRemove(a);
            assertEquals(1, subs.itree.overlapping(0, 9).size());
        });
    }
}
