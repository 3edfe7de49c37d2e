package dev.cairn.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;

/** Runs the {@code cairn} command in-process and captures what it prints and its exit code. */
public final class CliRunner {

    public record Result(int exitCode, String out, String err) {}

    private CliRunner() {}

    /** Runs a command against the given metadata store and artifact root (appended as --store and --artifacts). */
    public static Result runOn(String store, String artifacts, String... args) {
        String[] all = java.util.Arrays.copyOf(args, args.length + 4);
        all[args.length] = "--store";
        all[args.length + 1] = store;
        all[args.length + 2] = "--artifacts";
        all[args.length + 3] = artifacts;
        return run(all);
    }

    /** Commands print to System.out (tables, JSON) and to picocli's err writer (errors); both are captured. */
    public static synchronized Result run(String... args) {
        PrintStream originalOut = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            var cli = Main.commandLine();
            cli.setErr(new PrintWriter(err, true));
            int code = cli.execute(args);
            return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString());
        } finally {
            System.setOut(originalOut);
        }
    }
}
