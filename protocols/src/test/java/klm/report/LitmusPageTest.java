package klm.report;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import klm.catalog.Selection;

/**
 * results/litmus.md as the summary writes it: from the corpus files and the answers a run left,
 * never from a list of its own. A model answering Sometimes where the file's Result is Never is
 * shown as weaker and counted; a stronger answer shows the file's klm-why; the cost section
 * quotes herd7 and computes every figure of its own from the benchmark's file.
 */
class LitmusPageTest {
    @TempDir
    Path tmp;

    private static final String MP = "protocols/litmus/kernel/MP+poonceonces.litmus";
    private static final String SB_MB = "protocols/litmus/kernel/SB+fencembonceonces.litmus";

    @Test
    void theSummaryRendersThePageFromTheFilesAndTheRunsAnswers() throws IOException {
        Path obs = tmp.resolve("obs");
        LitmusPage.writeAnswers(LitmusPage.answersFile(obs, "r"), List.of(
                new LitmusPage.Answer(MP, LitmusPage.AXIOMATIC_LKMM, "Sometimes", 4, 4, 1, true),
                new LitmusPage.Answer(MP, "m1", "Never", 3, 3, 0.5, true),
                new LitmusPage.Answer(MP, "m2", "Sometimes", 4, 7, 1.5, true),
                new LitmusPage.Answer(SB_MB, LitmusPage.AXIOMATIC_LKMM, "Never", 3, 3, 1, true),
                new LitmusPage.Answer(SB_MB, "m1", "Never", 3, 3, 0.5, true),
                new LitmusPage.Answer(SB_MB, "m2", "Sometimes", 4, 9, 2, true)));
        LitmusPage.writeRows(LitmusPage.walksFile(obs, "r"), List.of(new String[] {MP, "m1", "same"}, new String[] {MP, "m2", "same"},
                new String[] {SB_MB, "m1", "same"}, new String[] {SB_MB, "m2", "too large"}));
        new Summary(Selection.parse("control", "", "quick"), obs, "r").writeTo(tmp.resolve("results"), tmp.resolve("staging"));
        String page = Files.readString(tmp.resolve("results/litmus.md"));

        String mp = row(page, "[MP+poonceonces]");
        assertTrue(mp.contains("| 2 | Sometimes | Sometimes | Never (stronger) | Sometimes | yes |"), mp);
        String why = Files.readString(Summary.projectDir().resolve(MP)).replaceAll("(?s).*\\(\\* klm-why: (.*?) \\*\\).*", "$1");
        assertTrue(mp.endsWith("| " + why + " |"), "the file's klm-why, in the row: " + mp);
        assertTrue(mp.contains("https://github.com/torvalds/linux/blob/"), "the kernel's file it was written from: " + mp);

        String sb = row(page, "[SB+fencembonceonces]");
        assertTrue(sb.contains("| Never | Never | Never | ✗ Sometimes (weaker) | yes where walked; m2: the walk is too large"), sb);
        assertTrue(page.contains("**1 of 2 files with a published result: no model weaker.**"), page);
        assertTrue(page.contains("| m2 | 1 | 0 | ✗ 1 | 0 |"), "the per-model counts: " + page);
        assertTrue(page.contains("| SB+fencembonceonces | 3 / 3 / 0.5 ms | 4 / 9 / 2.0 ms |"), "states / executions / time: " + page);
    }

    @Test
    void theCostSectionQuotesHerd7AndComputesItsOwnFiguresFromTheBenchmark() throws IOException {
        Path tsv = tmp.resolve("litmus-bench.tsv");
        Files.writeString(tsv, """
                # date\t2026-01-01T00:00:00Z
                # commit\tabc
                # machine\tsome machine
                # method\tfive runs.
                protocols/litmus/kernel/A.litmus\tA\t2\tm1\t4.000\t3
                protocols/litmus/kernel/B.litmus\tB\t4\tm1\t25.000\t15
                """);
        String s = LitmusPage.bench(tsv);
        assertTrue(s.contains("1,852 of them in about 22 s") && s.contains("16 of 923"), "herd7's figures, quoted: " + s);
        assertTrue(s.contains("machine: some machine"), s);
        assertTrue(s.contains("| m1 | 2 | 29 ms | 25 ms | 1 of 2 | B (4) | 25 ms |"), s);
        assertTrue(s.contains("Over 10 ms: m1: B (4 CPUs, 25 ms)"), s);
        assertTrue(s.contains("Its largest test has 4 CPUs"), s);
        assertFalse(LitmusPage.bench(tmp.resolve("none.tsv")).contains("Measured"), "no benchmark, no figures");
        assertTrue(LitmusPage.withBench("# page\n\n" + LitmusPage.BENCH_HEADING + "\n\nold\n", s).endsWith(s)
                && !LitmusPage.withBench("# page\n\n" + LitmusPage.BENCH_HEADING + "\n\nold\n", s).contains("old"),
                "the benchmark replaces the section it wrote before");
    }

    private static String row(String page, String start) {
        return page.lines().filter(l -> l.startsWith("| " + start)).findFirst().orElseThrow(() -> new AssertionError("no row " + start));
    }
}
