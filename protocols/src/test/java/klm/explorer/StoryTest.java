package klm.explorer;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import klm.catalog.Catalog;
import klm.verdict.Checker;
import klm.verdict.Observation;
import klm.verdict.RunMode;
import klm.verdict.Variant;

/**
 * Every BUGGY variant the explorer is expected to find under sequential consistency has a story of
 * 3 to 5 sentences under its counterexample (a variant only a weak memory model shows may have one
 * too, told about the counterexample its page shows: TSO's, else RA's), and every name the story
 * puts in backticks is in that counterexample's table: the explorer runs each variant here, under
 * that model, and the story is checked against the trace it explains.
 */
class StoryTest {
    private static final Pattern TOKEN = Pattern.compile("`([^`]+)`");

    @Test
    void everyStoryNamesOnlyWhatItsCounterexampleShows() {
        List<String> wrong = new ArrayList<>();
        int stories = 0;
        for (Variant v : Catalog.all()) {
            Checker shown = null;
            for (Checker c : Checker.explorers()) {
                if (shown == null && v.expected(c).verdict().found()) {
                    shown = c;
                }
            }
            if (shown == null) {
                if (!v.story().isEmpty()) {
                    wrong.add(v.id() + ": a story, but no counterexample to tell it about");
                }
                continue;
            }
            if (shown.fallback() != null && v.story().isEmpty()) {
                continue; // only a weak model shows it: a story is welcome, not required
            }
            if (v.story().size() < 3 || v.story().size() > 5) {
                wrong.add(v.id() + ": " + v.story().size() + " sentences (3 to 5 expected)");
                continue;
            }
            stories++;
            Observation o = ExplorerDriver.observe(v, ExplorerDriver.options(RunMode.QUICK).under(klm.explorer.memory.MemoryModels.of(shown)));
            // Each row has one CPU's cell, and a long cell continues on the next lines: without blanks
            // and column bars, a wrapped name reads whole again.
            String trace = squeeze(o.trace);
            for (String sentence : v.story()) {
                Matcher m = TOKEN.matcher(sentence);
                while (m.find()) {
                    String token = m.group(1);
                    if (!trace.contains(squeeze(token))) {
                        wrong.add(v.id() + ": `" + token + "` is not in the counterexample");
                    }
                }
            }
        }
        assertTrue(stories >= 20, "stories checked: " + stories);
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }

    private static String squeeze(String s) {
        return s.replaceAll("[\\s|]+", "");
    }
}
