package klm.explorer;

import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import klm.explorer.engine.State;
import klm.explorer.memory.MemoryModel;
import klm.explorer.memory.MemoryModels;
import klm.kernel.Cpu;
import klm.kernel.KernelLockNames;

/**
 * A counterexample as a reviewer draws it: a numbered table, one column per CPU, one row per
 * step (consecutive steps of one CPU inside one kernel call are one row), in the model's names:
 * a lock call by its lock's kernel name, a variable by the field that holds it in the model
 * ({@code subs.invalidateSeq}, {@code page0.mapping}), an interrupt handler's steps marked with
 * its context. And the schedule as a replay string.
 */
public final class Trace {
    /**
     * One step: which CPU, the kernel call it was part of (or empty), the decisions before it (or
     * null), the context, the footprint, and under the release/acquire model which write its load
     * read (0: the newest; k: the k-th older one).
     */
    record Step(int cpu, String label, String decisions, String context, int[] footprint, int read) {
        Step(int cpu, String label, String decisions, String context, int[] footprint) {
            this(cpu, label, decisions, context, footprint, 0);
        }

        Step reading(int k) {
            return new Step(cpu, label, decisions, context, footprint, k);
        }
    }

    /** A parsed replay step: entity {@code e} reading write {@code k} back is {@code e | k << READ_SHIFT}. */
    static final int READ_SHIFT = 8;

    /** The entity of a parsed replay step. */
    static int entityOf(int step) {
        return step & ((1 << READ_SHIFT) - 1);
    }

    /** Which write a parsed replay step's load reads (0: the newest). */
    static int readOf(int step) {
        return step >>> READ_SHIFT;
    }

    private Trace() {}

    /**
     * The replay string of a schedule: runs of one CPU, {@code 0x5.1x3.0x2}; a memory model's entity's
     * runs by its letter ({@code b0x1}: CPU0's store buffer under TSO); a step whose load read an
     * older write as {@code 1r2} (CPU 1, one step, reading the write 2 before the newest).
     */
    static String schedule(List<Step> steps, int cpus, MemoryModel model) {
        StringBuilder sb = new StringBuilder();
        int i = 0;
        while (i < steps.size()) {
            int c = steps.get(i).cpu();
            int j = i + 1;
            if (steps.get(i).read() == 0) {
                while (j < steps.size() && steps.get(j).cpu() == c && steps.get(j).read() == 0) {
                    j++;
                }
            }
            if (sb.length() > 0) {
                sb.append('.');
            }
            sb.append(c >= cpus ? model.entityLetter() + (c - cpus) : Integer.toString(c));
            sb.append(steps.get(i).read() > 0 ? "r" + steps.get(i).read() : "x" + (j - i));
            i = j;
        }
        return sb.toString();
    }

