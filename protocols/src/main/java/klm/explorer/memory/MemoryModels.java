package klm.explorer.memory;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

import klm.verdict.Checker;

/**
 * The memory models the explorer runs, strongest first: one results column each, and the names
 * {@code -Dklm.memory} accepts. A new model is a class implementing {@link MemoryModel} and one
 * line in {@link #BUILT_IN}; a test may {@link #register} one of its own for its duration.
 */
public final class MemoryModels implements Checker.Source {
    private static final List<MemoryModel> BUILT_IN = List.of(Sc.MODEL, Tso.MODEL, Ra.MODEL);
    private static final List<MemoryModel> MODELS = new CopyOnWriteArrayList<>(BUILT_IN);

    /** For {@link java.util.ServiceLoader}: the explorer's columns for {@link Checker#values()}. */
    public MemoryModels() {}

    @Override
    public List<Checker> columns() {
        List<Checker> l = new ArrayList<>();
        for (MemoryModel m : MODELS) {
            l.add(column(m));
        }
        return l;
    }

    /** Every registered model, strongest first. */
    public static List<MemoryModel> all() {
        return List.copyOf(MODELS);
    }

    /** The model every other one is weaker than (its {@link MemoryModel#stronger()} is null): the default. */
    public static MemoryModel strongest() {
        for (MemoryModel m : MODELS) {
            if (m.stronger() == null) {
                return m;
            }
        }
        throw new IllegalStateException("no memory model is the strongest");
    }

    /** {@code -Dklm.memory=ID}; empty means the strongest; anything else is an error that lists the valid names. */
    public static MemoryModel parse(String value) {
        String v = value == null || value.isBlank() ? strongest().id() : value.trim().toLowerCase(Locale.ROOT);
        for (MemoryModel m : MODELS) {
            if (m.id().equals(v)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown memory model '" + value + "'; valid: " + ids());
    }

    /** The valid names, comma-separated. */
    public static String ids() {
        return String.join(", ", MODELS.stream().map(MemoryModel::id).toList());
    }

    /** The explorer's results column for model {@code m}: "explorer" for the strongest, "explorer-ID" for the others. */
    public static Checker column(MemoryModel m) {
        boolean plain = m.stronger() == null;
        return Checker.explorer(m.id(), plain ? "explorer" : "explorer-" + m.id(),
                plain ? "explorer" : "explorer (" + m.id().toUpperCase(Locale.ROOT) + ")",
                plain ? null : column(m.stronger()));
    }

    /** The model of an explorer column. */
    public static MemoryModel of(Checker column) {
        if (!column.isExplorer()) {
            throw new IllegalArgumentException(column.title() + " is not one of the explorer's columns");
        }
        return parse(column.model());
    }

    /**
     * Registers {@code m} after the built-in models until the returned handle is closed (a model a
     * test defines); its id must be new and its stronger model registered.
     */
    public static AutoCloseable register(MemoryModel m) {
        for (MemoryModel o : MODELS) {
            if (o.id().equals(m.id())) {
                throw new IllegalArgumentException("a memory model named '" + m.id() + "' is registered already");
            }
        }
        if (m.stronger() != null && !MODELS.contains(m.stronger())) {
            throw new IllegalArgumentException(m.id() + "'s stronger model " + m.stronger().id() + " is not registered");
        }
        MODELS.add(m);
        return () -> MODELS.remove(m);
    }
}
