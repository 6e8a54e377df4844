package klm.explorer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import klm.catalog.Catalog;
import klm.explorer.memory.MemoryModels;
import klm.verdict.Variant;

/**
 * The counterexample the README reads line by line is what the explorer prints today: the block
 * after the README's {@code <!-- readme-counterexample: PROTOCOL/VARIANT MODEL -->} marker is
 * replayed from its own replay string, and the table, the outcome line and the replay string must be
 * the replay's, line for line. A change of the runtime or the trace format that alters the table
 * turns this red, so the README's walk-through cannot go stale.
 */
class ReadmeCounterexampleTest {
    private static final Path README = Path.of("").toAbsolutePath().getParent().resolve("README.md");
    private static final Pattern BLOCK = Pattern.compile(
            "<!-- readme-counterexample: ([a-z0-9-]+)/([a-z0-9-]+) ([a-z]+) -->\\s*```\\n(.*?)```", Pattern.DOTALL);

    @Test
    void theReadmeCounterexampleIsWhatTheExplorerPrints() throws IOException {
        Matcher m = BLOCK.matcher(Files.readString(README));
        assertTrue(m.find(), "README.md has no counterexample block after a readme-counterexample marker");
        Variant v = Catalog.get(m.group(1), m.group(2));
        String shown = m.group(4);
        Matcher replay = Pattern.compile("replay: -Dklm.replay=(\\S+)").matcher(shown);
        assertTrue(replay.find(), "the README's counterexample has no replay line");
        Explorer.Result r = Explorer.replay(v::newRun, replay.group(1), MemoryModels.parse(m.group(3)));
        assertTrue(!r.outcome().ok(), v.id() + ": the README's replay string now ends " + r.outcome().name());
        String printed = r.trace() + "replay: -Dklm.replay=" + r.schedule() + "\n";
        assertEquals(strip(printed), strip(shown), "README.md's counterexample of " + v.id() + " under " + m.group(3)
                + " is not what the explorer prints; paste the replay's table (above: what it prints)");
    }

    /** Trailing blanks aside, line for line. */
    private static String strip(String s) {
        return s.lines().map(String::stripTrailing).reduce("", (a, b) -> a + b + "\n");
    }
}
