package klm.kernel;

/**
 * Thrown on every other CPU of a machine once one CPU has died of a deadlock or a bug (like a
 * kernel panic stopping the other CPUs). Without it a CPU spinning on a lock that the dead CPU
 * still holds would hang, and the hang would hide the error that caused it. It is never the
 * outcome of a run: the error that halted the machine is, so it carries no stack trace (the
 * explorer throws one on every CPU of every execution it cuts short).
 */
public final class MachineHalted extends Error {
    public MachineHalted(Cpu cpu) {
        super(cpu.name() + " stopped: another CPU of this machine died", null, false, false);
    }
}
