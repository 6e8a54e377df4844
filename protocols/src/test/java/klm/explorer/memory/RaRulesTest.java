package klm.explorer.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import klm.explorer.memory.FakeMachine.Cell;
import klm.kernel.Exploration.Fence;
import klm.kernel.Exploration.Order;

/** The release/acquire views model, each rule {@link Views} states, on a machine without threads ({@link FakeMachine}). */
class RaRulesTest {
    private final FakeMachine m = new FakeMachine(Ra.MODEL, 3);
    /**
     * The model with the order of full barriers taken from the schedule, which the walk that checks
     * the DPOR runs under: its barrier rules, the ones {@link Ra#MODEL} checks on the graph instead.
     */
    private final FakeMachine e = new FakeMachine(Ra.FENCE_ORDER_ENUMERATED, 3);
    private final Cell x = new Cell("x");
    private final Cell y = new Cell("y");
    private final Cell z = new Cell("z");

    @Test
    void aLoadMayReadAnyWriteNotOlderThanItsViewAndMovesItsViewUp() {
        m.store(0, x, 1, Order.RELAXED);
        m.store(0, x, 2, Order.RELAXED);
        assertEquals(3, m.choices(1, x) , "the initial write and both stores");
        // (choices() read the newest: CPU1's view is now at x=2)
        assertEquals(1, m.choices(1, x), "after reading the newest, only the newest");
        assertEquals(1, m.load(2, x, Order.RELAXED, 1), "CPU2 reads the write one older than the newest");
        assertEquals(3, m.lastChoices, "it had the three to choose from");
        assertEquals(2, m.choices(2, x), "its view is at x=1 now: x=1 and x=2");
    }

    @Test
    void aLoadReportsTheStepThatMadeTheWriteItRead() {
        assertTrue(Ra.MODEL.loadsFollowReadsFrom(), "the DPOR orders RA's loads by reads-from");
        m.store(0, x, 1, Order.RELAXED); // step 0
        m.store(0, x, 2, Order.RELAXED); // step 1
        assertEquals(1, m.load(1, x, Order.RELAXED, 1)); // step 2
        assertEquals(2, m.load(2, x, Order.ACQUIRE, 0)); // step 3
        assertEquals(0, m.load(2, y, Order.RELAXED, 0)); // step 4
        assertEquals(2, m.rmw(1, x, 7, Order.FULL)); // step 5
        assertEquals(7, m.load(0, x, Order.RELAXED, 0)); // step 6
        assertEquals(java.util.List.of(0, 1, -1, 5), m.readFrom,
                "x=1 was made by step 0, x=2 by step 1, y's initial value by none (-1), the RMW's 7 by step 5");
    }

    @Test
    void aStoreInsideAWritesHistoryKeepsItsStepWhereverItGoes() {
        m.store(0, x, 1, Order.RELAXED); // step 0
        m.nextRead = 1;
        m.store(1, x, 2, Order.RELAXED); // step 1: placed before x=1, which CPU1 has not seen
        assertEquals(2, m.lastChoices, "after x=1 or before it");
        assertEquals(2, m.load(2, x, Order.RELAXED, 1)); // step 2: one older than the newest is x=2
        assertEquals(java.util.List.of(1), m.readFrom, "the write one older than the newest was made by step 1");
    }

    @Test
    void aWriterReadsItsOwnNewestWrite() {
        m.store(0, x, 1, Order.RELAXED);
        assertEquals(1, m.choices(0, x), "coherence: a CPU never reads before its own write");
    }

    @Test
    void aReleaseStoreCarriesTheWritersViewAndAnAcquireLoadJoinsIt() {
        m.store(0, x, 1, Order.RELAXED);
        m.store(0, y, 1, Order.RELEASE);
        assertEquals(1, m.load(1, y, Order.ACQUIRE, 0));
        assertEquals(1, m.choices(1, x), "message passing with release/acquire: x=1 only");
    }

