package klm.explorer.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import klm.explorer.memory.FakeMachine.Cell;
import klm.kernel.Exploration.Fence;
import klm.kernel.Exploration.Order;

/** x86-TSO, one rule a test, on a machine without threads ({@link FakeMachine}). */
class TsoRulesTest {
    private final FakeMachine m = new FakeMachine(Tso.MODEL, 2);
    private final Memory mem = m.memory;
    private final Cell x = new Cell("x");
    private final Cell y = new Cell("y");

    @Test
    void aStoreWaitsInItsCpusBufferWhichItReadsAndNoOtherCpuDoes() {
        m.store(0, x, 1, Order.RELAXED);
        assertEquals(0, x.v, "memory still has the old value");
        assertTrue(m.announced.isEmpty(), "a buffered store is not a step of its CPU");
        assertEquals(List.of("CPU0: store buffered: {loc:" + m.id(x) + "} = 1"), m.decisions);
        assertEquals(1, m.load(0, x, Order.RELAXED, 0), "CPU0 reads its own buffered store");
        assertEquals(0, m.load(1, x, Order.RELAXED, 0), "CPU1 reads memory");
        assertEquals("r x", m.lastStep(), "a load is one step");
        assertEquals(klm.kernel.Explored.MEMORY, mem.peekLocal(x, -1), "CPU1 has nothing buffered: memory");
        m.running = 0;
        assertEquals(Integer.valueOf(1), mem.peekLocal(x, -1), "CPU0's own store, without a step");
    }

    @Test
    void aBuffersStepMovesItsOldestStoreToMemoryAfterItsProgramPoint() {
        m.load(0, y, Order.RELAXED, 0); // one step of CPU0 before the stores
        m.store(0, x, 1, Order.RELAXED);
        m.store(0, y, 2, Order.RELAXED);
        assertTrue(mem.entityEnabled(0) && !mem.entityDone(0));
        assertFalse(mem.entityEnabled(1), "CPU1's buffer is empty");
        assertEquals("w x, w CPU0's store buffer", m.describe(mem.entityFootprint(0)),
                "the oldest store first (FIFO), and the buffer's order, which its CPU's fully ordered steps read");
        assertEquals(1, mem.entityOrigin(0), "buffered after CPU0's first step");
        assertEquals("CPU0's store buffer", mem.entityName(0));
        mem.entityStep(0);
        assertEquals(1, x.v);
        assertEquals(0, y.v);
        assertEquals(List.of(m.id(x), m.orderLocation("CPU0's store buffer")), m.written,
                "waiters on x look again, and a waiter whose condition takes a lock");
        assertEquals("w y, w CPU0's store buffer", m.describe(mem.entityFootprint(0)));
        assertEquals("1 store(s) in CPU0's store buffer", mem.pending());
        mem.entityStep(0);
        assertTrue(mem.entityDone(0));
        assertNull(mem.pending());
    }

    /** The buffer's steps a test runs where the strategy would schedule them while a fully ordered step waits. */
    private final List<String> drained = new java.util.ArrayList<>();

    private void drainMeanwhile() {
        m.meanwhile = c -> {
            drained.add(m.describe(mem.entityFootprint(c)));
            mem.entityStep(c);
        };
    }

    @Test
    void aFullyOrderedRmwWaitsUntilItsBufferHasDrainedByItsOwnSteps() {
        drainMeanwhile();
        m.store(0, x, 1, Order.RELAXED);
        assertEquals(0, m.rmw(0, y, 1, Order.FULL));
        assertEquals("w y, r CPU0's store buffer", m.lastStep(),
                "one step: the RMW's location, and a read of the buffer's order (its steps come first)");
        assertEquals(List.of(false), m.readyWhenAnnounced, "announced with x buffered: not enabled");
        assertEquals(List.of("w x, w CPU0's store buffer"), drained, "the buffer's own step moved x to memory");
        assertEquals(1, x.v);
        assertTrue(mem.entityDone(0));
        m.rmw(0, y, 2, Order.FULL);
        assertEquals("w y, r CPU0's store buffer", m.lastStep(), "with the buffer empty: still its order, for happens-before");
        assertEquals(List.of(false, true), m.readyWhenAnnounced, "and enabled at once");
    }

    @Test
    void aFenceWaitsForEveryBufferedStoreToOneLocationOrSeveralOldestFirst() {
        drainMeanwhile();
        m.store(0, x, 1, Order.RELAXED);
        m.store(0, y, 2, Order.RELAXED);
        m.store(0, x, 3, Order.RELAXED);
        m.fence(0, Fence.MB);
        assertEquals("r CPU0's store buffer", m.lastStep());
        assertEquals("smp_mb()", m.labels.get(m.labels.size() - 1));
        assertEquals(List.of("w x, w CPU0's store buffer", "w y, w CPU0's store buffer", "w x, w CPU0's store buffer"), drained,
                "three steps of the buffer, in program order, none inside the fence");
        assertEquals(3, x.v);
        assertEquals(2, y.v);
        assertEquals(List.of(false), m.readyWhenAnnounced);
    }

