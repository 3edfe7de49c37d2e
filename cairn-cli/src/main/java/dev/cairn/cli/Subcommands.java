package dev.cairn.cli;

import java.util.List;
import picocli.CommandLine;

/**
 * Adds the subcommands that other modules' packages contribute (data, training, serving), by
 * class name, so that the top-level command lists them when they are on the classpath and the
 * core commands keep working while a capability is being built.
 */
final class Subcommands {
    private Subcommands() {}

    private static final List<String> OPTIONAL = List.of(
            "dev.cairn.cli.ServerCommand",
            "dev.cairn.cli.quickstart.QuickstartCommand",
            "dev.cairn.cli.data.DataCommand",
            "dev.cairn.cli.model.TrainCommand",
            "dev.cairn.cli.model.TuneCommand",
            "dev.cairn.cli.model.ReproduceCommand",
            "dev.cairn.cli.serving.ServeCommand",
            "dev.cairn.cli.serving.ScoreCommand",
            "dev.cairn.cli.evaluate.EvaluateCommand");

    static void addOptional(CommandLine cli) {
        for (String className : OPTIONAL) {
            try {
                Class<?> type = Class.forName(className);
                cli.addSubcommand(type.getDeclaredConstructor().newInstance());
            } catch (ClassNotFoundException absent) {
                // Not built into this jar: the command is simply not offered.
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot create command " + className, e);
            }
        }
    }
}
