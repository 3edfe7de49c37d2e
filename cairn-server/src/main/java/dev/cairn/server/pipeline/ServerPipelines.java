package dev.cairn.server.pipeline;

import dev.cairn.core.auth.ResourceKind;
import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.pipeline.PipelineDefinition;
import dev.cairn.core.pipeline.PipelineRun;
import dev.cairn.core.store.ArtifactRepository;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.core.store.PipelineStore;
import dev.cairn.monitor.alert.AlertEvent;
import dev.cairn.monitor.alert.AlertEvents;
import dev.cairn.pipeline.engine.PipelineEngine;
import dev.cairn.pipeline.engine.PipelineServices;
import dev.cairn.pipeline.engine.RunListener;
import dev.cairn.pipeline.engine.RunRequest;
import dev.cairn.pipeline.engine.StepRunners;
import dev.cairn.pipeline.engine.Workspace;
import dev.cairn.pipeline.scheduler.PipelineScheduler;
import dev.cairn.pipeline.scheduler.SpecDirectory;
import dev.cairn.pipeline.snapshot.Snapshots;
import dev.cairn.pipeline.spec.PipelineSpec;
import dev.cairn.server.auth.ResourceLookup;
import dev.cairn.train.tracking.Tracking;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pipelines in {@code cairn server}: the specs of its pipelines directory, the engine that runs them (its workspace
 * confined to that directory and the configured roots and JDBC prefixes; commands only when allowed), and the
 * scheduler that fires schedules, data and alert triggers. Runs execute on a small pool of the server's own; a
 * server stopped mid-run leaves its runs to be resumed by the next server to tick (this one after a restart, or
 * another on the same database).
 */
