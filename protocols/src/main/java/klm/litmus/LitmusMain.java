package klm.litmus;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import klm.explorer.memory.MemoryModel;
import klm.lkmm.Candidates;
import klm.lkmm.FromLitmus;
import klm.lkmm.Model;

/**
 * Runs litmus files under the explorer's memory models, or answers them by the axiomatic models
 * of klm.lkmm, and prints herd7-style answers. Arguments: files or folders (every {@code .litmus}
 * file under a folder), and {@code --model ID} (or the system property {@code klm.memory}) for one
 * model: an explorer model's id, {@code lkmm} (the axiomatic Linux-kernel memory model), or
 * {@code axiomatic-sc} / {@code axiomatic-tso} (SC and x86-TSO stated the same way). Default:
 * every explorer model.
 */
public final class LitmusMain {
    private LitmusMain() {}

    public static void main(String[] args) {
        List<Path> files = new ArrayList<>();
        String only = System.getProperty("klm.memory", "");
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--model") || a.startsWith("--model=")) {
                if (a.equals("--model") && i + 1 == args.length) {
                    System.err.println("--model needs a model: one of " + valid());
                    System.exit(2);
                }
                only = a.equals("--model") ? args[++i] : a.substring("--model=".length());
                continue;
            }
            for (String s : a.split(",")) {
                if (s.isBlank()) {
                    continue;
                }
                files.addAll(files(Path.of(s.strip())));
            }
        }
        if (files.isEmpty()) {
            System.err.println("usage: LitmusMain [--model ID] PATH[,PATH...] (litmus files or folders); ID one of " + valid());
            System.exit(2);
        }
        Model axiomatic = only.isBlank() ? null : axiomatic(only);
        List<MemoryModel> models;
        try {
            models = only.isBlank() ? LitmusRunner.models() : axiomatic != null ? List.of() : List.of(LitmusRunner.model(only));
        } catch (IllegalArgumentException e) {
            System.err.println("unknown memory model '" + only + "'; valid: " + valid());
            System.exit(2);
            return;
        }
        int errors = 0;
        for (Path f : files) {
            try {
                Ast.Test t = LitmusReader.read(f);
                if (axiomatic != null) {
                    System.out.println(report(t, axiomatic));
                }
                for (MemoryModel m : models) {
                    System.out.println(LitmusRunner.run(t, m).report());
                }
            } catch (LitmusException | FromLitmus.Inexpressible | IllegalArgumentException e) {
                System.out.println("Error " + e.getMessage() + "\n");
                errors++;
            }
        }
        System.exit(errors == 0 ? 0 : 1);
    }

    /** Every model the command accepts: the explorer's, then the axiomatic ones of klm.lkmm. */
    static List<String> valid() {
        List<String> out = new ArrayList<>();
        LitmusRunner.models().forEach(m -> out.add(m.id()));
        out.addAll(AXIOMATIC);
        return out;
    }

    /** The axiomatic models' ids here: LKMM, and SC and x86-TSO as klm.lkmm states them. */
    private static final List<String> AXIOMATIC = List.of("lkmm", "axiomatic-sc", "axiomatic-tso");

    /** The axiomatic model {@code id} names, or null if it names none. */
    static Model axiomatic(String id) {
        return AXIOMATIC.contains(id) ? Model.named(id.replace("axiomatic-", "")) : null;
    }

    /** The axiomatic answer for {@code t} in herd7's form. */
    static String report(Ast.Test t, Model m) {
        long t0 = System.nanoTime();
        Candidates.Result r = FromLitmus.run(t, m);
        double s = (System.nanoTime() - t0) / 1e9;
        StringBuilder sb = new StringBuilder();
        sb.append("Test ").append(t.name()).append(" Allowed (model ").append(m.name().equals("lkmm") ? "lkmm" : "axiomatic-" + m.name())
                .append(")\n");
        sb.append("States ").append(r.states()).append('\n');
        r.stateLines().forEach(l -> sb.append(l).append('\n'));
        sb.append(r.ok() ? "Ok" : "No").append('\n');
        sb.append("Witnesses\nPositive: ").append(r.positive()).append(" Negative: ").append(r.negative()).append('\n');
        r.flags().forEach(f -> sb.append("Flag ").append(f).append('\n'));
        sb.append("Condition ").append(t.quantifier().text()).append(" (").append(LitmusRunner.Cond2.text(t.condition())).append(")\n");
        sb.append(r.observation()).append('\n');
        sb.append(String.format(java.util.Locale.ROOT, "Time %s %.3f%n", t.name(), s));
        return sb.toString();
    }

    /** The file, or every .litmus file under the folder in name order; a missing path is an error. */
    static List<Path> files(Path p) {
        if (!Files.exists(p)) {
            throw new IllegalArgumentException("no such file or folder: " + p.toAbsolutePath());
        }
        if (!Files.isDirectory(p)) {
            return List.of(p);
        }
        try (Stream<Path> s = Files.walk(p)) {
            return s.filter(f -> f.toString().endsWith(".litmus")).sorted().toList();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot list " + p + ": " + e.getMessage());
        }
    }
}
