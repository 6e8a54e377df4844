package klm.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static klm.kernel.Kernel.*;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Interrupt delivery only where enabled, and the context predicates, as the kernel defines them. */
class InterruptTest {
    private final List<String> log = new ArrayList<>();

    @Test
    void hardirqWaitsUntilIrqsAreEnabled() throws Exception {
        Smp smp = new Smp(1);
        Throwable[] e = Cpus.run(smp, () -> {
            localIrqDisable();
            current().raiseHardirq("timer", () -> log.add("hardirq in_hardirq=" + inHardirq() + " irqs_disabled=" + irqsDisabled()));
            interruptPoint();
            log.add("still masked");
            localIrqEnable(); // delivered here
            log.add("after enable");
        });
        assertNull(e[0]);
        assertEquals(List.of("still masked", "hardirq in_hardirq=true irqs_disabled=true", "after enable"), log);
    }

    @Test
    void softirqWaitsForBottomHalvesAndIrqs() throws Exception {
        Smp smp = new Smp(1);
        Throwable[] e = Cpus.run(smp, () -> {
            localBhDisable();
            log.add("bh off: in_task=" + inTask() + " in_softirq=" + inSoftirq() + " in_serving_softirq=" + inServingSoftirq());
            current().raiseSoftirq("NET_RX", () -> log.add("softirq: in_task=" + inTask() + " in_serving_softirq="
                    + inServingSoftirq() + " irqs_disabled=" + irqsDisabled()));
            interruptPoint();
            log.add("not yet");
            long flags = localIrqSave();
            localBhEnable(); // BH back on, but irqs are off: still not delivered
            log.add("irqs off");
            localIrqRestore(flags); // delivered here
            log.add("done");
        });
        assertNull(e[0]);
        assertEquals(List.of(
                "bh off: in_task=true in_softirq=true in_serving_softirq=false",
                "not yet",
                "irqs off",
                "softirq: in_task=false in_serving_softirq=true irqs_disabled=false",
                "done"), log);
    }

    @Test
    void anInterruptRaisedByAnotherCpuRunsOnTheTargetCpusThread() throws Exception {
        Smp smp = new Smp(2);
        Word raised = new Word();
        String[] ranOn = new String[1];
        Throwable[] e = Cpus.run(smp,
                () -> {
                    while (raised.readOnce() == 0) {
                        Thread.onSpinWait();
                    }
                    interruptPoint();
                },
                () -> {
                    smp.cpu(0).raiseSoftirq("BLOCK", () -> ranOn[0] = Thread.currentThread().getName() + "/" + smpProcessorId());
                    raised.writeOnce(1);
                });
        assertNull(e[0]);
        assertNull(e[1]);
        assertEquals("CPU0/0", ranOn[0]);
    }

    @Test
    void hardirqExitRunsPendingSoftirqs() throws Exception {
        Smp smp = new Smp(1);
        Cpus.run(smp, () -> {
            current().raiseHardirq("nic", () -> {
                log.add("hardirq");
                current().raiseSoftirq("NET_RX", () -> log.add("softirq after irq_exit"));
            });
            interruptPoint();
            log.add("task");
        });
        assertEquals(List.of("hardirq", "softirq after irq_exit", "task"), log);
    }

    /**
     * A handler run from the idle loop of a CPU whose task has finished runs with the CPU RUNNING
     * (it may hold a lock others wait for: the detector must not count the CPU as idle), and the
     * CPU is idle again after it (otherwise a false HANG, "CPU0 idle (task finished)" while its
     * softirq held spool->lock).
     */
    @Test
    void aHandlerRunFromTheIdleLoopMakesTheCpuRunningUntilItReturns() throws Exception {
        Smp smp = new Smp(1);
        SpinLock s = new SpinLock("s");
        List<Cpu.RunState> seen = new ArrayList<>();
        Throwable[] e = Cpus.run(smp, () -> {
            Cpu me = current();
            me.raiseSoftirq("NET_RX", () -> {
                s.spinLock();
                seen.add(me.runState);
                s.spinUnlock();
            });
            me.idleUntil(() -> {
                seen.add(me.runState);
                return true;
            });
        });
        assertNull(e[0]);
        assertEquals(List.of(Cpu.RunState.RUNNING, Cpu.RunState.IDLE), seen);
    }

    @Test
    void sleepingInAtomicContextIsABug() throws Exception {
        Smp smp = new Smp(1);
        Mutex m = new Mutex("m");
        SpinLock s = new SpinLock("s");
        Throwable[] e = Cpus.run(smp, () -> {
            s.spinLock();
            m.mutexLock();
        });
        KernelBug bug = assertInstanceOf(KernelBug.class, e[0]);
        assertEquals("SLEEP_IN_ATOMIC", bug.outcome());
        assertTrue(bug.getMessage().contains("mutex_lock(m)"), bug.getMessage());
    }

    @Test
    void contextDescribesItself() {
        ExecContext c = new ExecContext(0, false, false, true, false);
        assertTrue(c.inTask());
        assertTrue(c.inSoftirq());
        assertFalse(c.softirqsEnabled());
        assertEquals("task, BH off", c.describe());
    }
}
