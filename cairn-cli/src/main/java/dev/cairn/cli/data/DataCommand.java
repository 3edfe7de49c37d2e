package dev.cairn.cli.data;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code cairn data …}: profile, infer a schema, validate, compare for drift, and write reports. */
@Command(name = "data",
        mixinStandardHelpOptions = true,
        description = "Data validation: profiles, schemas, checks, drift and reports (CSV, Parquet, JSON lines, JDBC).",
        subcommands = {
                ProfileCommand.class,
                InferSchemaCommand.class,
                ValidateCommand.class,
                DriftCommand.class,
                ReportCommand.class,
                MergeProfilesCommand.class
        })
public final class DataCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
