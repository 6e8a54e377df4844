package klm.litmus;

/**
 * A litmus file that cannot be read or run as written: malformed text, a construct the project
 * does not model, or a final clause naming something the test does not have. The message names
 * the construct, the file and the line; there is no verdict for such a file.
 */
public final class LitmusException extends RuntimeException {
    private final transient Ast.Pos pos;

    public LitmusException(Ast.Pos pos, String message) {
        super(pos + ": " + message);
        this.pos = pos;
    }

    /** Where in the file the problem is. */
    public Ast.Pos pos() {
        return pos;
    }
}
