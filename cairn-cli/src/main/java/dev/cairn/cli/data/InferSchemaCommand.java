package dev.cairn.cli.data;

import dev.cairn.data.DataValidation;
import dev.cairn.data.profile.DatasetProfile;
import dev.cairn.data.schema.DataSpec;
import dev.cairn.data.schema.SpecYaml;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cairn data infer-schema SOURCE}: a first schema and suggested checks, as YAML for review. */
@Command(name = "infer-schema", mixinStandardHelpOptions = true,
        description = "Infer a schema (types, nullability, domains, ranges) and suggested checks as YAML to review and version.")
final class InferSchemaCommand extends DataSubcommand {
    @Parameters(index = "0", paramLabel = "SOURCE", description = "A CSV, Parquet or JSON-lines file, or a JDBC URL.")
    String location;

    @Mixin
    SourceOptions source;

    @Option(names = "--label", description = "The label column: present in TRAINING data, absent in SERVING.")
    String label;

    @Option(names = "--dataset", description = "The dataset's name in the spec (default: the file's name).")
    String dataset;

    @Option(names = {"-o", "--out"}, description = "Write the YAML to this file (default: print it).")
    Path outFile;

    @Mixin
    EngineOptions engine;

    @Override
    int execute() {
        DataValidation data = new DataValidation();
        DatasetProfile profile;
        if (engine.spark()) {
            // The schema is inferred from the profile alone, so Spark's profile (the same sketches) infers the same schema.
            profile = SparkData.profile(engine, location);
        } else {
            ProgressBar bar = new ProgressBar(err());
            profile = new DataValidation(bar).profile(source.source(location));
            bar.finish();
        }
        DataSpec spec = data.inferSchema(profile, dataset != null ? dataset : SourceOptions.nameOf(location), label);
        if (outFile == null) {
            out().print(SpecYaml.write(spec));
        } else {
            data.writeSpec(spec, outFile);
            out().printf("Wrote %s: %d fields, %d checks. Review it, then: cairn data validate %s --schema %s%n",
                    outFile, spec.fields().size(), spec.checks().size(), location, outFile);
        }
        return 0;
    }
}
