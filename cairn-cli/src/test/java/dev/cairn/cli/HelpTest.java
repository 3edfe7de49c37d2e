package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import picocli.CommandLine;

/** {@code --help} of every command is clean, and an unknown command is an error rather than the help. */
class HelpTest {

    /** Every command path of the tree, e.g. [runs, show], found from the command line itself so a new command is covered too. */
    static List<List<String>> commandPaths() {
        List<List<String>> out = new ArrayList<>();
        collect(Main.commandLine(), new ArrayList<>(), out);
        return out;
    }

    private static void collect(CommandLine cli, List<String> path, List<List<String>> out) {
        out.add(List.copyOf(path));
        cli.getSubcommands().forEach((name, sub) -> {
            if (!sub.getCommandName().equals(name)) return; // an alias of a command already visited
            List<String> next = new ArrayList<>(path);
            next.add(name);
            collect(sub, next, out);
        });
    }

    /** Runs with System.err captured as well: picocli writes its description-format WARN lines there, not to its err writer. */
    static CliRunner.Result runCapturingStderr(String... args) {
        PrintStream originalErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            CliRunner.Result r = CliRunner.run(args);
            return new CliRunner.Result(r.exitCode(), r.out(), r.err() + err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(originalErr);
        }
    }

    @TestFactory
    @DisplayName("--help of every command and subcommand prints its usage, exits 0 and prints nothing on stderr")
    Stream<DynamicTest> everyHelpIsClean() {
        List<List<String>> paths = commandPaths();
        assertThat(paths).contains(List.of(), List.of("evaluate"), List.of("runs", "show"), List.of("data", "validate"));
        return paths.stream().map(path -> DynamicTest.dynamicTest("cairn " + String.join(" ", path) + " --help", () -> {
            List<String> args = new ArrayList<>(path);
            args.add("--help");
            CliRunner.Result r = runCapturingStderr(args.toArray(String[]::new));
            assertThat(r.err()).as("stderr of cairn %s --help", String.join(" ", path)).isEmpty();
            assertThat(r.exitCode()).isZero();
            assertThat(r.out()).contains("Usage:");
        }));
    }

    @Test
    @DisplayName("an unknown command, with or without --help, is one line naming it and listing the commands, exit code 2")
    void unknownCommandIsAnError() {
        for (String[] args : List.of(new String[] {"frobnicate", "--help"}, new String[] {"frobnicate"})) {
            CliRunner.Result r = runCapturingStderr(args);
            assertThat(r.exitCode()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(r.out()).doesNotContain("Usage:");
            assertThat(r.err().strip()).doesNotContain("\n")
                    .startsWith("cairn: unknown command 'cairn frobnicate'; the commands are: ")
                    .contains("train", "evaluate", "runs", "models");
        }
        CliRunner.Result sub = runCapturingStderr("runs", "frobnicate", "--help");
        assertThat(sub.exitCode()).isEqualTo(2);
        assertThat(sub.err().strip()).startsWith("cairn: unknown command 'cairn runs frobnicate'; the commands are: ").contains("search", "show");
        CliRunner.Result extra = runCapturingStderr("evaluate", "stray", "--help");
        assertThat(extra.exitCode()).as("a stray word after a command without subcommands is refused too").isEqualTo(2);
        assertThat(extra.err()).contains("stray");
    }
}
