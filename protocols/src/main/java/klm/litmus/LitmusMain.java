package klm.litmus;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import klm.explorer.memory.MemoryModel;

/**
 * Runs litmus files under the explorer's memory models and prints herd7-style answers.
 * Arguments: files or folders (every {@code .litmus} file under a folder); system property
 * {@code klm.memory} picks one model by id (default: every model).
 */
public final class LitmusMain {
    private LitmusMain() {}

    public static void main(String[] args) {
        List<Path> files = new ArrayList<>();
        for (String a : args) {
            for (String s : a.split(",")) {
                if (s.isBlank()) {
                    continue;
                }
                files.addAll(files(Path.of(s.strip())));
            }
        }
        if (files.isEmpty()) {
            System.err.println("usage: LitmusMain PATH[,PATH...] (litmus files or folders); -Dklm.memory=ID for one model");
            System.exit(2);
        }
        String only = System.getProperty("klm.memory", "");
        List<MemoryModel> models = only.isBlank() ? LitmusRunner.models() : List.of(LitmusRunner.model(only));
        int errors = 0;
        for (Path f : files) {
            try {
                Ast.Test t = LitmusReader.read(f);
                for (MemoryModel m : models) {
                    System.out.println(LitmusRunner.run(t, m).report());
                }
            } catch (LitmusException e) {
                System.out.println("Error " + e.getMessage() + "\n");
                errors++;
            }
        }
        System.exit(errors == 0 ? 0 : 1);
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
