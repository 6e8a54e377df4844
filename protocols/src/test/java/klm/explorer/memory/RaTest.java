package klm.explorer.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

import klm.explorer.Explorer;
import klm.explorer.Prog;
import klm.scenario.Outcome;

/** The release/acquire model end to end: a stale read is a choice the trace and the replay string name. {@link RaRulesTest} checks each rule. */
class RaTest {
    private static final Explorer.Options RA = Explorer.Options.DEFAULT.under(Ra.MODEL);

    /** MP: data then flag; the reader takes flag then data; {@code release} publishes the flag with smp_store_release(). */
    private static Supplier<Prog> mp(boolean release) {
        return () -> new Prog(2, (p, cpu) -> {
            if (cpu == 0) {
                p.w[0].writeOnce(1);
                if (release) {
                    p.w[1].storeRelease(1);
                } else {
                    p.w[1].writeOnce(1);
                }
            } else {
                int flag = release ? p.w[1].loadAcquire() : p.w[1].readOnce();
                p.w[2].writeOnce(flag);
                p.w[3].writeOnce(p.w[0].readOnce());
            }
        }, p -> p.w[2].readOnce() == 1 && p.w[3].readOnce() == 0 ? Outcome.violation("MP", "flag without data") : Outcome.OK);
    }

    @Test
    void underRaAStaleReadIsAChoiceTheTraceAndTheReplayStringName() {
        Explorer.Result r = Explorer.explore(mp(false), RA);
        assertEquals("MP", r.outcome().name(), "RA lets the reader see the flag before the data");
        assertTrue(r.trace().contains("reads an old write"), r.trace());
        assertTrue(r.schedule().matches(".*\\dr1.*"), "the stale read is an 'r' run of the replay string: " + r.schedule());
        Explorer.Result again = Explorer.replay(mp(false), r.schedule(), Ra.MODEL);
        assertEquals("MP", again.outcome().name(), again.trace());
        Explorer.Result fixed = Explorer.explore(mp(true), RA);
        assertTrue(fixed.outcome().ok() && fixed.complete(), "release/acquire forbids it: " + fixed.trace());
        // an 'r' run outside RA, and a read past the oldest write, are named errors
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Explorer.replay(mp(false), r.schedule()));
        assertTrue(e.getMessage().contains("-Dklm.memory=ra"), e.getMessage());
        String tooOld = r.schedule().replaceFirst("r1", "r9");
        e = assertThrows(IllegalArgumentException.class, () -> Explorer.replay(mp(false), tooOld, Ra.MODEL));
        assertTrue(e.getMessage().contains("older one"), e.getMessage());
    }
}
