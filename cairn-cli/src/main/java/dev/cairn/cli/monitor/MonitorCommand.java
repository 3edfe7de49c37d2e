package dev.cairn.cli.monitor;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code cairn monitor}: the live model's drift, data quality, performance and alerts. */
@Command(name = "monitor", mixinStandardHelpOptions = true,
        description = "Watch deployed models: drift, data quality, realized and estimated performance, alerts.",
        subcommands = {MonitorStatusCommand.class, MonitorReportCommand.class, MonitorAlertsCommand.class,
                MonitorBackfillCommand.class, MonitorLabelsCommand.class})
public final class MonitorCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(System.out);
        return CommandLine.ExitCode.USAGE;
    }
}
