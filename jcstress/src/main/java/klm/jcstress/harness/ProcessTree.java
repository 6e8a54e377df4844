package klm.jcstress.harness;

import java.util.List;

/**
 * Kills a process and everything it started. JCStress's host JVM forks test JVMs; killing only the
 * host leaves the forks spinning under init (measured), so the descendants go first, then the
 * host, and again for any fork that started meanwhile.
 */
final class ProcessTree {
    private ProcessTree() {}

    static int kill(Process p) {
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
