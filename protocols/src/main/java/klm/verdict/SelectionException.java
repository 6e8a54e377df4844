package klm.verdict;

/** Bad input to the main job: an unknown protocol, variant or mode, or a malformed option. */
public final class SelectionException extends IllegalArgumentException {
    public SelectionException(String message) {
        super(message);
    }
}
