package klm.lkmm;

/**
 * Sequential consistency, axiomatically: {@code acyclic po | rf | co | fr}, with the atomicity of
 * RMWs and lock acquisitions ({@code empty rmw & (fre ; coe)}, as in herd's models): a candidate
 * execution is SC exactly when some interleaving of its events explains it.
 */
public final class Sc implements Model {
    @Override
    public String name() {
        return "sc";
    }

    @Override
    public String violated(Execution x) {
        if (!x.atomic()) {
            return "atomic";
        }
        if (!x.po.or(x.rf).or(x.co).or(x.fr).acyclic()) {
            return "sc";
        }
        return null;
    }
}
