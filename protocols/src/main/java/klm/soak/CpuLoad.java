package klm.soak;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A CPU load beside the soak's builds ({@code -Dklm.soak.load=N}): N busy threads in the soak's own
 * JVM, each spinning on arithmetic, started before a build and stopped after it, and the machine's
 * one-minute load average sampled while the build runs, so the report can say what load each run met.
 */
final class CpuLoad implements AutoCloseable {
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean stop;
    private double sum;
    private double max;
    private int samples;

    CpuLoad(int busyThreads) {
        for (int i = 0; i < busyThreads; i++) {
            Thread t = new Thread(this::spin, "soak-load-" + i);
            t.setDaemon(true);
            t.start();
            threads.add(t);
        }
    }

    private void spin() {
        long x = 1;
        while (!stop) {
            x = x * 6364136223846793005L + 1442695040888963407L; // work the JIT cannot remove: its result is kept
            if (x == 42) {
                System.out.print("");
            }
        }
    }

    /** Takes one sample of the one-minute load average (Linux's /proc/loadavg; nothing elsewhere). */
    void sample() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            double l = Double.parseDouble(f[0]);
            sum += l;
            max = Math.max(max, l);
            samples++;
        } catch (IOException | RuntimeException e) {
            // no /proc: the report says the load was not sampled
        }
    }

    /** "2.1 average, 3.4 at most (one-minute load average, 12 samples)", or why there is none. */
    String describe() {
        return samples == 0 ? "not sampled" : String.format(java.util.Locale.ROOT,
                "%.1f average, %.1f at most (one-minute load average, %d samples)", sum / samples, max, samples);
    }

    @Override
    public void close() throws InterruptedException {
        stop = true;
        for (Thread t : threads) {
            t.join();
        }
    }
}
