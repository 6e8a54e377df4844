package klm.verdict;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

import klm.scenario.ScenarioRun;

/**
 * One variant of a protocol: BUGGY or FIXED, the scenario that exercises it, and the verdict each
 * checker is expected to give. Built with {@link #buggy} / {@link #fixed} and the fluent setters.
 */
public final class Variant {
    private final String protocol;
    private final String name;
    private final Kind kind;
    private final Supplier<? extends ScenarioRun> scenario;
    /** For a variant declared with its bugs: the set, made fresh for each run, and the run it makes. */
    @SuppressWarnings("rawtypes")
    private Supplier bugSupplier;
    @SuppressWarnings("rawtypes")
    private java.util.function.Function factory;
    private final Map<Checker, Expectation> expected = new HashMap<>();
    /** The explorer's expectations by memory model id; {@link #STRONGEST} for the strongest model's. */
    private final Map<String, Expectation> explorerExpected = new HashMap<>();
    private static final String STRONGEST = "";
    private String summary = "";
    private String kernelRef = "";
    private Provenance provenance;
    private java.util.List<String> fixedBy = java.util.List.of();
    /** The model's {@code Bug} constants this variant's code has (empty: the code after every fix). */
    private java.util.List<Enum<?>> bugs = java.util.List.of();
    /** For a FIXED variant the kernel shipped: the full hash of the commit it follows. */
    private String fixCommit = "";
    /** For a BUGGY variant: what goes wrong in the explorer's counterexample, in 3 to 5 sentences. */
    private java.util.List<String> story = java.util.List.of();
    private String jcstressTest;
    private int jcstressEffort = 1;
    /**
     * Quick mode's bound for a clean run (FIXED, or a bug Lincheck cannot see): 200 by default;
     * mmu-notifier's remove pair states 300, as deep as its buggy twin is found (invocation 119).
     * A clean run costs 10-30 ms per invocation. A variant Lincheck must find gets at least
     * {@link #LINCHECK_SEARCH_BOUND}.
     */
    private int lincheckQuick = 200;
    private int lincheckThorough = 10_000;

    private Variant(String protocol, String name, Kind kind, Supplier<? extends ScenarioRun> scenario) {
        this.protocol = Objects.requireNonNull(protocol);
        this.name = Objects.requireNonNull(name);
        this.kind = kind;
        this.scenario = scenario;
    }

    public static Variant buggy(String protocol, String name, Supplier<? extends ScenarioRun> scenario) {
        return new Variant(protocol, name, Kind.BUGGY, scenario);
    }

    public static Variant fixed(String protocol, String name, Supplier<? extends ScenarioRun> scenario) {
        return new Variant(protocol, name, Kind.FIXED, scenario);
    }

    /**
     * A BUGGY variant whose code differs from its fix by the model's {@code Bug} constants it has:
     * the scenario is built from the same set the page's generated Java diff reads. The set is a
     * supplier ({@code () -> EnumSet.of(Bug.X)}) called inside each run, and {@code scenario} must be
     * a lambda ({@code bugs -> new Run(bugs)}), not a constructor reference: with {@code Run::new},
     * Lincheck's model checker stopped after 3 invocations and called its exploration complete
     * (docs/DESIGN.md, "What Lincheck taught us"; CatalogPairsTest rejects it).
     */
    public static <B extends Enum<B>> Variant buggy(String protocol, String name,
                                                    Supplier<java.util.EnumSet<B>> bugs,
                                                    java.util.function.Function<java.util.EnumSet<B>, ? extends ScenarioRun> scenario) {
        return declared(protocol, name, Kind.BUGGY, bugs, scenario);
    }

    /** A FIXED variant with the {@code Bug} constants its code still has (none: after every fix). */
    public static <B extends Enum<B>> Variant fixed(String protocol, String name,
                                                    Supplier<java.util.EnumSet<B>> bugs,
                                                    java.util.function.Function<java.util.EnumSet<B>, ? extends ScenarioRun> scenario) {
        return declared(protocol, name, Kind.FIXED, bugs, scenario);
    }