    /**
     * Parses a replay string for a scenario of {@code cpus} CPUs under {@code model}: runs of a CPU
     * ({@code 0x5}), of the model's entities by their letter ({@code b0x1}), and, where the model
     * lets a load choose, single steps reading an older write ({@code 1r2}). A malformed string, or
     * one naming what the model does not have, is an {@link IllegalArgumentException} saying what is valid.
     */
    static int[] parseSchedule(String s, int cpus, MemoryModel model) {
        String letter = model.entityLetter();
        int extra = model.extraEntities(cpus);
        String forms = "runs like 0x5.1x3.0x2 (CPU x steps, dot-separated"
                + (letter != null ? "; " + letter + "0x1 for a step of CPU0's " + model.entityKind() : "")
                + (model.readChoices() ? "; 1r2 for a step whose load reads the write 2 before the newest" : "") + ")";
        List<Integer> out = new ArrayList<>();
        String text = s.trim();
        if (text.isEmpty()) {
            throw new IllegalArgumentException("empty replay string; expected " + forms);
        }
        for (String run : text.split("\\.")) {
            int read = 0;
            if (run.matches("\\d+r[1-9]\\d{0,5}")) { // one step reading an older write
                if (!model.readChoices()) {
                    throw new IllegalArgumentException("the replay string reads older writes ('r' runs, '" + run
                            + "'), which only these memory models have: " + String.join(", ", MemoryModels.all().stream()
                                    .filter(MemoryModel::readChoices).map(m -> "-Dklm.memory=" + m.id()).toList()));
                }
                read = Integer.parseInt(run.substring(run.indexOf('r') + 1));
                run = run.substring(0, run.indexOf('r')) + "x1";
            }
            String[] p = run.split("x");
            int cpu;
            int n;
            try {
                if (p.length != 2) {
                    throw new NumberFormatException();
                }
                boolean entity = letter != null && p[0].startsWith(letter);
                cpu = Integer.parseInt(entity ? p[0].substring(letter.length()) : p[0]);
                n = Integer.parseInt(p[1]);
                if (entity && cpu >= 0 && cpu < extra) {
                    cpu += cpus;
                } else if (entity) {
                    cpu = -1;
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("malformed replay string at '" + run + "'; expected " + forms);
            }
            if (cpu < 0 || cpu >= cpus + extra || n <= 0) {
                throw new IllegalArgumentException("replay string run '" + run + "': CPUs are 0.." + (cpus - 1)
                        + " in this scenario and a run has at least one step");
            }
            for (int k = 0; k < n; k++) {
                out.add(cpu | read << READ_SHIFT);
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Widest a counterexample line may be: a page's code block should not scroll. */
    static final int MAX_WIDTH = 100;

    /**
     * The numbered table of an execution, at most {@link #MAX_WIDTH} characters wide: a cell longer
     * than its column continues on the next lines. A CPU's context decisions ("in_task() = true")
     * show as an unnumbered row before the step they precede.
     */
    static String table(List<Step> steps, State s, Object scenario, String ending) {
        Map<Object, String> names = names(scenario);
        int cpus = s.cpus();
        List<String[]> rows = new ArrayList<>();
        List<Boolean> numbered = new ArrayList<>();
        int i = 0;
        while (i < steps.size()) {
            Step st = steps.get(i);
            int j = i + 1;
            if (!st.label().isEmpty()) {
                while (st.read() == 0 && j < steps.size() && steps.get(j).cpu() == st.cpu() && steps.get(j).label().equals(st.label())
                        && steps.get(j).decisions() == null && steps.get(j).read() == 0) { // one call, even where it changes the context (irqrestore)
                    j++;
                }
            }
            String where = st.context().startsWith("task") ? "" : "[" + st.context() + "] ";
            if (st.decisions() != null) {
                String[] note = new String[cpus];
                note[st.cpu() % cpus] = where + "(" + resolve(st.decisions(), s, names) + ")";
                rows.add(note);
                numbered.add(false);
            }
            String text = st.label().isEmpty() ? access(st.footprint(), s, names) : st.label();
            if (st.read() > 0) { // a model's choice: a load read a write older than the newest, or a write went before newer ones
                boolean write = st.footprint().length > 0 && (st.footprint()[0] & 1) != 0;
                String n = st.read() == 1 ? "1 newer write" : st.read() + " newer writes";
                text += (st.label().isEmpty() ? "" : ": " + access(st.footprint(), s, names))
                        + (write ? " (goes before " + n + " in coherence order)" : " (reads an old write; " + n + " not seen yet)");
            }
            String[] row = new String[cpus];
            row[s.ownerCpu(st.cpu())] = where + text; // a memory model's entity's step shows in its CPU's column
            rows.add(row);
            numbered.add(true);
            i = j;
        }
        long numberedRows = numbered.stream().filter(b -> b).count();
        int numW = Long.toString(numberedRows).length() + 1;
        int share = (MAX_WIDTH - numW - 3 * cpus) / cpus;
        int[] width = new int[cpus];
        for (int c = 0; c < cpus; c++) {
            width[c] = Math.max(6, s.cpuName(c).length());
            for (String[] r : rows) {
                if (r[c] != null) {
                    width[c] = Math.min(share, Math.max(width[c], r[c].length()));
                }
            }
        }
        StringBuilder sb = new StringBuilder();
        sb.append(pad("#", numW));
        for (int c = 0; c < cpus; c++) {
            sb.append(" | ").append(pad(s.cpuName(c), width[c]));
        }
        sb.append('\n');
        int n = 1;
        for (int r = 0; r < rows.size(); r++) {
            List<List<String>> cells = new ArrayList<>();
            int lines = 1;
            for (int c = 0; c < cpus; c++) {
                List<String> wrapped = wrap(rows.get(r)[c] == null ? "" : rows.get(r)[c], width[c]);
                cells.add(wrapped);
                lines = Math.max(lines, wrapped.size());
            }
            for (int l = 0; l < lines; l++) {
                sb.append(pad(l == 0 && numbered.get(r) ? Integer.toString(n) : "", numW));
                for (int c = 0; c < cpus; c++) {
                    List<String> w = cells.get(c);
                    sb.append(" | ").append(pad(l < w.size() ? w.get(l) : "", width[c]));
                }
                sb.append('\n');
            }
            if (numbered.get(r)) {
                n++;
            }
        }
        if (ending != null && !ending.isEmpty()) {
            for (String line : ("=> " + ending).split("\n")) {
                for (String l : wrap(line, MAX_WIDTH)) {
                    sb.append(l).append('\n');
                }
            }
        }
        return sb.toString().replaceAll(" +\n", "\n");
    }

    /** A cell's text in lines of at most {@code width}, broken at spaces where it can be. */
    static List<String> wrap(String text, int width) {
        List<String> out = new ArrayList<>();
        String rest = text;
        String indent = " ".repeat(text.length() - text.stripLeading().length() + 2);
        boolean first = true;
        while (rest.length() > width) {
            int cut = rest.lastIndexOf(' ', width);
            if (cut <= width / 3) {
                cut = -1; // no space late enough: break after a '(', else a '.', else a '_' or '-' of a long name
                for (String marks : new String[] {"(", ".>", "_-"}) {
                    for (int k = width; k > width / 3 && cut < 0; k--) {
                        if (marks.indexOf(rest.charAt(k - 1)) >= 0) {
                            cut = k;
                        }
                    }
                }
                if (cut < 0) {
                    cut = width;
                }
            }
            out.add(rest.substring(0, cut).stripTrailing());
            rest = indent + rest.substring(cut).strip();
            first = false;
        }
        if (!rest.isBlank() || first) {
            out.add(rest);
        }
        return out;
    }

    /** A decision's text with each {loc:N} replaced by that location's name. */
    private static String resolve(String text, State s, Map<Object, String> names) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\{loc:(\\d+)\\}").matcher(text);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String a = access(new int[] {Integer.parseInt(m.group(1)) << 1}, s, names); // "read NAME"
            m.appendReplacement(sb, java.util.regex.Matcher.quoteReplacement(a.substring("read ".length())));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    private static String access(int[] fp, State s, Map<Object, String> names) {
        List<String> parts = new ArrayList<>();
        for (int acc : fp) {
            int loc = acc >> 1;
            if (s.orderOnly(loc)) {
                continue; // a memory model's order between steps, no variable
            }
            Object o = s.locationObject(loc);
            String name = o != null && names.containsKey(o) ? names.get(o) : s.locationName(loc);
            if (o instanceof klm.kernel.PerCpuInt) {
                name = name + "[" + (loc - firstId(s, o, loc)) + "]";
            }
            parts.add(((acc & 1) != 0 ? "write " : "read ") + name);
        }
        return String.join(", ", parts);
    }

    private static int firstId(State s, Object o, int loc) {
        int id = loc;
        while (id > 0 && s.locationObject(id - 1) == o) {
            id--;
        }
        return id;
    }

    private static String pad(String s, int w) {
        return s.length() >= w ? s : s + " ".repeat(w - s.length());
    }

    /**
     * Names every runtime variable reachable from the scenario by the field that holds it: the
     * owner's field name and its own ({@code subs.invalidateSeq}); inside a lock, the lock's kernel
     * name ({@code hugetlb_lock.owner}); inside a CPU, the CPU's name ({@code CPU1.pendingSoftirq}).
     */
    static Map<Object, String> names(Object root) {
        Map<Object, String> out = new IdentityHashMap<>();
        Map<Object, Boolean> seen = new IdentityHashMap<>();
        ArrayDeque<Object[]> queue = new ArrayDeque<>();
        queue.add(new Object[] {root, "", 0});
        seen.put(root, true);
        while (!queue.isEmpty()) {
            Object[] item = queue.poll();
            Object o = item[0];
            String ownerName = (String) item[1];
            int depth = (Integer) item[2];
            if (depth > 8) {
                continue;
            }
            if (o.getClass().isArray()) {
                if (!o.getClass().getComponentType().isPrimitive()) {
                    for (int i = 0; i < Array.getLength(o); i++) {
                        visit(Array.get(o, i), ownerName + "[" + i + "]", depth + 1, seen, queue, out);
                    }
                }
                continue;
            }
            if (o instanceof Iterable<?> it && !o.getClass().getName().startsWith("klm.")) {
                int i = 0;
                for (Object e : it) {
                    visit(e, ownerName + "[" + i++ + "]", depth + 1, seen, queue, out);
                }
                continue;
            }
            String prefix = KernelLockNames.nameOf(o);
            if (prefix == null && o instanceof Cpu c) {
                prefix = c.name();
            }
            if (prefix == null) {
                prefix = modelName(o);
            }
            if (prefix == null) {
                prefix = ownerName;
            }
            for (Class<?> k = o.getClass(); k != null && k.getName().startsWith("klm."); k = k.getSuperclass()) {
                for (Field f : k.getDeclaredFields()) {
                    if (Modifier.isStatic(f.getModifiers()) || f.getType().isPrimitive() || f.isSynthetic()) {
                        continue;
                    }
                    Object v;
                    try {
                        f.setAccessible(true);
                        v = f.get(o);
                    } catch (ReflectiveOperationException | RuntimeException e) {
                        continue;
                    }
                    String name = f.getName().startsWith("this$") ? prefix
                            : o instanceof klm.kernel.Ptr && f.getName().equals("v") ? prefix + "->" // what it points to
                            : prefix.isEmpty() ? f.getName() : prefix.endsWith("->") ? prefix + f.getName()
                            : prefix + "." + f.getName();
                    visit(v, name, depth + 1, seen, queue, out);
                }
            }
        }
        return out;
    }

    /**
     * The name a model object gives itself (pmd_page101, page0, mm0), as its outcome messages and the
     * pages use it: its toString() when its class is the model's own and declares one that yields a
     * plain identifier (not one that reads shared state, like a page that says "(freed)").
     */
    private static String modelName(Object o) {
        if (!o.getClass().getName().startsWith("klm.protocols.")) {
            return null;
        }
        try {
            o.getClass().getDeclaredMethod("toString");
        } catch (NoSuchMethodException e) {
            return null;
        }
        String n = o.toString();
        return n != null && n.matches("[A-Za-z_][\\w\\[\\]]*") ? n : null;
    }

    private static void visit(Object v, String name, int depth, Map<Object, Boolean> seen, ArrayDeque<Object[]> queue,
                              Map<Object, String> out) {
        if (v == null || seen.containsKey(v)) {
            return;
        }
        String cn = v.getClass().getName();
        boolean runtimeVar = v instanceof klm.kernel.Word || v instanceof klm.kernel.Ptr || v instanceof klm.kernel.PerCpuInt;
        if (runtimeVar) {
            out.put(v, shorten(name));
        }
        seen.put(v, true);
        if (cn.startsWith("klm.") || v.getClass().isArray() || v instanceof Iterable<?>) {
            if (!(v instanceof Thread)) {
                queue.add(new Object[] {v, shorten(name), depth});
            }
        }
    }

    /** The last two components of a field path: enough to tell variables apart, short enough to read. */
    private static String shorten(String path) {
        String[] parts = path.split("\\.");
        if (parts.length <= 2) {
            return path;
        }
        return parts[parts.length - 2] + "." + parts[parts.length - 1];
    }
}
