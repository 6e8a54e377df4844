package klm.lkmm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A candidate execution in herd7's sense: events (reads, writes, fences; an RMW is a read and a
 * write joined by {@code rmw}; a lock's acquisition is lock.cat's LKR and LKW, its release UL),
 * program order, reads-from, a coherence order per location, and the dependencies. The initial
 * write of every location is an event of its own ({@link Tag#INIT}, thread -1), first in its
 * location's coherence order. Built with {@link Builder}, which checks that the choices are well
 * formed (every read reads one write of its location and takes its value; every coherence order
 * lists exactly that location's writes).
 *
 * <p>Lock events are values on the lock's location: LKR reads 0 (unlocked), LKW writes 1, UL
 * writes 0, a failed trylock (LF) and spin_is_locked() returning true (RL) read 1, returning false
 * (RU) reads 0. With coherence and atomicity over these values, the rf and co lock.cat generates
 * for lock events are exactly the ones left: an LKW must come right after, in co, the 0 its LKR
 * read, so the critical sections of one lock follow each other in co, each UL right after its LKW.
 */
public final class Execution {
    public enum Kind { R, W, F }

    /** One event: its thread (-1 for an initial write), kind, location (-1 for a fence), value and tags. */
    public record Event(int thread, Kind kind, int loc, long value, int tags) {
        public boolean is(Tag t) {
            return (tags & t.bit()) != 0;
        }
    }

    final int n;
    final Event[] ev;
    final List<String> locations;
    /** The base relations, as given. */
    final Rel po, rf, co, rmw, addr, data, ctrl;
    /** The derived ones every model uses. */
    final Rel loc, intl, ext, fr, poLoc, lkRmw;

    Execution(Event[] ev, List<String> locations, Rel po, Rel rf, Rel co, Rel rmw, Rel addr, Rel data, Rel ctrl) {
        this.n = ev.length;
        this.ev = ev;
        this.locations = locations;
        this.po = po;
        this.rf = rf;
        this.co = co;
        this.rmw = rmw;
        this.addr = addr;
        this.data = data;
        this.ctrl = ctrl;
        Rel l = Rel.empty(n);
        Rel in = Rel.empty(n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (ev[i].loc >= 0 && ev[i].loc == ev[j].loc) {
                    l.add(i, j);
                }
                if (ev[i].thread >= 0 && ev[i].thread == ev[j].thread) {
                    in.add(i, j);
                }
            }
        }
        this.loc = l;
        this.intl = in;
        this.ext = Rel.product(n, Rel.all(n), Rel.all(n)).minus(in);
        // lock.cat/cat: fr = rf^-1 ; co
        this.fr = rf.inverse().seq(co);
        this.poLoc = po.and(l);
        // lock.cat: let lk-rmw = ([LKR] ; po-loc ; [LKW]) \ (po ; po)
        this.lkRmw = poLoc.restrict(set(Tag.LKR), set(Tag.LKW)).minus(po.seq(po));
    }

    /** The same events and static relations with other reads-from and coherence choices. */
    private Execution(Execution skeleton, Rel rf, Rel co) {
        this.n = skeleton.n;
        this.ev = skeleton.ev;
        this.locations = skeleton.locations;
        this.po = skeleton.po;
        this.rf = rf;
        this.co = co;
        this.rmw = skeleton.rmw;
        this.addr = skeleton.addr;
        this.data = skeleton.data;
        this.ctrl = skeleton.ctrl;
        this.loc = skeleton.loc;
        this.intl = skeleton.intl;
        this.ext = skeleton.ext;
        this.fr = rf.inverse().seq(co);
        this.poLoc = skeleton.poLoc;
        this.lkRmw = skeleton.lkRmw;
    }

    /** This execution's events and static relations with the reads-from {@code rf} and coherence {@code co}. */
    Execution with(Rel rf, Rel co) {
        return new Execution(this, rf, co);
    }

    /** Coherence and atomicity over the events of one location only: what every model requires. */
    boolean locallyConsistent() {
        return poLoc.or(rf).or(co).or(fr).acyclic() && atomic();
    }

    /** {@code empty rmw & (fre ; coe)}, over atomic RMWs and lock.cat's lk-rmw: no write between an RMW's read and write. */
    boolean atomic() {
        return rmw.or(lkRmw).and(fr.and(ext).seq(co.and(ext))).isEmpty();
    }

    public int size() {
        return n;
    }

    public Event event(int i) {
        return ev[i];
    }

    public List<String> locations() {
        return locations;
    }

    /** The events that carry tag {@code t}. */
    long set(Tag t) {
        long s = 0;
        for (int i = 0; i < n; i++) {
            if (ev[i].is(t)) {
                s |= 1L << i;
            }
        }
        return s;
    }

    long kind(Kind k) {
        long s = 0;
        for (int i = 0; i < n; i++) {
            if (ev[i].kind == k) {
                s |= 1L << i;
            }
        }
        return s;
    }

    /** cat: {@code fencerel(S) = po ; [S] ; po}. */
    Rel fencerel(long s) {
        return po.to(s).seq(po);
    }

    /** The write event {@code r} reads from, -1 if {@code r} is not a read. */
    public int rfSource(int r) {
        long src = rf.inverse().rows[r];
        return src == 0 ? -1 : Long.numberOfTrailingZeros(src);
    }

    /** The location {@code name}'s last write in coherence order: its final value. */
    public long finalValue(String name) {
        int l = locations.indexOf(name);
        if (l < 0) {
            throw new IllegalArgumentException("no location '" + name + "' in this execution; locations: " + locations);
        }
        for (int i = 0; i < n; i++) {
            if (ev[i].kind == Kind.W && ev[i].loc == l && co.rows[i] == 0) {
                return ev[i].value;
            }
        }
        throw new IllegalStateException("location " + name + " has no write");
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            Event e = ev[i];
            b.append(i).append(": ").append(e.thread < 0 ? "init" : "P" + e.thread).append(' ').append(e.kind);
            if (e.loc >= 0) {
                b.append(' ').append(locations.get(e.loc)).append('=').append(e.value);
            }
            for (Tag t : Tag.values()) {
                if (e.is(t)) {
                    b.append(' ').append(t.name().toLowerCase());
                }
            }
            b.append('\n');
        }
        return b.append("rf ").append(rf).append("\nco ").append(co).append('\n').toString();
    }

    /**
     * Builds one execution. Events are added in program order per thread and numbered from 0 in
     * the order added; the initial writes are numbered after them, when {@link #build} runs.
     */
    public static final class Builder {
        private final List<Event> events = new ArrayList<>();
        private final Map<String, Integer> locs = new LinkedHashMap<>();
        private final Map<String, Long> initial = new LinkedHashMap<>();
        private final Map<Integer, Integer> rfFrom = new LinkedHashMap<>();
        private final Map<Integer, List<Integer>> coOrder = new LinkedHashMap<>();
        private final List<int[]> rmw = new ArrayList<>(), addr = new ArrayList<>(), data = new ArrayList<>(), ctrl = new ArrayList<>();
        private static final int INIT_SOURCE = -2;

        private int loc(String name) {
            return locs.computeIfAbsent(name, k -> locs.size());
        }

        /** The initial value of {@code name} (0 unless set). */
        public Builder init(String name, long value) {
            loc(name);
            initial.put(name, value);
            return this;
        }

        private int add(int thread, Kind kind, String loc, long value, int tags) {
            if (thread < 0) {
                throw new IllegalArgumentException("thread " + thread + ": threads are numbered from 0");
            }
            events.add(new Event(thread, kind, loc == null ? -1 : loc(loc), value, tags));
            return events.size() - 1;
        }

        /** A write of {@code value} to {@code loc}. */
        public int write(int thread, String loc, long value, Tag... tags) {
            return add(thread, Kind.W, loc, value, Tag.of(tags));
        }

        /** A read of {@code loc}; its value is the one of the write it reads from. */
        public int read(int thread, String loc, Tag... tags) {
            return add(thread, Kind.R, loc, 0, Tag.of(tags));
        }

        /** A fence of the given kinds. */
        public int fence(int thread, Tag... tags) {
            return add(thread, Kind.F, null, 0, Tag.of(tags));
        }

        /** An RMW writing {@code value}: its read (returned) and its write (the next event), joined by rmw. */
        public int rmw(int thread, String loc, long value, int readTags, int writeTags) {
            int r = add(thread, Kind.R, loc, 0, readTags | Tag.RMW.bit() | Tag.LOCKED.bit());
            int w = add(thread, Kind.W, loc, value, writeTags | Tag.RMW.bit() | Tag.LOCKED.bit());
            rmw.add(new int[] {r, w});
            return r;
        }

        /** spin_lock(): lock.cat's LKR (reading 0) and LKW (writing 1); returns the LKR, the LKW is next. */
        public int lock(int thread, String lock) {
            int r = add(thread, Kind.R, lock, 0, Tag.of(Tag.LKR, Tag.LOCKED));
            add(thread, Kind.W, lock, 1, Tag.of(Tag.LKW, Tag.LOCKED));
            return r;
        }

        /** spin_unlock(): lock.cat's UL, a write of 0. */
        public int unlock(int thread, String lock) {
            return add(thread, Kind.W, lock, 0, Tag.UL.bit());
        }

        /** A read event with explicit tags (LF, RL, RU: a failed trylock, spin_is_locked()). */
        public int lockRead(int thread, String lock, Tag kind) {
            int locked = kind == Tag.LF ? Tag.LOCKED.bit() : 0;
            return add(thread, Kind.R, lock, 0, kind.bit() | locked);
        }

        /** {@code r} reads from the write {@code w}. */
        public Builder rf(int w, int r) {
            rfFrom.put(r, w);
            return this;
        }

        /** {@code r} reads its location's initial value. */
        public Builder rfInit(int r) {
            rfFrom.put(r, INIT_SOURCE);
            return this;
        }

        /** The coherence order of the writes to {@code loc}, after its initial write. */
        public Builder co(String loc, int... writes) {
            List<Integer> order = new ArrayList<>();
            for (int w : writes) {
                order.add(w);
            }
            coOrder.put(loc(loc), order);
            return this;
        }

        public Builder addr(int r, int e) {
            addr.add(new int[] {r, e});
            return this;
        }

        public Builder data(int r, int w) {
            data.add(new int[] {r, w});
            return this;
        }

        public Builder ctrl(int r, int e) {
            ctrl.add(new int[] {r, e});
            return this;
        }

        public Execution build() {
            int user = events.size();
            List<String> names = new ArrayList<>(locs.keySet());
            int n = user + names.size();
            Event[] ev = new Event[n];
            for (int i = 0; i < user; i++) {
                ev[i] = events.get(i);
            }
            for (int l = 0; l < names.size(); l++) {
                ev[user + l] = new Event(-1, Kind.W, l, initial.getOrDefault(names.get(l), 0L), Tag.of(Tag.INIT, Tag.ONCE));
            }
            Rel po = Rel.empty(n);
            for (int i = 0; i < user; i++) {
                for (int j = i + 1; j < user; j++) {
                    if (ev[i].thread == ev[j].thread) {
                        po.add(i, j);
                    }
                }
            }
            Rel co = Rel.empty(n);
            for (int l = 0; l < names.size(); l++) {
                List<Integer> writes = new ArrayList<>();
                for (int i = 0; i < user; i++) {
                    if (ev[i].kind == Kind.W && ev[i].loc == l) {
                        writes.add(i);
                    }
                }
                List<Integer> order = coOrder.getOrDefault(l, writes.size() <= 1 ? writes : null);
                if (order == null || !new java.util.HashSet<>(order).equals(new java.util.HashSet<>(writes)) || order.size() != writes.size()) {
                    throw new IllegalArgumentException("location " + names.get(l) + ": the coherence order must list its writes " + writes + " once each, got " + order);
                }
                List<Integer> chain = new ArrayList<>();
                chain.add(user + l);
                chain.addAll(order);
                for (int a = 0; a < chain.size(); a++) {
                    for (int b = a + 1; b < chain.size(); b++) {
                        co.add(chain.get(a), chain.get(b));
                    }
                }
            }
            Rel rf = Rel.empty(n);
            Event[] valued = ev.clone();
            for (int i = 0; i < user; i++) {
                if (ev[i].kind != Kind.R) {
                    continue;
                }
                Integer w = rfFrom.get(i);
                if (w == null) {
                    throw new IllegalArgumentException("read " + i + " (" + names.get(ev[i].loc) + ") reads from no write");
                }
                int src = w == INIT_SOURCE ? user + ev[i].loc : w;
                if (ev[src].kind != Kind.W || ev[src].loc != ev[i].loc) {
                    throw new IllegalArgumentException("read " + i + " cannot read from event " + src + ": not a write of " + names.get(ev[i].loc));
                }
                if (ev[i].is(Tag.LKR) || ev[i].is(Tag.RU) || ev[i].is(Tag.LF) || ev[i].is(Tag.RL)) {
                    long want = ev[i].is(Tag.LF) || ev[i].is(Tag.RL) ? 1 : 0;
                    if (ev[src].value != want) {
                        throw new IllegalArgumentException("lock read " + i + " must read " + want + " from " + names.get(ev[i].loc) + ", event " + src + " wrote " + ev[src].value);
                    }
                }
                rf.add(src, i);
                valued[i] = new Event(ev[i].thread, Kind.R, ev[i].loc, ev[src].value, ev[i].tags);
            }
            return new Execution(valued, names, po, rf, co, pairs(n, rmw), pairs(n, addr), pairs(n, data), pairs(n, ctrl));
        }

        private static Rel pairs(int n, List<int[]> list) {
            Rel r = Rel.empty(n);
            for (int[] p : list) {
                r.add(p[0], p[1]);
            }
            return r;
        }
    }
}
