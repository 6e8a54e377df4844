package klm.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import klm.verdict.SelectionException;

class SoakTest {
    @TempDir
    Path tmp;

    @Test
    void optionsNameTheSelectionAndTheChildBuild() {
        Soak.Options o = Soak.options(Map.of("protocol", "control", "klm.soak.runs", "30", "klm.soak.mvn", "/opt/mvn/bin/mvn",
                "klm.soak.offline", "true", "klm.soak.project", tmp.toString()));
        assertEquals("control-quick", o.key());
        assertEquals(30, o.runs());
        assertEquals(3600, o.runTimeoutSeconds());
        String cmd = String.join(" ", o.command(7, tmp.resolve("run-7")));
        assertTrue(cmd.startsWith("/opt/mvn/bin/mvn -o -B verify -Pci -Dprotocol=control -Dvariant= -Dmode=quick"), cmd);
        assertTrue(cmd.contains("-Dklm.runId=soak-control-quick-7"), cmd);
        assertTrue(cmd.contains("-Dklm.observations=" + tmp.resolve("run-7").resolve("observations")), cmd);
        assertEquals("mvn -B verify -Pci -Dprotocol=control -Dmode=quick", o.shownCommand());
        assertEquals("all-thorough", Soak.options(Map.of("mode", "thorough")).key());
        assertEquals("hugetlb-free-plain-lock-quick",
                Soak.options(Map.of("protocol", "hugetlb-free", "variant", "plain-lock")).key());
        assertEquals("hugetlb-free-plain-lock-quick", Soak.options(Map.of("variant", "hugetlb-free/plain-lock")).key());
    }

    @Test
    void aSoakUnderLoadIsRecordedApartAndSaysTheLoad() throws Exception {
        Soak.Options o = Soak.options(Map.of("protocol", "control", "klm.soak.load", "2", "klm.soak.project", tmp.toString()));
        assertEquals("control-quick-load2", o.key(), "runs under load are a record of their own, beside the idle ones");
        assertEquals(2, o.load());
        assertEquals(0, Soak.options(Map.of("protocol", "control", "klm.soak.project", tmp.toString())).load());
        SelectionException e = assertThrows(SelectionException.class, () -> Soak.options(Map.of("klm.soak.load", "lots")));
        assertTrue(e.getMessage().contains("klm.soak.load=lots"), e.getMessage());
        try (CpuLoad l = new CpuLoad(2)) {
            l.sample();
            assertTrue(l.describe().contains("load average") || l.describe().equals("not sampled"), l.describe());
        }
    }

    @Test
    void badOptionsAreClearErrors() {
        SelectionException e = assertThrows(SelectionException.class, () -> Soak.options(Map.of("klm.soak.runs", "0")));
        assertTrue(e.getMessage().contains("klm.soak.runs=0 is not a positive whole number"), e.getMessage());
        e = assertThrows(SelectionException.class, () -> Soak.options(Map.of("klm.soak.runs", "many")));
        assertTrue(e.getMessage().contains("positive whole number"), e.getMessage());
        e = assertThrows(SelectionException.class, () -> Soak.options(Map.of("klm.soak.runTimeout", "-5")));
        assertTrue(e.getMessage().contains("klm.soak.runTimeout"), e.getMessage());
        e = assertThrows(SelectionException.class, () -> Soak.options(Map.of("protocol", "nope")));
        assertTrue(e.getMessage().contains("valid protocols: control"), e.getMessage());
        e = assertThrows(SelectionException.class, () -> Soak.options(Map.of("klm.soak.mvn", "${maven.home}/bin/mvn")));
        assertTrue(e.getMessage().contains("not a Maven executable"), e.getMessage());
    }

    @Test
    void thePageCountsAgreementsAndQuotesEveryDisagreement() throws Exception {
        Properties p = new Properties();
        p.setProperty("key", "control-quick");
        p.setProperty("selection", "protocol control, quick mode");
        p.setProperty("command", "mvn -B verify -Pci -Dprotocol=control -Dmode=quick");
        p.setProperty("commit", "abc");
        p.setProperty("started", "2026-11-22T00:00:00Z");
        p.setProperty("machine", "test machine");
        p.setProperty("runs", "3");
        p.setProperty("totalMs", "180000");
        p.setProperty("run.1", "50000,0,2,2");
        p.setProperty("run.2", "70000,1,1,2");
        p.setProperty("run.3", "60000,0,2,2");
        p.setProperty("row.0", "control/spin-lock|lincheck|CLEAN|2|3");
        p.setProperty("row.1", "control/spin-lock|explorer|CLEAN|3|3");
        p.setProperty("disagreement.0", "2|control/spin-lock, Lincheck|CLEAN|VIOLATION (LOST_UPDATE)|lost update|target/soak/x.txt");
        Path results = tmp.resolve("results");
        SoakReport.write(results, "control-quick", p);
        String md = Files.readString(results.resolve("soak.md"));
        assertTrue(md.contains("## protocol control, quick mode: 3 run(s)"), md);
        assertTrue(md.contains("**2 of 3 run(s) agreed with every expectation; 1 disagreement(s).**"), md);
        assertTrue(md.contains("a run took 1 min 0 s (median), 50 s to 1 min 10 s"), md);
        assertTrue(md.contains("| control/spin-lock | ✗ 2/3 CLEAN | not run | not run | 3/3 CLEAN |"), md);
        assertTrue(md.contains("- run 2, control/spin-lock, Lincheck: expected CLEAN, observed VIOLATION (LOST_UPDATE): lost update"), md);
        String record = Files.readString(results.resolve("soak").resolve("control-quick.properties"));
        assertFalse(record.lines().anyMatch(l -> l.startsWith("#") && !l.contains("soak run")), "no date comment: " + record);
        // a second selection joins the page; the whole catalog comes first
        p.setProperty("key", "all-quick");
        p.setProperty("selection", "all protocols, quick mode");
        SoakReport.write(results, "all-quick", p);
        md = Files.readString(results.resolve("soak.md"));
        assertTrue(md.indexOf("## all protocols") < md.indexOf("## protocol control"), md);
    }
}
