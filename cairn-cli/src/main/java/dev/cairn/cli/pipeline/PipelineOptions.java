package dev.cairn.cli.pipeline;

import dev.cairn.cli.StoreOptions;
import dev.cairn.core.store.ArtifactRepository;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.core.store.Stores;
import dev.cairn.pipeline.engine.PipelineEngine;
import dev.cairn.pipeline.engine.PipelineServices;
import dev.cairn.pipeline.engine.Workspace;
import dev.cairn.pipeline.snapshot.Snapshots;
import dev.cairn.server.ServerMain;
import dev.cairn.server.ServerOptions;
import dev.cairn.train.tracking.Tracking;
import java.nio.file.Path;
import java.time.Clock;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The store a pipeline command reads (the same as {@code cairn server}'s by default, so the CLI sees the server's
 * pipelines and runs), the server's pipelines directory, and an engine for running a spec here.
 */
public final class PipelineOptions {
    @Mixin StoreOptions store;

    @Option(names = "--pipelines", paramLabel = "DIR",
            description = "The pipelines directory of cairn server (default: beside the artifact root, like the server's).")
    Path pipelines;

    ServerOptions serverOptions() {
        return new ServerOptions(store.storeUri(), store.artifactRoot(), ServerOptions.DEFAULT_HOST, ServerOptions.DEFAULT_PORT);
    }

    Path directory() {
        return pipelines != null ? pipelines : ServerMain.pipelinesHome(serverOptions());
    }

    MetadataStore open() {
        return store.open();
    }

    /** An engine running in this process, as the current user, in {@code workspace}. */
    PipelineEngine engine(MetadataStore metadata, Workspace workspace) {
        ArtifactRepository artifacts = Stores.openArtifacts(store.artifactRoot());
        Path scratch = Path.of(System.getProperty("java.io.tmpdir")).resolve("cairn-pipelines-" + ProcessHandle.current().pid());
        PipelineServices services = new PipelineServices(Tracking.of(metadata), new Snapshots(artifacts), workspace,
                Clock.systemUTC(), System::getenv, scratch).withFeatures(metadata.features());
        String owner = "cli-" + ProcessHandle.current().pid() + "@" + host();
        return new PipelineEngine(metadata.pipelines(), services,
                CliStepRunners.create(metadata, artifacts, ServerMain.servingHome(serverOptions())), owner);
    }

    private static String host() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "localhost";
        }
    }
}
