package dev.cairn.cli.features;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code cairn features}: the feature store's definitions, training sets and online stores. */
@Command(name = "features", mixinStandardHelpOptions = true,
        description = "The feature store: apply definitions (entities, sources, feature views, services), build point-in-time "
                + "training sets, materialize views into an online store (sqlite: or redis://).",
        subcommands = {FeaturesApplyCommand.class, FeaturesListCommand.class, FeaturesShowCommand.class,
                FeaturesTrainingSetCommand.class, FeaturesMaterializeCommand.class})
public final class FeaturesCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(System.out);
        return CommandLine.ExitCode.USAGE;
    }
}
