package dev.cairn.cli.pipeline;

import dev.cairn.cli.data.SparkData;
import dev.cairn.core.store.ArtifactRepository;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.pipeline.engine.StepRunners;
import dev.cairn.pipeline.steps.StandardSteps;
import dev.cairn.server.pipeline.steps.ScoreRunner;
import dev.cairn.server.pipeline.steps.ServerSteps;
import dev.cairn.server.serving.ModelLoader;
import dev.cairn.server.serving.RegistryPackages;
import dev.cairn.server.tracking.ModelResolver;
import java.nio.file.Path;

/**
 * The step runners of a pipeline run from the CLI: every standard step, and batch scoring with a model loader over
 * the store (the same packages the server caches, under its serving home). Deploy and canary need the server's
 * deployments and live traffic, so a spec using them runs in {@code cairn server} (the engine says so before any
 * step runs). Validate, profile and score steps that say {@code engine: spark} run on Spark when its jars are on the class path
 * ({@link SparkData#engines()}).
 */
final class CliStepRunners {
    private CliStepRunners() {}

    static StepRunners create(MetadataStore metadata, ArtifactRepository artifacts, Path servingHome) {
        ModelLoader loader = new ModelLoader(metadata.registry(),
                new RegistryPackages(new ModelResolver(metadata, artifacts), servingHome.resolve("model-cache")), 0);
        return new StepRunners().addAll(StandardSteps.all(SparkData.engines()))
                .add(new ScoreRunner(loader, ServerSteps.predictionLog(servingHome), SparkData.engines()));
    }
}
