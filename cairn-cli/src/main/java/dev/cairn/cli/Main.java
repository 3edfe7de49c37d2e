package dev.cairn.cli;

import dev.cairn.cli.data.DataCommand;
import dev.cairn.cli.evaluate.EvaluateCommand;
import dev.cairn.cli.model.ReproduceCommand;
import dev.cairn.cli.model.TrainCommand;
import dev.cairn.cli.model.TuneCommand;
import dev.cairn.cli.monitor.MonitorCommand;
import dev.cairn.cli.quickstart.QuickstartCommand;
import dev.cairn.cli.registry.AliasesCommand;
import dev.cairn.cli.registry.AuditCommand;
import dev.cairn.cli.registry.ModelsCommand;
import dev.cairn.cli.serving.ScoreCommand;
import dev.cairn.cli.serving.ServeCommand;
import dev.cairn.cli.tracking.ExperimentsCommand;
import dev.cairn.cli.tracking.RunsCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code cairn} command. */
@Command(name = "cairn",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Cairn: track, validate, train, register and serve machine-learning models, with every step recorded.",
        subcommands = {
                QuickstartCommand.class,
                ServerCommand.class,
                ExperimentsCommand.class,
                RunsCommand.class,
                DataCommand.class,
                TrainCommand.class,
                TuneCommand.class,
                ReproduceCommand.class,
                EvaluateCommand.class,
                ModelsCommand.class,
                AliasesCommand.class,
                AuditCommand.class,
                ServeCommand.class,
                ScoreCommand.class,
                MonitorCommand.class,
                dev.cairn.cli.pipeline.PipelinesCommand.class,
                dev.cairn.cli.features.FeaturesCommand.class,
                dev.cairn.cli.auth.UsersCommand.class,
                dev.cairn.cli.auth.GroupsCommand.class,
                dev.cairn.cli.auth.TokensCommand.class,
                dev.cairn.cli.auth.GrantsCommand.class,
                CommandLine.HelpCommand.class
        })
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line; tests call {@code execute} on it. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler(new Errors.ExecutionHandler());
        cli.setParameterExceptionHandler(new Errors.ParameterHandler());
        cli.setExecutionStrategy(Main::refuseUnmatched);
        return cli;
    }

    /**
     * picocli does not refuse unmatched words when help is asked for, so {@code cairn frobnicate --help}
     * printed the top-level help and exited 0, and a typo in a pipeline went unnoticed. Any
     * unmatched word is refused here, as it is without {@code --help}, before any help or command runs.
     */
    private static int refuseUnmatched(CommandLine.ParseResult parsed) {
        for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (!p.unmatched().isEmpty()) {
                throw new CommandLine.UnmatchedArgumentException(p.commandSpec().commandLine(), p.unmatched());
            }
        }
        return new CommandLine.RunLast().execute(parsed);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"cairn " + (v == null ? "0.1.0-SNAPSHOT" : v) + " (Java " + Runtime.version() + ")"};
        }
    }
}
