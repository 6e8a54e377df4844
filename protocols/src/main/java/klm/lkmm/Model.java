package klm.lkmm;

/** An axiomatic memory model: which candidate executions it allows. */
public interface Model {
    /** The model's name: lkmm, sc, tso. */
    String name();

    /** The name of the first axiom {@code x} violates, or null if the model allows {@code x}. */
    String violated(Execution x);

    /**
     * The flags an allowed execution {@code x} raises (cat: {@code flag ~empty r as name}): they
     * remove no execution; herd7 reports them beside the answer. None unless the model has some.
     */
    default java.util.List<String> flags(Execution x) {
        return java.util.List.of();
    }

    /** The models by name; anything else is an error naming the valid ones. */
    static Model named(String name) {
        return switch (name) {
            case "lkmm" -> new Lkmm();
            case "sc" -> new Sc();
            case "tso" -> new Tso();
            default -> throw new IllegalArgumentException("unknown axiomatic model '" + name + "'; valid: lkmm, sc, tso");
        };
    }
}
