package klm.process;

import java.util.List;

/**
 * Kills a process and everything it started: JCStress's host JVM and the test JVMs it forks, the
 * soak run's Maven build and its forked test JVMs, Fray's JVM. Killing only the top process leaves
 * its children running under init (measured with JCStress's forks), so the descendants go first,
 * then the process, and again for any child that started meanwhile.
 */
public final class ProcessTree {
    private ProcessTree() {}

    /** Kills {@code p} and its descendants and waits for them to end; returns how many processes were killed. */
    public static int kill(Process p) {
        int killed = 0;
        for (int round = 0; round < 3; round++) {
            List<ProcessHandle> tree = p.toHandle().descendants().toList();
            for (ProcessHandle h : tree) {
                if (h.destroyForcibly()) {
                    killed++;
                }
            }
            if (round == 0 && p.toHandle().destroyForcibly()) {
                killed++;
            }
            for (ProcessHandle h : tree) {
                h.onExit().join();
            }
        }
        try {
            p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return killed;
    }
}
