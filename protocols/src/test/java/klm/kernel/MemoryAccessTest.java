package klm.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MemoryAccessTest {
    @Test
    void wordAccessorsFollowTheKernelSemantics() {
        Word w = new Word(5);
        assertEquals(5, w.plain());
        w.writeOnce(6);
        assertEquals(6, w.readOnce());
        w.storeRelease(7);
        assertEquals(7, w.loadAcquire());
        assertEquals(7, w.xchg(8), "xchg returns the old value");
        assertEquals(8, w.cmpxchg(8, 9), "cmpxchg returns the old value and swaps");
        assertEquals(9, w.cmpxchg(1, 2), "a failed cmpxchg returns the current value");
        assertEquals(9, w.readOnce());
        assertEquals(10, w.incReturn());
        assertEquals(9, w.decReturn());
        assertEquals(14, w.addReturn(5));
    }

    @Test
    void ptrAccessors() {
        Ptr<String> p = new Ptr<>();
        assertNull(p.readOnce());
        p.storeRelease("a");
        assertSame("a", p.loadAcquire());
        assertSame("a", p.xchg("b"));
        assertTrue(p.tryCmpxchg("b", "c"));
        assertSame("c", p.cmpxchg("x", "y"));
    }

    @Test
    void perCpuIncrementsGoToTheCallersSlot() throws Exception {
        Smp smp = new Smp(2);
        PerCpuInt counts = new PerCpuInt(2);
        Cpus.run(smp, () -> { counts.thisCpuInc(); counts.thisCpuInc(); }, counts::thisCpuInc);
        assertEquals(2, counts.readOnce(0));
        assertEquals(1, counts.readOnce(1));
        assertEquals(3, counts.perCpuSum());
    }

    @Test
    void perCpuAccessOffASimulatedCpuIsRefusedWithAnExplanation() {
        PerCpuInt counts = new PerCpuInt(2);
        IllegalStateException e = assertThrows(IllegalStateException.class, counts::thisCpuInc);
        assertTrue(e.getMessage().contains("simulated CPU"), e.getMessage());
    }
}