    private static <B extends Enum<B>> Variant declared(String protocol, String name, Kind kind,
                                                        Supplier<java.util.EnumSet<B>> bugs,
                                                        java.util.function.Function<java.util.EnumSet<B>, ? extends ScenarioRun> scenario) {
        Variant v = new Variant(protocol, name, kind, null);
        v.bugSupplier = bugs;
        v.factory = scenario;
        v.bugs = java.util.List.copyOf(bugs.get());
        return v;
    }

    /** The {@code Bug} constants of the model this variant's code has. */
    public java.util.List<Enum<?>> bugs() {
        return bugs;
    }

    /** For a FIXED variant the kernel shipped: the full hash of the commit it follows (docs/KERNEL-COMMITS.md). */
    public Variant fixCommit(String fullHash) {
        if (!fullHash.matches("[0-9a-f]{40}")) {
            throw new IllegalArgumentException(id() + ": a fix commit is a full 40-digit hash, not '" + fullHash + "'");
        }
        this.fixCommit = fullHash;
        return this;
    }

    public String fixCommit() {
        return fixCommit;
    }

    /**
     * What goes wrong in the explorer's first counterexample, step by step, in 3 to 5 sentences.
     * Every name in backticks must appear in that counterexample's table (StoryTest runs the
     * explorer and checks), so the story cannot drift from the trace it explains.
     */
    public Variant story(String... sentences) {
        this.story = java.util.List.of(sentences);
        return this;
    }

    public java.util.List<String> story() {
        return story;
    }

    public Variant summary(String text) {
        this.summary = text;
        return this;
    }

    /** The kernel function, commit or release this variant stands for. */
    public Variant kernel(String ref) {
        this.kernelRef = ref;
        return this;
    }

    /** Where the code comes from (historical, intermediate, counterfactual, mutation). */
    public Variant provenance(Provenance p) {
        this.provenance = Objects.requireNonNull(p);
        return this;
    }

    /** For a BUGGY variant: the FIXED variants of the same protocol that fix it (its pair). */
    public Variant fixedBy(String... fixedVariants) {
        this.fixedBy = java.util.List.of(fixedVariants);
        return this;
    }

    public Provenance provenance() {
        return provenance;
    }

    public java.util.List<String> fixedBy() {
        return fixedBy;
    }

    public Variant expect(Checker checker, Expectation e) {
        expected.put(checker, e);
        return this;
    }

    public Variant lincheck(Expectation e) {
        return expect(Checker.LINCHECK, e);
    }

    public Variant jcstress(Expectation e, String testClass) {
        this.jcstressTest = testClass;
        return expect(Checker.JCSTRESS, e);
    }

    public Variant lockdep(Expectation e) {
        return expect(Checker.LOCKDEP, e);
    }

    /**
     * The explorer's expectation under its strongest memory model (sequential consistency), where it
     * differs from the one derived from Lincheck's (see {@link #expected}).
     */
    public Variant explorer(Expectation e) {
        explorerExpected.put(STRONGEST, Objects.requireNonNull(e));
        return this;
    }

    /**
     * The explorer's expectation under memory model {@code model} ("tso", "ra"), where it differs
     * from the default: the expectation under the next stronger model.
     */
    public Variant explorer(String model, Expectation e) {
        explorerExpected.put(Objects.requireNonNull(model), Objects.requireNonNull(e));
        return this;
    }

    /** The memory models this variant states an explorer expectation for by name (each must be registered). */
    public java.util.Set<String> explorerModelsNamed() {
        java.util.Set<String> s = new java.util.TreeSet<>(explorerExpected.keySet());
        s.remove(STRONGEST);
        return s;
    }