    @Test
    void withoutReleaseOrBarrierStoresMayBeSeenOutOfOrder() {
        m.store(0, x, 1, Order.RELAXED);
        m.store(0, y, 1, Order.RELAXED);
        m.load(1, y, Order.ACQUIRE, 0);
        assertEquals(2, m.choices(1, x), "a relaxed store carries nothing of the earlier one");
    }

    @Test
    void smpWmbOrdersEarlierStoresBeforeLaterOnes() {
        m.store(0, x, 1, Order.RELAXED);
        m.fence(0, Fence.WMB);
        m.store(0, y, 1, Order.RELAXED);
        m.load(1, y, Order.ACQUIRE, 0);
        assertEquals(1, m.choices(1, x));
    }

    @Test
    void aRelaxedLoadKeepsTheViewAsideUntilSmpRmb() {
        m.store(0, x, 1, Order.RELAXED);
        m.store(0, y, 1, Order.RELEASE);
        m.load(1, y, Order.RELAXED, 0);
        assertEquals(2, m.choices(1, x), "a relaxed load orders nothing");
        m.fence(1, Fence.RMB);
        assertEquals(1, m.choices(1, x), "smp_rmb() joins the view the earlier load read");
    }

    @Test
    void smpMbActsAsSmpRmbToo() {
        m.store(0, x, 1, Order.RELAXED);
        m.store(0, y, 1, Order.RELEASE);
        m.load(1, y, Order.RELAXED, 0);
        m.fence(1, Fence.MB);
        assertEquals(1, m.choices(1, x));
    }

    @Test
    void aReleaseIsACumulativeOverWhatTheCpuReadEvenRelaxed() {
        // ISA2: x=1; release y=1 | r=READ_ONCE(y); release z=1 | acquire z; read x
        m.store(0, x, 1, Order.RELAXED);
        m.store(0, y, 1, Order.RELEASE);
        m.load(1, y, Order.RELAXED, 0);
        m.store(1, z, 1, Order.RELEASE);
        m.load(2, z, Order.ACQUIRE, 0);
        assertEquals(1, m.choices(2, x), "what reached CPU1 before y reaches CPU2 before z: x=1 only");
    }

    @Test
    void anAcquireIsNotCumulativeForALaterRelaxedStore() {
        m.store(0, x, 1, Order.RELAXED);
        m.store(0, y, 1, Order.RELEASE);
        m.load(1, y, Order.ACQUIRE, 0);
        m.store(1, z, 1, Order.RELAXED);
        m.load(2, z, Order.ACQUIRE, 0);
        assertEquals(2, m.choices(2, x), "x -> release y -> acquire y -> relaxed z -> acquire z: LKMM's acq-po is not"
                + " cumulative, x=1 need not have reached CPU2 (ISA2+o-rel+acq-o+acq-o)");
    }

    @Test
    void whatAFullBarrierOrderedGoesOnThroughAcquiresAndRelaxedStores() {
        m.store(0, x, 1, Order.RELAXED);
        m.fence(0, Fence.MB);
        m.store(0, y, 1, Order.RELAXED);
        m.load(1, y, Order.ACQUIRE, 0);
        m.store(1, z, 1, Order.RELAXED);
        m.load(2, z, Order.ACQUIRE, 0);
        assertEquals(1, m.choices(2, x), "x -> smp_mb() -> y -> acquire y -> z -> acquire z: LKMM's pb (prop ; strong-fence ;"
                + " hb*) gives x=1 only (ISA2+o-mb-o+acq-o+acq-o)");
    }

    @Test
    void aLockCarriesWhatTheUnlockItReadReleasedToTheCpusLaterStores() {
        Cell l = new Cell("l");
        m.store(0, x, 1, Order.RELAXED);
        m.store(0, l, 0, Order.RELEASE); // spin_unlock()
        m.rmw(1, l, 1, Order.ACQUIRE); // spin_lock(): reads the unlock
        m.store(1, z, 1, Order.RELAXED);
        m.load(2, z, Order.ACQUIRE, 0);
        assertEquals(1, m.choices(2, x), "po-unlock-lock-po through rf is in LKMM's cumul-fence: x=1 only");
    }

