package klm.explorer.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import klm.explorer.memory.FakeMachine.Cell;
import klm.kernel.Exploration.Fence;
import klm.kernel.Exploration.Order;

/** Sequential consistency, one rule a test ({@link FakeMachine}). */
class ScRulesTest {
    private final FakeMachine m = new FakeMachine(Sc.MODEL, 2);
    private final Cell x = new Cell("x");

    @Test
    void everyAccessIsOneStepOnMemory() {
        m.store(0, x, 1, Order.RELAXED);
        assertEquals(1, x.v);
        assertEquals(1, m.load(1, x, Order.ACQUIRE, 0));
        m.rmw(1, x, 2, Order.FULL);
        assertEquals(List.of("w x", "r x", "w x"), m.announced.stream().map(m::describe).toList());
        assertEquals(1, m.lastChoices, "a load never has a choice");
    }

    @Test
    void fencesAreNotSteps() {
        for (Fence f : Fence.values()) {
            m.fence(0, f);
        }
        assertTrue(m.announced.isEmpty(), "a fence commutes with every step under SC");
    }

    @Test
    void nothingIsPendingAndThereAreNoEntities() {
        m.store(0, x, 1, Order.RELAXED);
        assertNull(m.memory.pending());
        assertEquals(0, Sc.MODEL.extraEntities(4));
        assertThrows(IndexOutOfBoundsException.class, () -> m.memory.entityStep(0));
        assertNull(Sc.MODEL.stronger(), "the strongest model");
        assertTrue(Sc.MODEL.sleepSetsSound());
    }
}
