package dev.cairn.cli.data;

import dev.cairn.core.error.CairnException;
import dev.cairn.data.engine.Engines;
import picocli.CommandLine.Option;

/**
 * {@code --engine} on the data commands that read only stored JSON results ({@code report}, {@code merge-profiles}):
 * they read no data, so there is nothing to run on Spark. {@code duckdb} is accepted (scripts may pass it to every data
 * command); {@code spark} is refused in one line rather than silently ignored.
 */
final class StoredResultEngine {
    @Option(names = "--engine", paramLabel = "ENGINE",
            description = "duckdb only: this command reads stored JSON results, no data, so nothing runs on Spark.")
    String engine;

    void refuseSpark(String command) {
        if (Engines.isSpark("--engine", engine)) {
            throw CairnException.invalid("--engine", engine, "duckdb: 'cairn data " + command + "' reads stored JSON results, not data, "
                    + "so it has nothing to run on Spark (profile the data with --engine spark first)");
        }
    }
}