    @Test
    void aLockPassesOnTheUnlockersOwnWritesNotWhatItOnlyRead() {
        // 4.ISA2+o-rel+l-o-o-ul+l-o-o-ul+o-mb-o, one critical section shorter: LKMM's
        // po-unlock-lock-po is in cumul-fence without A-cumul
        FakeMachine m4 = new FakeMachine(Ra.MODEL, 4);
        Cell l = new Cell("l");
        Cell w = new Cell("w");
        m4.store(0, x, 1, Order.RELAXED);
        m4.store(0, y, 1, Order.RELEASE);
        m4.load(1, y, Order.RELAXED, 0); // CPU1 reads y=1 in its critical section
        m4.store(1, w, 1, Order.RELAXED);
        m4.store(1, l, 0, Order.RELEASE); // spin_unlock()
        m4.rmw(2, l, 1, Order.ACQUIRE); // spin_lock(): reads the unlock
        assertEquals(1, m4.choices(2, x), "the locking CPU itself: the unlock is a release, A-cumulative");
        m4.store(2, z, 1, Order.RELAXED);
        m4.load(3, z, Order.RELAXED, 0);
        m4.fence(3, Fence.MB);
        assertEquals(1, m4.choices(3, w), "CPU1's own write before its unlock propagates before CPU2's later store");
        assertEquals(2, m4.choices(3, x), "what CPU1 only read need not: CPU3 may still read the old x");
    }

    @Test
    void anUnlockThenALockOnTheSameCpuOrdersEverythingBeforeTheUnlock() {
        Cell s = new Cell("s");
        Cell t = new Cell("t");
        m.store(0, x, 1, Order.RELAXED);
        m.store(0, s, 0, Order.RELEASE); // spin_unlock(s): a release store
        m.rmw(0, t, 1, Order.ACQUIRE); // spin_lock(t): an ACQUIRE RMW
        m.store(0, y, 1, Order.RELAXED);
        m.load(1, y, Order.ACQUIRE, 0);
        assertEquals(1, m.choices(1, x), "po-unlock-lock-po: x before y");
    }

    @Test
    void withoutTheLockTheUnlockDoesNotOrderLaterStores() {
        Cell s = new Cell("s");
        m.store(0, x, 1, Order.RELAXED);
        m.store(0, s, 0, Order.RELEASE);
        m.store(0, y, 1, Order.RELAXED);
        m.load(1, y, Order.ACQUIRE, 0);
        assertEquals(2, m.choices(1, x));
    }

    /**
     * Under {@link Ra#MODEL} the order of two CPUs' full barriers is not the order they ran in: SB
     * with smp_mb() on both sides lets either CPU read the old value, and the read that does
     * decides the order, so the other reads the new one (the two executions the schedule order
     * reached by reversing the barriers).
     */
    @Test
    void storeBufferingWithFullBarriersLetsOneSideReadTheOldValueNotBoth() {
        m.store(0, x, 1, Order.RELAXED);
        m.fence(0, Fence.MB);
        m.store(1, y, 1, Order.RELAXED);
        m.fence(1, Fence.MB);
        assertEquals("", m.lastStep(), "a full barrier whose order is checked touches nothing: the DPOR need not reverse two");
        assertEquals(0, m.load(1, x, Order.RELAXED, 1), "CPU1 reads the old x: its barrier goes before CPU0's");
        assertEquals(2, m.lastChoices);
        assertEquals(1, m.choices(0, y), "so CPU0, after its barrier, sees y=1");

        FakeMachine n = new FakeMachine(Ra.MODEL, 2);
        Cell a = new Cell("a");
        Cell b = new Cell("b");
        n.store(0, a, 1, Order.RELAXED);
        n.fence(0, Fence.MB);
        n.store(1, b, 1, Order.RELAXED);
        n.fence(1, Fence.MB);
        assertEquals(1, n.load(1, a, Order.RELAXED, 0), "CPU1 reads the new a: the order is still open");
        assertEquals(2, n.choices(0, b), "so CPU0 may read the old b");
    }