public final class ServerPipelines implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ServerPipelines.class);

    /**
     * @param directory     the pipelines directory (specs, and the files they name)
     * @param roots         other directories specs may read and write
     * @param jdbcPrefixes  the JDBC URLs steps may open besides SQLite files inside the directory
     * @param allowCommands whether {@code command} steps (user code) may run
     * @param tick          how often the scheduler looks at triggers and queued runs
     * @param parallelRuns  how many runs execute at once on this server
     */
    public record Settings(Path directory, List<Path> roots, List<String> jdbcPrefixes, boolean allowCommands, Duration tick,
                           int parallelRuns) {
        public static final Duration DEFAULT_TICK = Duration.ofSeconds(15);

        public Settings {
            roots = roots == null ? List.of() : List.copyOf(roots);
            jdbcPrefixes = jdbcPrefixes == null ? List.of() : List.copyOf(jdbcPrefixes);
            tick = tick == null ? DEFAULT_TICK : tick;
            if (parallelRuns < 1) parallelRuns = 2;
        }

        public static Settings of(Path directory) {
            return new Settings(directory, List.of(), List.of(), false, DEFAULT_TICK, 2);
        }
    }

    private final PipelineStore store;
    private final ResourceLookup lookup;
    private final Consumer<String> forgetGrants;
    private final PipelineEngine engine;
    private final PipelineScheduler scheduler;
    private final SpecDirectory specs;
    private final ExecutorService runThreads;
    private final AlertEvents.Subscription alerts;
    private final Map<String, PipelineSpec> parsed = new ConcurrentHashMap<>();
    private volatile List<SpecDirectory.Problem> problems = List.of();

    private ServerPipelines(PipelineStore store, ResourceLookup lookup, Consumer<String> forgetGrants, PipelineEngine engine,
                            SpecDirectory specs, ExecutorService runThreads, AlertEvents events) {
        this.store = store;
        this.lookup = lookup;
        this.forgetGrants = forgetGrants;
        this.engine = engine;
        this.specs = specs;
        this.runThreads = runThreads;
        this.scheduler = new PipelineScheduler(engine, runThreads, RunListener.NONE);
        this.alerts = events == null ? null : events.subscribe(AlertEvent::firing, this::onAlert);
    }

    /**
     * Opens pipelines over the server's stores: the engine, the scheduler (ticking every {@code settings.tick()}
     * when {@code startTicking}) and the first sync of the directory.
     *
     * @param alertEvents monitoring's alert bus (its FIRING events start the pipelines with a matching alert
     *                    trigger), or null
     * @param scratch     where steps get their work directories
     * @param owner       this server instance's id, unique among the servers sharing the database
     */
    public static ServerPipelines open(MetadataStore metadata, ArtifactRepository artifacts, Settings settings, StepRunners runners,
                                       AlertEvents alertEvents, Clock clock, Path scratch, String owner, boolean startTicking) {
        PipelineStore store = metadata.pipelines();
        Workspace workspace = new Workspace(settings.directory(), true, settings.roots(), settings.jdbcPrefixes(), settings.allowCommands());
        PipelineServices services = new PipelineServices(Tracking.of(metadata).as("cairn-pipelines"), new Snapshots(artifacts),
                workspace, clock, System::getenv, scratch).withFeatures(metadata.features());
        PipelineEngine engine = new PipelineEngine(store, services, runners, owner);
        ExecutorService threads = Executors.newFixedThreadPool(settings.parallelRuns(),
                Thread.ofPlatform().daemon().name("cairn-pipeline-run-", 0).factory());
        ServerPipelines pipelines = new ServerPipelines(store, ResourceLookup.of(metadata), name -> forgetGrants(metadata, name), engine,
                new SpecDirectory(settings.directory()), threads, alertEvents);
        try {
            pipelines.sync("cairn-server");
        } catch (CairnException e) {
            LOG.warn("Pipelines directory {}: {}", settings.directory(), e.getMessage());
        }
        if (startTicking) pipelines.scheduler.start(settings.tick());
        return pipelines;
    }

    public PipelineStore store() {
        return store;
    }

    /** The stores' answers access control needs (the experiment of a run a lineage edge names). */
    public ResourceLookup lookup() {
        return lookup;
    }

    public PipelineEngine engine() {
        return engine;
    }

    public PipelineScheduler scheduler() {
        return scheduler;
    }

    public Path directory() {
        return specs.directory();
    }

    public Instant now() {
        return engine.services().clock().instant();
    }

    /** The spec files of the last sync that could not be registered. */
    public List<Map<String, String>> problems() {
        return problems.stream().map(p -> Map.of("file", p.file().toString(), "message", p.message())).toList();
    }

    public SpecDirectory.Result sync(String actor) {
        SpecDirectory.Result result = specs.sync(store, actor);
        // A pipeline whose spec is gone takes its grants along: a later spec of that name starts with none.
        result.removed().forEach(forgetGrants);
        problems = result.problems();
        for (SpecDirectory.Problem p : result.problems()) LOG.warn("Pipeline spec {} is not registered: {}", p.file(), p.message());
        return result;
    }

    private static void forgetGrants(MetadataStore metadata, String pipeline) {
        try {
            metadata.auth().deleteGrants(ResourceKind.PIPELINE, pipeline);
        } catch (CairnException e) {
            // A store without accounts and grants (none that holds pipelines today) has nothing to forget.
            LOG.warn("Could not remove the grants of removed pipeline {}: {}", pipeline, e.getMessage());
        }
    }

    public PipelineSpec spec(PipelineDefinition definition) {
        return parsed.computeIfAbsent(definition.sha256(), sha -> PipelineSpec.parse(definition.specText(), definition.source()));
    }

    public PipelineSpec specOf(PipelineRun run) {
        return engine.specOf(run);
    }

    /** Queues a run of a registered pipeline and hands it to the run threads; returns it as queued. */
    public PipelineRun start(PipelineDefinition definition, RunRequest request) {
        PipelineRun run = engine.submit(spec(definition), request).orElseThrow(() -> new CairnException(ErrorCode.INTERNAL_ERROR,
                "The run of " + definition.name() + " was not created"));
        scheduler.dispatchQueued();
        return store.getRun(run.runId());
    }

    private void onAlert(AlertEvent event) {
        // The alert engine calls on its own thread: queue and hand over, never run a pipeline on it.
        try {
            scheduler.onAlert(event.deployment(), event.rule(), event.id(), event.description() == null
                    ? event.metric() + " " + event.value() : event.description() + " (" + event.metric() + " = " + event.value() + ")");
        } catch (RuntimeException e) {
            LOG.error("Alert {} on {} could not start its pipelines", event.rule(), event.deployment(), e);
        }
    }

    @Override
    public void close() {
        if (alerts != null) alerts.close();
        scheduler.close();
        runThreads.shutdownNow();
        engine.close();
    }
}
