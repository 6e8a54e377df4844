package klm.jcstress.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;

import klm.catalog.Catalog;
import klm.verdict.Checker;
import klm.verdict.Expectation;
import klm.verdict.Kind;
import klm.verdict.RunMode;
import klm.verdict.Variant;
import klm.verdict.Verdict;

/**
 * Every JCStress test class agrees with the catalog: one actor per CPU of the scenario (two for
 * larger scenarios, see below); "OK"
 * acceptable; a BUGGY variant's bad outcomes declared interesting (so the run goes on and the stage
 * counts them); a FIXED variant with nothing interesting and everything else forbidden.
 */
class JcstressCatalogTest {

    static List<Variant> withJcstress() {
        return Catalog.all().stream().filter(v -> v.expected(Checker.JCSTRESS).verdict() != Verdict.NOT_RUN).toList();
    }

    /**
     * The quick stage's default budget grows with the tests it runs, so that a loaded machine does not
     * turn a larger catalog into budget errors: the whole catalog gets at least 60 s per effort unit.
     */
    @Test
    void quickBudgetScalesWithTheTests() {
        int effort = withJcstress().stream().mapToInt(Variant::jcstressEffort).sum();
        long budget = JcstressStage.defaultBudgetSeconds(RunMode.QUICK, effort);
        assertTrue(budget >= 60L * effort, "budget " + budget + " s for " + effort + " effort units");
        assertEquals(1200, JcstressStage.defaultBudgetSeconds(RunMode.QUICK, 1), "a one-test selection keeps the floor");
        assertTrue(JcstressStage.defaultBudgetSeconds(RunMode.QUICK, effort + 10) > budget, "more tests, more budget");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("withJcstress")
    void testClassMatchesTheCatalog(Variant v) throws Exception {
        assertNotNull(v.jcstressTest(), v + " expects a JCStress verdict but names no test class");
        Class<?> c = Class.forName(v.jcstressTest());
        assertNotNull(c.getAnnotation(JCStressTest.class), c + " is not a @JCStressTest");
        long actors = Arrays.stream(c.getDeclaredMethods()).filter((Method m) -> m.isAnnotationPresent(Actor.class)).count();
        int cpus = v.newRun().cpus();
        // One actor per simulated CPU; a scenario with more CPUs than this 2-core machine can give
        // JCStress actors runs as two actors, the first starting the rest (ScenarioRun.runCpuWithHelpers).
        assertEquals(Math.min(cpus, 2), actors, c + ": actors for a " + cpus + "-CPU scenario");

        Map<String, Expect> declared = new HashMap<>();
        Expect other = null;
        for (Outcome o : c.getAnnotationsByType(Outcome.class)) {
            if (o.id().length == 0 || (o.id().length == 1 && o.id()[0].isEmpty())) {
                other = o.expect(); // the catch-all: every state not named elsewhere
                continue;
            }
            for (String id : o.id()) {
                declared.put(id, o.expect());
            }
        }
        assertEquals(Expect.ACCEPTABLE, declared.get("OK"), c + ": OK must be acceptable");
        assertEquals(Expect.FORBIDDEN, other, c + ": anything undeclared must be forbidden");
        Expectation e = v.expected(Checker.JCSTRESS);
        if (v.kind() == Kind.BUGGY) {
            for (String name : e.outcomes()) {
                assertEquals(Expect.ACCEPTABLE_INTERESTING, declared.get(name), c + ": the bug's outcome " + name);
            }
        } else {
            assertTrue(declared.values().stream().noneMatch(x -> x == Expect.ACCEPTABLE_INTERESTING),
                    c + ": a FIXED variant has no interesting outcome; bad ones are forbidden");
        }
    }
}
