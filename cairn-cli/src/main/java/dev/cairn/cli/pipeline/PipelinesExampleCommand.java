package dev.cairn.cli.pipeline;

import dev.cairn.core.error.CairnException;
import dev.cairn.pipeline.example.ExampleFiles;
import dev.cairn.pipeline.example.MasterData;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cairn pipelines example DIR}: the seed's exercise as a pipelines directory: a master-data SQLite database
 * (customers from credit-g with a sales history whose habits relate to the label) and the nightly scoring and
 * retraining specs beside it.
 */
@Command(name = "example", mixinStandardHelpOptions = true,
        description = "Write the master-data example into DIR: master.db (customers, sales, feature views), the nightly and retrain "
                + "pipelines, and the feature store's variant (features.yaml, train-features.yaml).")
public final class PipelinesExampleCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DIR", description = "The directory to write (becomes a pipelines directory: cairn server --pipelines DIR).")
    Path directory;

    @Option(names = "--seed", description = "The seed of the generated sales history (default 42).")
    long seed = 42;

    @Option(names = "--start", paramLabel = "DATE", description = "The first simulated day, yyyy-MM-dd (default 2024-03-01); the history runs up to it.")
    String start = "2024-03-01";

    @Override
    public Integer call() {
        LocalDate day;
        try {
            day = LocalDate.parse(start);
        } catch (DateTimeParseException e) {
            throw CairnException.invalid("--start", start, "a date such as 2024-03-01");
        }
        Path dir = directory.toAbsolutePath().normalize();
        ExampleFiles.write(dir).forEach(p -> System.out.println("wrote " + p));
        MasterData data = MasterData.create("jdbc:sqlite:" + dir.resolve("master.db"), MasterData.Settings.of(seed, day));
        System.out.println("master data in " + dir.resolve("master.db") + " as of " + data.asOf()
                + " (tables customers, sales; views customer_features, training_examples)");
        System.out.println("next: cairn pipelines run " + dir.resolve("retrain.yaml") + "   or   cairn server --pipelines " + dir);
        System.out.println("on the feature store: cairn features apply " + dir.resolve(ExampleFiles.FEATURES) + "   then   cairn pipelines run "
                + dir.resolve("train-features.yaml"));
        return 0;
    }
}