    /** A barrier that runs after an access still orders it: CPU1 read the old x after its barrier, so CPU0's later barrier comes after CPU1's. */
    @Test
    void aBarrierRunAfterAStaleReadComesAfterTheReadersBarrier() {
        m.store(1, y, 1, Order.RELAXED);
        m.fence(1, Fence.MB);
        assertEquals(0, m.load(1, x, Order.RELAXED, 0), "x=0, the only write yet");
        m.store(0, x, 1, Order.RELAXED);
        m.fence(0, Fence.MB);
        assertEquals(1, m.choices(0, y), "CPU0's barrier after CPU1's: CPU0 sees y=1");
    }

    /**
     * A barrier comes after every barrier its CPU has heard of through program order and
     * reads-from, relaxed reads too: the schedule ran that one first (the model cannot show load
     * buffering, so a write read was made before the read).
     */
    @Test
    void aBarrierComesAfterTheBarriersItsCpuHeardOfThroughReadsFrom() {
        m.store(0, x, 1, Order.RELAXED);
        m.fence(0, Fence.MB);
        m.store(0, y, 1, Order.RELAXED);
        assertEquals(1, m.load(1, y, Order.RELAXED, 0));
        m.store(1, z, 1, Order.RELAXED);
        assertEquals(1, m.load(2, z, Order.RELAXED, 0));
        m.fence(2, Fence.MB);
        assertEquals(1, m.choices(2, x), "CPU2's barrier after CPU0's, which it heard of through CPU1: x=1 only");
        m.rmw(1, z, 2, Order.FULL);
        assertEquals("w z", m.lastStep(), "a fully ordered RMW's barriers are checked too: its step touches its location only");
    }

    @Test
    void fullFencesAreOrderedAmongThemselvesSoStoreBufferingNeedsOneSide() {
        e.store(0, x, 1, Order.RELAXED);
        e.fence(0, Fence.MB);
        e.store(1, y, 1, Order.RELAXED);
        e.fence(1, Fence.MB);
        assertEquals(1, e.choices(1, x), "CPU1's fence comes after CPU0's: it sees x=1");
        assertEquals(2, e.choices(2, x), "a CPU without a fence may still read the old x");
    }

    @Test
    void aFullFenceWithNoAccessBeforeItOrdersNothing() {
        e.store(1, y, 1, Order.RELAXED);
        e.fence(1, Fence.MB);
        e.load(1, z, Order.RELAXED, 0);
        e.fence(0, Fence.MB);
        assertEquals(2, e.choices(0, y), "CPU0 had accessed nothing before its smp_mb(): it may still read the old y");
        e.load(2, z, Order.RELAXED, 0);
        e.fence(2, Fence.MB);
        assertEquals(1, e.choices(2, y), "CPU2 had read z before its smp_mb(): it sees y=1");
    }

    @Test
    void aFullFenceAndAFullRmwAreStepsOnTheFenceOrder() {
        e.store(0, x, 1, Order.RELAXED);
        e.fence(0, Fence.MB);
        assertEquals("w full-barrier order", e.lastStep(), "a write of the order of full barriers");
        e.load(1, z, Order.RELAXED, 0);
        e.rmw(1, x, 1, Order.FULL);
        assertEquals("w x, w full-barrier order", e.lastStep(), "a full RMW after an access: its barriers in its step");
        e.rmw(2, y, 1, Order.ACQUIRE);
        assertEquals("w y", e.lastStep(), "an ACQUIRE RMW is not a full barrier");
        e.fence(0, Fence.RMB);
        e.fence(0, Fence.WMB);
        assertEquals(5, e.announced.size(), "smp_rmb()/smp_wmb() are not steps");
    }

