package klm.explorer.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
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
        assertEquals("w x", m.describe(mem.entityFootprint(0)), "the oldest store first (FIFO)");
        assertEquals(1, mem.entityOrigin(0), "buffered after CPU0's first step");
        assertEquals("CPU0's store buffer", mem.entityName(0));
        mem.entityStep(0);
        assertEquals(1, x.v);
        assertEquals(0, y.v);
        assertEquals(List.of(m.id(x)), m.written, "waiters on x look again");
        assertEquals("w y", m.describe(mem.entityFootprint(0)));
        assertEquals("1 store(s) in CPU0's store buffer", mem.pending());
        mem.entityStep(0);
        assertTrue(mem.entityDone(0));
        assertNull(mem.pending());
    }

    @Test
    void aFullyOrderedRmwDrainsTheBufferFirstInOneStep() {
        m.store(0, x, 1, Order.RELAXED);
        assertEquals(0, m.rmw(0, y, 1, Order.FULL));
        assertEquals("w x, w y", m.lastStep(), "one step: the buffered stores and the RMW");
        assertEquals(1, x.v, "the buffer drained");
        assertTrue(mem.entityDone(0));
    }

    @Test
    void aLockAcquisitionOrReleaseByALockedInstructionDrainsAsWell() {
        for (Order o : new Order[] {Order.ACQUIRE, Order.RELEASE, Order.RELAXED}) {
            Cell a = new Cell("a");
            m.store(0, a, 1, Order.RELAXED);
            m.rmw(0, y, 1, o);
            assertEquals(1, a.v, o + " RMW: a locked instruction on x86");
        }
    }

    @Test
    void smpMbIsAStepThatDrainsOnlyWhenSomethingIsBuffered() {
        m.fence(0, Fence.MB);
        assertTrue(m.announced.isEmpty(), "nothing buffered: a fence orders nothing, not a step");
        m.store(0, x, 1, Order.RELAXED);
        m.fence(0, Fence.MB);
        assertEquals("w x", m.lastStep());
        assertEquals("smp_mb()", m.labels.get(m.labels.size() - 1));
        assertEquals(1, x.v);
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
    void aTrialsFullOperationDrainsTheWaitersBufferAndItsLoadsThenReadMemory() {
        m.store(1, x, 1, Order.RELAXED); // CPU1 waits with x buffered
        m.trial = 7;
        m.trialCpu = 1;
        m.running = 0;
        assertEquals(1, mem.load(x, -1, Order.RELAXED), "in its trial the waiter reads its own buffer");
        mem.rmwBegin(y, -1, Order.FULL);
        assertEquals(1, x.v, "drained (the engine undoes it after the trial)");
        assertEquals(klm.kernel.Explored.MEMORY, mem.load(x, -1, Order.RELAXED), "then loads read memory");
        m.trial = 0;
    }

    @Test
    void theModelsAnswers() {
        assertEquals("tso", Tso.MODEL.id());
        assertEquals(Sc.MODEL, Tso.MODEL.stronger());
        assertTrue(Tso.MODEL.sleepSetsSound(), "sleep sets are sound under TSO since a fence's drain backtracks to its buffer's own step");
        assertEquals(3, Tso.MODEL.extraEntities(3), "a buffer per CPU");
        assertEquals("b", Tso.MODEL.entityLetter());
        assertFalse(Tso.MODEL.readChoices());
    }
}
