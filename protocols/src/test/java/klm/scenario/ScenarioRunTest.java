package klm.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import klm.kernel.KernelBug;
import klm.kernel.Mutex;
import klm.kernel.SelfDeadlockError;

class ScenarioRunTest {
    private static ScenarioRun run(Runnable cpu0, Outcome check) {
        return new ScenarioRun(2) {
            @Override
            protected void task(int cpu) {
                if (cpu == 0) {
                    cpu0.run();
                }
            }

            @Override
            protected Outcome check() {
                return check;
            }
        };
    }

    @Test
    void errorsBecomeNamedOutcomesAndTheWorstWins() {
        assertEquals("OK", run(() -> {}, Outcome.OK).runOnThreads().name());
        assertEquals("PAGE_LOST", run(() -> {}, Outcome.violation("PAGE_LOST", "x")).runOnThreads().name());
        Outcome uaf = run(() -> { throw new KernelBug("USE_AFTER_FREE", "poisoned"); }, Outcome.OK).runOnThreads();
        assertEquals("USE_AFTER_FREE", uaf.name());
        assertEquals(Outcome.Category.VIOLATION, uaf.category());
        Outcome self = run(() -> { throw new SelfDeadlockError("x"); }, Outcome.violation("PAGE_LOST", "")).runOnThreads();
        assertEquals("SELF_DEADLOCK", self.name());
        assertEquals(Outcome.Category.DEADLOCK, self.category());
        assertEquals("ERROR", run(() -> { throw new IllegalStateException(); }, Outcome.OK).runOnThreads().name());
    }

    @Test
    void aDeadlockedRunEndsWithTheDeadlockOutcome() {
        Mutex a = new Mutex("a");
        Mutex b = new Mutex("b");
        klm.kernel.Word met = new klm.kernel.Word();
        ScenarioRun abba = new ScenarioRun(2) {
            @Override
            protected void task(int cpu) {
                Mutex first = cpu == 0 ? a : b;
                Mutex second = cpu == 0 ? b : a;
                first.mutexLock();
                met.incReturn(); // both hold their first mutex before either takes its second
                while (met.readOnce() < 2) {
                    Thread.onSpinWait();
                }
                second.mutexLock();
            }

            @Override
            protected Outcome check() {
                return Outcome.OK;
            }
        };
        assertEquals("DEADLOCK", abba.runOnThreads().name());
    }

    @Test
    void aCpuThatDiesHaltsTheMachineSoItsLocksHangNobody() {
        klm.kernel.SpinLock lock = new klm.kernel.SpinLock("hugetlb_lock");
        klm.kernel.Word held = new klm.kernel.Word();
        ScenarioRun run = new ScenarioRun(2) {
            @Override
            protected void task(int cpu) {
                if (cpu == 0) {
                    lock.spinLock();
                    held.writeOnce(1);
                    throw new SelfDeadlockError("CPU0 died holding hugetlb_lock");
                }
                while (held.readOnce() == 0) {
                    Thread.onSpinWait();
                }
                lock.spinLock(); // held forever by the dead CPU0
            }

            @Override
            protected Outcome check() {
                return Outcome.OK;
            }
        };
        assertEquals("SELF_DEADLOCK", run.runOnThreads().name(), "the root error, not the consequence");
        // CPU1 was unwound by the halt, not reported by the wait's backstop (a HANG after
        // klm.wait.timeout.ms): told by what it threw, not by how long it took, which load can stretch
        assertEquals(klm.kernel.MachineHalted.class, run.error(1).getClass());
    }

    @Test
    void failureMessageRoundTrips() {
        Outcome o = Outcome.violation("LOST_UPDATE", "counter is 1");
        assertEquals(o, Outcome.parseFailureMessage("prefix\n" + o.asFailureMessage() + "\nmore"));
        assertEquals(Outcome.Category.DEADLOCK, Outcome.categoryOf("HANG"));
        assertEquals(Outcome.Category.VIOLATION, Outcome.categoryOf("BOTH_INSIDE"));
    }
}
