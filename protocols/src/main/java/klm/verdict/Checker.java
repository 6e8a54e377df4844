package klm.verdict;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * The checkers, in the order the results table shows them: Lincheck, JCStress, lockdep, then the
 * explorer once per memory model. The explorer's columns are not known here: a {@link Source}
 * found by {@link ServiceLoader} (the explorer's registry of memory models) supplies them, so the
 * vocabulary the protocols use depends on no checker.
 */
public final class Checker {
    /** What supplies the explorer's columns (one per memory model), registered as a service. */
    public interface Source {
        List<Checker> columns();
    }

    public static final Checker LINCHECK = new Checker("Lincheck", "lincheck", null, null);
    public static final Checker JCSTRESS = new Checker("JCStress", "jcstress", null, null);
    public static final Checker LOCKDEP = new Checker("lockdep", "lockdep", null, null);

    private static final List<Checker> FIXED = List.of(LINCHECK, JCSTRESS, LOCKDEP);
    private static final Map<String, Checker> EXPLORERS = new LinkedHashMap<>();
    private static List<Source> sources;

    private final String title;
    private final String key;
    private final String model;
    private final Checker fallback;

    private Checker(String title, String key, String model, Checker fallback) {
        this.title = title;
        this.key = key;
        this.model = model;
        this.fallback = fallback;
    }

    /**
     * The explorer's column under the memory model {@code model}, made once: {@code fallback} is the
     * column whose expectation a variant's defaults to here (the next stronger model's), or null
     * for the strongest model.
     */
    public static synchronized Checker explorer(String model, String key, String title, Checker fallback) {
        Checker c = EXPLORERS.get(model);
        if (c == null) {
            c = new Checker(title, key, model, fallback);
            EXPLORERS.put(model, c);
        } else if (!c.key.equals(key) || c.fallback != fallback) {
            throw new IllegalStateException("the explorer's column for '" + model + "' was made twice, differently");
        }
        return c;
    }

    /** Every checker's column: the fixed ones, then the explorer's, as its sources supply them. */
    public static List<Checker> values() {
        List<Checker> all = new ArrayList<>(FIXED);
        for (Source s : sources()) {
            all.addAll(s.columns());
        }
        return Collections.unmodifiableList(all);
    }

    /** The explorer's columns, strongest model first. */
    public static List<Checker> explorers() {
        return values().subList(FIXED.size(), values().size());
    }

    /** Every column but {@code c}. */
    public static java.util.Set<Checker> allBut(Checker c) {
        java.util.Set<Checker> s = new java.util.LinkedHashSet<>(values());
        s.remove(c);
        return s;
    }

    /** The column with this key, or an error naming the valid keys. */
    public static Checker byKey(String key) {
        for (Checker c : values()) {
            if (c.key.equals(key)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown checker '" + key + "'; valid: "
                + String.join(", ", values().stream().map(Checker::key).toList()));
    }

    private static synchronized List<Source> sources() {
        if (sources == null) {
            List<Source> l = new ArrayList<>();
            ServiceLoader.load(Source.class, Checker.class.getClassLoader()).forEach(l::add);
            sources = l;
        }
        return sources;
    }

    public String title() {
        return title;
    }

    /** Lower-case name used in files and JSON. */
    public String key() {
        return key;
    }

    /** True for one of the explorer's columns. */
    public boolean isExplorer() {
        return model != null;
    }

    /** For an explorer column, the id of its memory model ("sc"); null otherwise. */
    public String model() {
        return model;
    }

    /** For an explorer column, the column of the next stronger model, or null (the strongest; or not an explorer column). */
    public Checker fallback() {
        return fallback;
    }

    @Override
    public String toString() {
        return key;
    }
}
