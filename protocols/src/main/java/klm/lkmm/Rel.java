package klm.lkmm;

import java.util.Arrays;

/**
 * A binary relation over the events of one candidate execution, as a bit matrix: row {@code i} is
 * the set of events {@code i} is related to. Sets of events are {@code long} bit masks, so an
 * execution has at most {@link #MAX} events (litmus-sized programs: herd7's cat operators over a
 * handful of events). Every operation returns a new relation; none changes its operands.
 */
public final class Rel {
    /** The most events a relation can range over: one {@code long} per row. */
    public static final int MAX = 64;

    final int n;
    final long[] rows;

    private Rel(int n, long[] rows) {
        this.n = n;
        this.rows = rows;
    }

    /** The empty relation over {@code n} events. */
    public static Rel empty(int n) {
        if (n < 0 || n > MAX) {
            throw new IllegalArgumentException("an execution has " + n + " events; at most " + MAX + " are supported");
        }
        return new Rel(n, new long[n]);
    }

    /** {@code [S]}: the identity restricted to the set {@code s}. */
    public static Rel id(int n, long s) {
        Rel r = empty(n);
        for (int i = 0; i < n; i++) {
            if ((s >>> i & 1) != 0) {
                r.rows[i] = 1L << i;
            }
        }
        return r;
    }

    /** {@code S * T}: every pair from {@code s} to {@code t}. */
    public static Rel product(int n, long s, long t) {
        Rel r = empty(n);
        for (int i = 0; i < n; i++) {
            if ((s >>> i & 1) != 0) {
                r.rows[i] = t;
            }
        }
        return r;
    }

    /** The set of all {@code n} events. */
    public static long all(int n) {
        return n == 64 ? -1L : (1L << n) - 1;
    }

    public boolean has(int i, int j) {
        return (rows[i] >>> j & 1) != 0;
    }

    /** This relation with the pair {@code (i, j)} added (a copy). */
    public Rel with(int i, int j) {
        Rel r = copy();
        r.rows[i] |= 1L << j;
        return r;
    }

    void add(int i, int j) {
        rows[i] |= 1L << j;
    }

    Rel copy() {
        return new Rel(n, rows.clone());
    }

    /** {@code r | s}. */
    public Rel or(Rel s) {
        Rel r = copy();
        for (int i = 0; i < n; i++) {
            r.rows[i] |= s.rows[i];
        }
        return r;
    }

    /** {@code r & s}. */
    public Rel and(Rel s) {
        Rel r = copy();
        for (int i = 0; i < n; i++) {
            r.rows[i] &= s.rows[i];
        }
        return r;
    }

    /** {@code r \ s}. */
    public Rel minus(Rel s) {
        Rel r = copy();
        for (int i = 0; i < n; i++) {
            r.rows[i] &= ~s.rows[i];
        }
        return r;
    }

    /** {@code r ; s}: sequential composition. */
    public Rel seq(Rel s) {
        Rel r = empty(n);
        for (int i = 0; i < n; i++) {
            long row = rows[i];
            long out = 0;
            while (row != 0) {
                int k = Long.numberOfTrailingZeros(row);
                row &= row - 1;
                out |= s.rows[k];
            }
            r.rows[i] = out;
        }
        return r;
    }

    /** {@code r ; s ; t ...}: a chain of compositions, left to right. */
    public Rel seq(Rel s, Rel... more) {
        Rel r = seq(s);
        for (Rel m : more) {
            r = r.seq(m);
        }
        return r;
    }

    /** {@code [S] ; r ; [T]}: the pairs of this relation from {@code s} to {@code t}. */
    public Rel restrict(long s, long t) {
        Rel r = empty(n);
        for (int i = 0; i < n; i++) {
            if ((s >>> i & 1) != 0) {
                r.rows[i] = rows[i] & t;
            }
        }
        return r;
    }

    /** {@code r ; [T]}. */
    public Rel to(long t) {
        return restrict(all(n), t);
    }

    /** {@code [S] ; r}. */
    public Rel from(long s) {
        return restrict(s, all(n));
    }

    /** {@code r^-1}. */
    public Rel inverse() {
        Rel r = empty(n);
        for (int i = 0; i < n; i++) {
            long row = rows[i];
            while (row != 0) {
                int k = Long.numberOfTrailingZeros(row);
                row &= row - 1;
                r.rows[k] |= 1L << i;
            }
        }
        return r;
    }

    /** {@code r+}: transitive closure (Warshall). */
    public Rel plus() {
        Rel r = copy();
        for (int k = 0; k < n; k++) {
            long bit = 1L << k;
            long rk = r.rows[k];
            for (int i = 0; i < n; i++) {
                if ((r.rows[i] & bit) != 0) {
                    r.rows[i] |= rk;
                }
            }
        }
        return r;
    }

    /** {@code r*}: reflexive-transitive closure over all events. */
    public Rel star() {
        return plus().or(id(n, all(n)));
    }

    /** {@code r?}: reflexive closure over all events. */
    public Rel opt() {
        return or(id(n, all(n)));
    }

    /** {@code domain(r)}. */
    public long domain() {
        long d = 0;
        for (int i = 0; i < n; i++) {
            if (rows[i] != 0) {
                d |= 1L << i;
            }
        }
        return d;
    }

    /** {@code range(r)}. */
    public long range() {
        long d = 0;
        for (long row : rows) {
            d |= row;
        }
        return d;
    }

    public boolean isEmpty() {
        for (long row : rows) {
            if (row != 0) {
                return false;
            }
        }
        return true;
    }

    public boolean irreflexive() {
        for (int i = 0; i < n; i++) {
            if ((rows[i] >>> i & 1) != 0) {
                return false;
            }
        }
        return true;
    }

    public boolean acyclic() {
        return plus().irreflexive();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Rel r && r.n == n && Arrays.equals(r.rows, rows);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(rows);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("{");
        for (int i = 0; i < n; i++) {
            long row = rows[i];
            while (row != 0) {
                int k = Long.numberOfTrailingZeros(row);
                row &= row - 1;
                b.append(b.length() > 1 ? ", " : "").append(i).append("->").append(k);
            }
        }
        return b.append('}').toString();
    }
}
