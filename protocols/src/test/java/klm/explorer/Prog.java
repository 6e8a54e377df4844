package klm.explorer;

import java.util.function.Supplier;

import klm.kernel.Mutex;
import klm.kernel.SpinLock;
import klm.kernel.Word;
import klm.scenario.Outcome;
import klm.scenario.ScenarioRun;

/** A test program for the explorer: N CPUs, each runs its body on four words, a spin lock and two mutexes; the invariant is given. */
public final class Prog extends ScenarioRun {
    public interface Body {
        void run(Prog p, int cpu);
    }

    public interface Check {
        Outcome check(Prog p);
    }

    public final Word[] w = new Word[4];
    public final SpinLock lock = new SpinLock("test_lock");
    public final Mutex a = new Mutex("lock_a");
    public final Mutex b = new Mutex("lock_b");
    private final Body body;
    private final Check check;

    public Prog(int cpus, Body body, Check check) {
        super(cpus);
        for (int i = 0; i < w.length; i++) {
            w[i] = new Word();
        }
        this.body = body;
        this.check = check;
    }

    @Override
    protected void task(int cpu) {
        body.run(this, cpu);
    }

    @Override
    protected Outcome check() {
        return check.check(this);
    }

    /** A program whose invariant always holds. */
    public static Supplier<Prog> of(int cpus, Body body) {
        return () -> new Prog(cpus, body, p -> Outcome.OK);
    }
}