    /**
     * For a bug JCStress sees only a few times per million samples (a store-buffering window of
     * nanoseconds): run its quick-mode iterations {@code factor} times longer, for more samples.
     */
    public Variant jcstressEffort(int factor) {
        this.jcstressEffort = factor;
        return this;
    }

    public int jcstressEffort() {
        return jcstressEffort;
    }

    /** Lincheck invocations in quick and thorough mode (the bound a FIXED variant must pass). */
    public Variant invocations(int quick, int thorough) {
        this.lincheckQuick = quick;
        this.lincheckThorough = thorough;
        return this;
    }

    public String protocol() { return protocol; }

    public String name() { return name; }

    public String id() { return protocol + "/" + name; }

    public Kind kind() { return kind; }

    public String summary() { return summary; }

    public String kernelRef() { return kernelRef; }

    /** Fully qualified JCStress test class, or null if this variant has no JCStress test. */
    public String jcstressTest() { return jcstressTest; }

    public int lincheckInvocations(RunMode mode) {
        int bound = mode == RunMode.THOROUGH ? lincheckThorough : lincheckQuick;
        return expected(Checker.LINCHECK).verdict().found() ? Math.max(bound, LINCHECK_SEARCH_BOUND) : bound;
    }

    /**
     * The bound of a variant Lincheck must find. A run stops at its first counterexample, so this
     * bound costs nothing while the bug is found and only caps how long a broken expectation takes
     * to report. It is generous because Lincheck's exploration is not exactly reproducible from one
     * JVM to the next, so a bound near the usual depth would flake (docs/DESIGN.md, "Lincheck's
     * bounds", has the depths seen).
     */
    static final int LINCHECK_SEARCH_BOUND = 2_000;

    public Expectation expected(Checker c) {
        if (c.isExplorer()) {
            return explorerExpected(c);
        }
        Expectation e = expected.get(c);
        return e != null ? e : Expectation.notRun("no " + c.title() + " test for this variant");
    }

    /**
     * The explorer's expectation under a column's memory model: the one stated for it; else, for
     * the strongest model, the one derived from Lincheck's; else the next stronger model's (what a
     * stronger model shows, a weaker one shows too, and a fix clean there is clean here), or, where
     * that one does not run, the next one up.
     */
    private Expectation explorerExpected(Checker c) {
        Expectation e = explorerExpected.get(c.fallback() == null ? STRONGEST : c.model());
        if (e == null && c.fallback() == null) {
            e = explorerExpected.get(c.model());
        }
        if (e != null) {
            return e;
        }
        if (c.fallback() == null) {
            return explorerFromLincheck();
        }
        Checker f = c.fallback();
        Expectation d = expected(f);
        while (d.verdict() == Verdict.NOT_RUN && f.fallback() != null) {
            f = f.fallback();
            d = expected(f);
        }
        return d;
    }

    /**
     * Both checkers run the same model code under sequential consistency, so by default the
     * explorer is expected to see what Lincheck sees (and a FIXED variant to come out CLEAN after a
     * complete exploration), and not to see what Lincheck cannot see for the same reason.
     */
    private Expectation explorerFromLincheck() {
        Expectation lin = expected.get(Checker.LINCHECK);
        if (lin == null) {
            return kind == Kind.FIXED ? Expectation.clean() : Expectation.notRun("no explorer expectation for this variant");
        }
        return switch (lin.verdict()) {
            case NOT_SEEN -> Expectation.notSeen("the explorer, like Lincheck, runs the model under sequential consistency: "
                    + lin.why());
            case NOT_RUN -> Expectation.notRun(lin.why());
            default -> lin;
        };
    }

    /** A fresh run of this variant's scenario. */
    @SuppressWarnings("unchecked")
    public ScenarioRun newRun() {
        return factory != null ? (ScenarioRun) factory.apply(bugSupplier.get()) : scenario.get();
    }

    @Override
    public String toString() {
        return id();
    }
}