    @Test
    void aFirstAccessFullRmwsBarrierAfterItRunsBeforeTheCpusNextAccessOnly() {
        // WRC+X+o-o+o-mb-o: CPU0's xchg() is its only access, so neither of its barriers orders anything
        e.rmw(0, x, 1, Order.FULL);
        assertEquals("w x", e.lastStep(), "a full RMW that is its CPU's first access: no barrier in its step");
        e.load(1, x, Order.RELAXED, 0);
        e.store(1, y, 1, Order.RELAXED);
        e.load(2, y, Order.RELAXED, 0);
        e.fence(2, Fence.MB);
        assertEquals(2, e.choices(2, x), "CPU2's smp_mb() does not take in x=1: CPU0's barrier has not run");
        // CPU0's next access runs the barrier first, as a step of its own on the order of full barriers
        int steps = e.announced.size();
        e.load(0, z, Order.RELAXED, 0);
        assertEquals(steps + 2, e.announced.size(), "the pending barrier, then the load");
        assertEquals("w full-barrier order", e.describe(e.announced.get(steps)));
        e.fence(2, Fence.MB);
        assertEquals(1, e.choices(2, x), "a later smp_mb() of another CPU takes in what CPU0's barrier saw");
        e.load(0, z, Order.RELAXED, 0);
        assertEquals(steps + 5, e.announced.size(), "CPU2's smp_mb() and load, CPU0's load: the pending barrier ran once");
    }

    /**
     * An smp_mb() whose CPU's view adds nothing to the global fence view only reads the order of
     * full barriers: two such fences reach the same state in either order, so the DPOR need not
     * reverse them; a fence that adds to the fence view writes it, and is ordered against every
     * other fence (SB with smp_mb() on both sides needs that).
     */
    @Test
    void aFullFenceThatAddsNothingToTheFenceViewOnlyReadsTheOrder() {
        e.fence(0, Fence.MB);
        assertEquals("r full-barrier order", e.lastStep(), "before CPU0's first access its smp_mb() orders nothing");
        e.store(0, x, 1, Order.RELAXED);
        e.fence(0, Fence.MB);
        assertEquals("w full-barrier order", e.lastStep(), "CPU0's store x=1 joins the fence view");
        e.fence(0, Fence.MB);
        assertEquals("r full-barrier order", e.lastStep(), "nothing new on CPU0 since its last fence");
        e.load(1, x, Order.RELAXED, 1);
        e.fence(1, Fence.MB);
        assertEquals("r full-barrier order", e.lastStep(), "CPU1 read the initial x, older than the fence view's x=1");
        assertEquals(1, e.choices(1, x), "and its fence still took the fence view: x=1 only");
        e.fence(1, Fence.MB);
        e.store(1, y, 1, Order.RELAXED);
        e.load(2, y, Order.RELAXED, 0);
        e.fence(2, Fence.MB);
        assertEquals("w full-barrier order", e.lastStep(), "CPU2 read y=1, which no fence has ordered yet");
        e.fence(1, Fence.MB);
        assertEquals("r full-barrier order", e.lastStep(), "CPU2's fence put CPU1's y=1 into the fence view");
        e.rmw(0, z, 1, Order.FULL);
        assertEquals("w z, w full-barrier order", e.lastStep(), "a fully ordered RMW always writes the order");
    }

    @Test
    void anRmwMayReadAnOlderWriteAndItsWriteGoesRightAfterIt() {
        m.store(0, x, 1, Order.RELAXED);
        m.store(0, x, 2, Order.RELAXED);
        assertEquals(1, m.rmw(1, x, 3, Order.RELAXED, 1), "the RMW reads x=1, one older than the newest");
        assertEquals(3, m.lastChoices, "the initial write and both stores");
        assertEquals(2, x.v, "memory holds the newest write again");
        // coherence order now 0, 1, 3, 2: another RMW may read 0, 3 or 2, never 1, which an RMW has read
        assertEquals(0, m.rmw(2, x, 4, Order.RELAXED, 2), "CPU2's RMW reads the initial write");
        assertEquals(3, m.lastChoices, "x=2, x=3 and the initial write: not x=1");
        assertEquals(2, m.choices(1, x), "CPU1's view is at its own write x=3: x=3 and x=2");
    }

