package klm.jcstress.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runtime's outcome reports are attributed to the JCStress test whose result block precedes them. */
class OutcomeReportsTest {
    @Test
    void reportsBelongToTheTestBeforeThem(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("console.log");
        Files.writeString(log, String.join("\n",
                ".......... [OK] klm.jcstress.hugetlb.IrqSafeLockTest",
                "  JVM args: [-Xmx256m]",
                "       RESULT    SAMPLES     FREQ      EXPECT  DESCRIPTION",
                "         HANG          1   <0.01%   Forbidden  anything else",
                "",
                "  VM error stream:",
                "    [klm-outcome] HANG: CPU0 finished its task but the other CPUs did not finish within 2000 ms; machine:",
                "        CPU1 holds hugetlb_lock (task, irqs off)",
                "",
                ".......... [OK] klm.jcstress.hugetlb.IrqSafeLockTest",
                "           OK  1,175,571  100.00%  Acceptable  fine",
                ".......... [FAILED] klm.jcstress.control.BustedLockTest",
                "  VM error stream:",
                "    [klm-outcome] LOST_UPDATE: counter is 1 after two locked increments",
                ""));
        Map<String, List<String>> r = JcstressStage.outcomeReports(log);
        assertEquals(List.of("HANG: CPU0 finished its task but the other CPUs did not finish within 2000 ms; machine:\n"
                + "    CPU1 holds hugetlb_lock (task, irqs off)"), r.get("klm.jcstress.hugetlb.IrqSafeLockTest"));
        assertEquals(List.of("LOST_UPDATE: counter is 1 after two locked increments"), r.get("klm.jcstress.control.BustedLockTest"));
        assertTrue(JcstressStage.outcomeReports(dir.resolve("missing.log")).isEmpty());
    }

    /** The stall detector's progress signal: the last "(Results: ...)" line's finished forks. */
    @Test
    void forkResultsComeFromTheLastProgressLine(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("console.log");
        Files.writeString(log, "Test configuration\n");
        assertEquals(0, JcstressStage.forkResults(log));
        Files.writeString(log, String.join("\n",
                "(ETA: in 00:00:42)",
                "(Results: 10 planned; 1 passed, 0 failed, 0 soft errs, 0 hard errs)",
                ".......... [OK] klm.jcstress.hotplug.FixedTest",
                "(Results: 10 planned; 4 passed, 1 failed, 0 soft errs, 2 hard errs)",
                ""));
        assertEquals(7, JcstressStage.forkResults(log));
    }
}
