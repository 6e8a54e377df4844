package klm.lkmm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import klm.lkmm.Candidates.Verdict;
import org.junit.jupiter.api.Test;

/**
 * The generated corpus: its size and names, LKMM's known answers on named members, and, on a fixed
 * sample (every 25th test), the ordering the models must keep: SC no weaker than x86-TSO, x86-TSO
 * no weaker than LKMM (the kernel's model allows whatever x86 does). The whole corpus runs in
 * {@link Corpus}.
 */
class GeneratorTest {
    private static final List<Generator.Test> ALL = Generator.all();

    @Test
    void atLeastTwoThousandDistinctDeterministicTests() {
        assertTrue(ALL.size() >= 2000, "only " + ALL.size() + " tests");
        assertEquals(ALL.size(), new HashSet<>(ALL.stream().map(Generator.Test::name).toList()).size(), "names are distinct");
        assertEquals(ALL.stream().map(Generator.Test::litmus).toList(), Generator.all().stream().map(Generator.Test::litmus).toList());
    }

    private static Verdict lkmm(String name) {
        Generator.Test t = ALL.stream().filter(x -> x.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no generated test " + name));
        return Candidates.run(t.program(), new Lkmm()).verdict();
    }

    @Test
    void knownAnswers() {
        Map<String, Verdict> known = Map.ofEntries(
                Map.entry("SB+o-o+o-o", Verdict.SOMETIMES),
                Map.entry("SB+o-mb-o+o-mb-o", Verdict.NEVER),
                Map.entry("SB+rel-acq+rel-acq", Verdict.SOMETIMES),
                Map.entry("MP+o-wmb-o+o-rmb-o", Verdict.NEVER),
                Map.entry("MP+o-rel+acq-o", Verdict.NEVER),
                Map.entry("MP+o-wmb-o+o-ctrl-o", Verdict.SOMETIMES),
                Map.entry("MP+o-wmb-o+o-addr-o", Verdict.NEVER),
                Map.entry("LB+o-o+o-o", Verdict.SOMETIMES),
                Map.entry("LB+o-ctrl-o+o-mb-o", Verdict.NEVER),
                Map.entry("LB+acq-o+o-rel", Verdict.NEVER),
                Map.entry("IRIW+o+o-mb-o+o-mb-o+o", Verdict.NEVER),
                Map.entry("IRIW+o+acq-o+acq-o+o", Verdict.SOMETIMES),
                // the release's A-cumulativity: a relaxed read, then a release store
                Map.entry("ISA2+o-rel+o-rel+acq-o", Verdict.NEVER),
                Map.entry("ISA2+o-mb-o+l-o-o-ul+l-o-o-ul", Verdict.NEVER),
                Map.entry("Z6.0+l-o-o-ul+l-o-o-ul+o-mb-o", Verdict.SOMETIMES),
                Map.entry("2+2W+o-mb-o+o-mb-o", Verdict.NEVER),
                Map.entry("2+2W+o-o+o-o", Verdict.SOMETIMES),
                Map.entry("S+o-wmb-o+acq-o", Verdict.NEVER),
                Map.entry("R+o-mb-o+o-mb-o", Verdict.NEVER),
                Map.entry("WRC+o+o-rel+o-rmb-o", Verdict.NEVER));
        List<String> wrong = known.entrySet().stream().filter(e -> lkmm(e.getKey()) != e.getValue())
                .map(e -> e.getKey() + ": LKMM's answer is " + e.getValue() + ", got " + lkmm(e.getKey())).sorted().toList();
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }

    @Test
    void sampleKeepsScAboveTsoAboveLkmm() {
        List<Generator.Test> sample = Generator.sample(25);
        assertTrue(sample.size() >= 80);
        for (Generator.Test t : sample) {
            Verdict l = Candidates.run(t.program(), new Lkmm()).verdict();
            Verdict tso = Candidates.run(t.program(), new Tso()).verdict();
            Verdict sc = Candidates.run(t.program(), new Sc()).verdict();
            assertTrue(Corpus.compare(tso, l) != 2, t.name() + ": x86-TSO allows what LKMM forbids\n" + t.litmus());
            assertTrue(Corpus.compare(sc, tso) != 2, t.name() + ": SC allows what x86-TSO forbids\n" + t.litmus());
        }
    }
}
