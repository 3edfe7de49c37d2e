package dev.cairn.cli.pipeline;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code cairn pipelines}: validate, run and follow pipelines; what is registered, scheduled and ran. */
@Command(name = "pipelines", mixinStandardHelpOptions = true,
        description = "Pipelines: a DAG of steps (read, validate, train, evaluate, register, canary, score, ...) run by hand, by CI, on a schedule, on new data or on an alert.",
        subcommands = {PipelinesValidateCommand.class, PipelinesRunCommand.class, PipelinesListCommand.class, PipelinesShowCommand.class,
                PipelinesRunsCommand.class, PipelinesLogsCommand.class, PipelinesCancelCommand.class, PipelinesScheduleCommand.class,
                PipelinesExampleCommand.class})
public final class PipelinesCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(System.out);
        return CommandLine.ExitCode.USAGE;
    }
}
