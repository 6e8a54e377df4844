package klm.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The commit the results were generated from ({@code git rev-parse HEAD} in the project
 * directory), marked when the working tree had uncommitted changes, so that nobody takes the
 * results of an edited tree for the commit's.
 */
public final class SourceCommit {
    private SourceCommit() {}

    /** "0123abcd... (with uncommitted changes)", or why it is unknown. */
    public static String describe(Path projectDir) {
        String head = git(projectDir, "rev-parse", "HEAD");
        if (head == null || head.isBlank()) {
            return "unknown (not a git checkout, or git is not installed)";
        }
        String status = git(projectDir, "status", "--porcelain", "--untracked-files=no");
        return head.strip() + (status != null && !status.isBlank() ? " (with uncommitted changes)" : "");
    }

    private static String git(Path dir, String... args) {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "git";
        System.arraycopy(args, 0, cmd, 1, args.length);
        try {
            Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return null;
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
