package klm.explorer.memory;

/**
 * The entity half of {@link Memory} for a model that schedules nothing besides the CPUs: the
 * engine never asks (the model declares no extra entities), so a call is a bug, not a default.
 */
abstract class NoEntities implements Memory {
    private static IndexOutOfBoundsException none(int k) {
        return new IndexOutOfBoundsException("entity " + k + ": this memory model schedules nothing besides the CPUs");
    }

    @Override
    public final boolean entityEnabled(int k) {
        throw none(k);
    }

    @Override
    public final boolean entityDone(int k) {
        throw none(k);
    }

    @Override
    public final int[] entityFootprint(int k) {
        throw none(k);
    }

    @Override
    public final int entityOrigin(int k) {
        throw none(k);
    }

    @Override
    public final void entityStep(int k) {
        throw none(k);
    }

    @Override
    public final String entityName(int k) {
        throw none(k);
    }

    @Override
    public final String entityContext(int k) {
        throw none(k);
    }
}