    @Test
    void aLockAcquisitionOrReleaseByALockedInstructionWaitsAsWell() {
        drainMeanwhile();
        for (Order o : new Order[] {Order.ACQUIRE, Order.RELEASE, Order.RELAXED}) {
            Cell a = new Cell("a");
            m.store(0, a, 1, Order.RELAXED);
            m.rmw(0, y, 1, o);
            assertEquals(1, a.v, o + " RMW: a locked instruction on x86");
            assertFalse(m.readyWhenAnnounced.get(m.readyWhenAnnounced.size() - 1), o + " RMW: not enabled with a store buffered");
        }
    }

    @Test
    void smpMbIsAStepOnlyAfterAStoreSinceTheLastFullyOrderedStep() {
        drainMeanwhile();
        m.fence(0, Fence.MB);
        assertTrue(m.announced.isEmpty(), "nothing stored: a fence orders nothing, not a step");
        m.store(0, x, 1, Order.RELAXED);
        mem.entityStep(0); // the buffer drains before the CPU reaches the fence
        m.fence(0, Fence.MB);
        assertEquals(List.of("r CPU0's store buffer"), m.announced.stream().map(m::describe).toList(),
                "a step, whether or not the buffer has drained since the store: the CPU's steps follow from its program");
        assertEquals(List.of(true), m.readyWhenAnnounced);
        m.fence(0, Fence.MB);
        assertEquals(1, m.announced.size(), "nothing stored since the last fence: not a step");
        m.store(0, x, 2, Order.RELAXED);
        m.rmw(0, y, 1, Order.FULL);
        m.fence(0, Fence.MB);
        assertEquals(2, m.announced.size(), "nothing stored since the RMW: not a step");
    }

    @Test
    void smpWmbAndSmpRmbChangeNothing() {
        m.store(0, x, 1, Order.RELAXED);
        m.fence(0, Fence.WMB);
        m.fence(0, Fence.RMB);
        assertTrue(m.announced.isEmpty());
        assertEquals(0, x.v, "TSO keeps stores and loads in order already: nothing drains");
    }

    @Test
    void aReleaseStoreIsBufferedLikeAnyOther() {
        m.store(0, x, 1, Order.RELEASE);
        assertEquals(0, x.v, "x86 stores are releases: still buffered");
    }

    @Test
    void storesOfATrialAnAtomicEvaluationOrTheControllerReachMemory() {
        m.atomic = true;
        m.store(0, x, 1, Order.RELAXED);
        m.atomic = false;
        assertEquals(1, x.v, "atomic evaluation of a wait condition");
        m.store(-1, y, 1, Order.RELAXED);
        assertEquals(1, y.v, "the controller");
    }

    @Test
    void aWaitersConditionThatTakesALockDoesNotPassWhileItsBufferHoldsAStore() {
        m.store(1, x, 1, Order.RELAXED); // CPU1 waits with x buffered
        m.trial = 7;
        m.trialCpu = 1;
        m.running = 0;
        assertEquals(1, mem.load(x, -1, Order.RELAXED), "in its trial the waiter reads its own buffer");
        assertThrows(FakeMachine.Blocked.class, () -> mem.rmwBegin(y, -1, Order.FULL), "the lock's RMW waits for the buffer");
        assertEquals("r CPU1's store buffer", m.describe(m.trialFootprint.get(m.trialFootprint.size() - 1)),
                "the trial's footprint has the buffer's order: the buffer's step makes the engine evaluate it again");
        assertEquals(0, x.v, "nothing drained in a trial");
        m.trial = 0;
        m.running = 1;
        mem.entityStep(1);
        m.trial = 8;
        m.running = 0;
        mem.rmwBegin(y, -1, Order.FULL); // passes now
        assertEquals(klm.kernel.Explored.MEMORY, mem.load(x, -1, Order.RELAXED), "the store is in memory now");
        assertEquals(2, m.trialFootprint.size(), "each trial reads the buffer's order, passing or not");
        m.trial = 0;
    }

    @Test
    void theAtomicEvaluationOfAConditionWithAStoreBufferedDoesNotPass() {
        m.store(1, x, 1, Order.RELAXED);
        m.atomic = true;
        m.running = 1;
        assertThrows(FakeMachine.Blocked.class, () -> mem.rmwBegin(y, -1, Order.FULL),
                "its trial found the buffer empty or the engine would not have chosen it: a disagreement the engine reports");
        m.atomic = false;
    }

    @Test
    void theModelsAnswers() {
        assertEquals("tso", Tso.MODEL.id());
        assertEquals(Sc.MODEL, Tso.MODEL.stronger());
        assertTrue(Tso.MODEL.sleepSetsSound(), "sleep sets are sound under TSO: a fully ordered step waits for its buffer's own steps");
        assertEquals(3, Tso.MODEL.extraEntities(3), "a buffer per CPU");
        assertEquals("b", Tso.MODEL.entityLetter());
        assertFalse(Tso.MODEL.readChoices());
    }
}