    @Test
    void anRmwReadsFromItsViewOn() {
        m.store(0, x, 1, Order.RELAXED);
        m.store(0, x, 2, Order.RELAXED);
        assertEquals(2, m.rmw(0, x, 3, Order.RELAXED, 1), "the writer has seen x=2: its RMW reads it");
        assertEquals(1, m.lastChoices, "no choice");
    }

    @Test
    void aWaitConditionRunForRealReadsTheNewestAndATrialChangesNoView() {
        m.store(0, x, 1, Order.RELAXED);
        m.atomic = true;
        m.running = 1;
        m.nextRead = 1;
        m.lastChoices = 1;
        assertEquals(klm.kernel.Explored.MEMORY, m.memory.load(x, -1, Order.RELAXED), "the newest: memory");
        assertEquals(1, m.lastChoices, "no choice offered");
        m.atomic = false;
        m.store(0, x, 2, Order.RELAXED);
        m.trial = 3;
        m.trialCpu = 2;
        m.memory.load(x, -1, Order.ACQUIRE);
        m.trial = 0;
        assertEquals(3, m.choices(2, x), "the trial moved no view of CPU2");
    }

    @Test
    void aWriteMayGoBeforeWritesItsCpuHasNotSeenButNotIntoAnRmw() {
        m.store(0, x, 1, Order.RELAXED);
        m.running = 1;
        m.nextRead = 1;
        assertTrue(m.memory.store(x, -1, 2, Order.RELAXED), "placed before x=1: memory keeps the newest");
        assertEquals(2, m.lastChoices, "after x=1 or before it");
        assertEquals(1, x.v);
        assertEquals(2, m.load(1, x, Order.RELAXED, 1), "CPU1's view is at its own write: it may read it");
        assertEquals(2, m.lastChoices, "its own write, or x=1 after it in coherence order");
        assertEquals(1, m.choices(0, x), "CPU0 wrote the newest: it reads only that");
        // an RMW that reads the newest goes right after it; nothing may come between the two
        Cell w = new Cell("w");
        m.store(0, w, 1, Order.RELAXED);
        m.rmw(1, w, 5, Order.FULL);
        m.running = 2;
        m.nextRead = 0;
        m.lastChoices = 1;
        m.memory.store(w, -1, 7, Order.RELAXED);
        assertEquals(2, m.lastChoices, "CPU2 may go last, or before w=1, never between w=1 and the RMW's w=5");
    }

    @Test
    void aWriteAfterWhatItsCpuHasSeenHasOnePlace() {
        m.store(0, x, 1, Order.RELAXED);
        m.load(1, x, Order.RELAXED, 0);
        m.running = 1;
        m.lastChoices = 1;
        m.memory.store(x, -1, 2, Order.RELAXED);
        assertEquals(1, m.lastChoices, "coherence: CPU1 read x=1, so its write goes after it");
    }

    @Test
    void aRelaxedWriteMayGoBeforeWhatAnEarlierRelaxedReadCarriedAReleaseMayNot() {
        // S: x=2; smp_wmb(); y=1 | r=READ_ONCE(y); x=1: LKMM lets x=1 go before x=2 (nothing orders
        // the read before the relaxed write); with smp_store_release(x, 1) po-rel orders it after
        m.store(0, x, 2, Order.RELAXED);
        m.fence(0, Fence.WMB);
        m.store(0, y, 1, Order.RELAXED);
        m.load(2, y, Order.RELAXED, 0);
        m.lastChoices = 1;
        m.store(2, x, 3, Order.RELEASE);
        assertEquals(1, m.lastChoices, "a release: only after x=2, which the read of y carried");
        m.load(1, y, Order.RELAXED, 0);
        m.lastChoices = 1;
        m.store(1, x, 1, Order.RELAXED);
        assertEquals(3, m.lastChoices, "a relaxed write: before x=2, between x=2 and x=3, or last");
    }

    @Test
    void theModelsAnswers() {
        assertEquals(Tso.MODEL, Ra.MODEL.stronger(), "every TSO behaviour is an RA behaviour");
        assertTrue(Ra.MODEL.readChoices());
        assertEquals(0, Ra.MODEL.extraEntities(2));
    }
}
