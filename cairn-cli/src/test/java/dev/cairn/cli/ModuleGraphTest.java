package dev.cairn.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The module graph as designed (DESIGN.md), checked on the compiled code of every module, which is
 * on this module's test classpath: a module may not reach into what it must not depend on, so a
 * forbidden import fails the build even when a transitive dependency would let it compile.
 */
@DisplayName("Each module imports only what the design lets it depend on")
class ModuleGraphTest {

    static JavaClasses cairn;

    @BeforeAll
    static void importProductionClasses() {
        // One class per module locates its jar or classes directory: importing only those is fast,
        // where scanning the whole classpath for the package takes a minute.
        List<Class<?>> anchors = List.of(dev.cairn.core.error.CairnException.class, dev.cairn.runtime.Models.class,
                dev.cairn.data.DataValidation.class, dev.cairn.features.FeatureStore.class, dev.cairn.train.Training.class,
                dev.cairn.store.CairnHome.class,
                dev.cairn.monitor.Monitoring.class, dev.cairn.pipeline.engine.PipelineEngine.class,
                dev.cairn.server.ServerMain.class, dev.cairn.client.Cairn.class, dev.cairn.spark.SparkEngine.class, Main.class);
        List<java.net.URL> locations = new ArrayList<>();
        for (Class<?> anchor : anchors) locations.add(anchor.getProtectionDomain().getCodeSource().getLocation());
        cairn = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importUrls(locations);
    }

    private static void check(ArchRule rule) {
        rule.check(cairn);
    }

    @Test
    @DisplayName("core holds values and contracts: no other Cairn module, no library")
    void coreDependsOnNothing() {
        check(noClasses().that().resideInAPackage("dev.cairn.core..")
                .should().dependOnClassesThat().resideOutsideOfPackages("dev.cairn.core..", "java..", "javax..")
                .because("cairn-core is what every module shares; it depends on the JDK alone"));
    }

    @Test
    @DisplayName("the runtime a Java service embeds needs no store, data engine, trainer, server or HTTP library")
    void runtimeIsEmbeddable() {
        check(noClasses().that().resideInAPackage("dev.cairn.runtime..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.cairn.store..", "dev.cairn.data..", "dev.cairn.train..",
                        "dev.cairn.server..", "dev.cairn.client..", "dev.cairn.cli..", "org.duckdb..", "io.javalin..",
                        "software.amazon..", "org.flywaydb..")
                .because("cairn-runtime is the one jar a Java service embeds"));
    }

    @Test
    @DisplayName("data validation needs no model runtime, store, trainer or server")
    void dataStandsAlone() {
        check(noClasses().that().resideInAPackage("dev.cairn.data..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.cairn.runtime..", "dev.cairn.store..", "dev.cairn.train..",
                        "dev.cairn.monitor..", "dev.cairn.server..", "dev.cairn.client..", "dev.cairn.cli..")
                .because("cairn-data depends on core, DuckDB and DataSketches only"));
    }

    @Test
    @DisplayName("the feature store depends on core and data: its registry through core's contract, no trainer, server or pipeline")
    void featuresUseCoreAndData() {
        check(noClasses().that().resideInAPackage("dev.cairn.features..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.cairn.runtime..", "dev.cairn.store..", "dev.cairn.train..",
                        "dev.cairn.monitor..", "dev.cairn.pipeline..", "dev.cairn.server..", "dev.cairn.client..", "dev.cairn.cli..",
                        "org.flywaydb..", "com.zaxxer..")
                .because("cairn-features depends on core and data (DESIGN.md); the registry is reached through core's FeatureRegistry"));
        check(noClasses().that().resideInAnyPackage("dev.cairn.data..", "dev.cairn.core..")
                .should().dependOnClassesThat().resideInAPackage("dev.cairn.features..")
                .because("the feature store builds on data and core, not the other way round"));
    }

    @Test
    @DisplayName("training reaches stores only through core's contracts, never the store implementations or the server")
    void trainUsesContracts() {
        check(noClasses().that().resideInAPackage("dev.cairn.train..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.cairn.store..", "dev.cairn.server..", "dev.cairn.client..",
                        "dev.cairn.cli..", "dev.cairn.monitor..", "org.flywaydb..", "software.amazon..", "com.zaxxer..")
                .because("stores are picked by URI through core's provider lookup, so training does not carry their drivers"));
    }

    @Test
    @DisplayName("stores implement core's contracts and know nothing of models, data, training or HTTP")
    void storeImplementsContracts() {
        check(noClasses().that().resideInAPackage("dev.cairn.store..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.cairn.runtime..", "dev.cairn.data..", "dev.cairn.train..",
                        "dev.cairn.server..", "dev.cairn.client..", "dev.cairn.cli..", "io.javalin..")
                .because("cairn-store depends on core"));
    }

    @Test
    @DisplayName("the Java SDK speaks HTTP to the server and embeds none of it")
    void clientIsThin() {
        check(noClasses().that().resideInAPackage("dev.cairn.client..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.cairn.store..", "dev.cairn.server..", "dev.cairn.train..",
                        "dev.cairn.data..", "dev.cairn.cli..", "io.javalin..", "org.duckdb..")
                .because("cairn-client depends on core (and the runtime's resolver contract)"));
    }

    @Test
    @DisplayName("monitoring is a library over core's contracts: no store implementation, no HTTP server, no client")
    void monitorIsALibrary() {
        check(noClasses().that().resideInAPackage("dev.cairn.monitor..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.cairn.store..", "dev.cairn.server..", "dev.cairn.client..",
                        "dev.cairn.cli..", "io.javalin..", "org.flywaydb..")
                .because("the server and the CLI adapt the Monitoring service; it runs wherever core's stores can be opened"));
    }

    @Test
    @DisplayName("the pipeline engine is a library over core's contracts and the lower modules (features among them); "
            + "the server adds the steps that need deployments")
    void pipelinesAreALibrary() {
        check(noClasses().that().resideInAPackage("dev.cairn.pipeline..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.cairn.store..", "dev.cairn.server..", "dev.cairn.client..",
                        "dev.cairn.cli..", "io.javalin..", "org.flywaydb..")
                .because("the engine runs wherever core's stores open: in cairn server, in the CLI, in a test"));
        // cairn-pipeline depends on cairn-features: train and tune steps take a feature service's point-in-time training
        // set, and the materialize step fills the online store. The feature store is one implementation; a step that
        // reimplemented its joins outside it would train on features computed another way than they are served.
        check(noClasses().that().resideInAnyPackage("dev.cairn.core..", "dev.cairn.data..", "dev.cairn.features..", "dev.cairn.train..",
                        "dev.cairn.monitor..")
                .should().dependOnClassesThat().resideInAPackage("dev.cairn.pipeline..")
                .because("pipelines compose the lower modules; nothing below them knows of them"));
    }

    @Test
    @DisplayName("training knows nothing of the feature store: a training set is a file, its lineage plain tags and dataset inputs")
    void trainDoesNotKnowTheFeatureStore() {
        check(noClasses().that().resideInAPackage("dev.cairn.train..")
                .should().dependOnClassesThat().resideInAPackage("dev.cairn.features..")
                .because("cairn-train depends on runtime and data (DESIGN.md); the callers (the CLI, pipeline steps) build the "
                        + "training set with cairn-features and hand cairn-train the file, the columns to drop and the inputs to record"));
    }

    @Test
    @DisplayName("the Spark engine runs cairn-data's checks and profiles, cairn-runtime's models and cairn-features' training "
            + "sets; only it and the CLI's engine choice touch Spark")
    void sparkIsAnEngineBesideDuckDb() {
        check(noClasses().that().resideInAPackage("dev.cairn.spark..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.cairn.store..", "dev.cairn.server..", "dev.cairn.client..",
                        "dev.cairn.cli..", "dev.cairn.train..", "dev.cairn.monitor..", "dev.cairn.pipeline..", "io.javalin..")
                .because("cairn-spark depends on data, runtime and features (DESIGN.md): the same checks, profiles, models and "
                        + "point-in-time training sets on another engine"));
        // Spark is provided at run time (spark-submit, or the launcher's --engine spark class path): a class outside
        // these packages that loaded it would fail wherever Spark's jars are absent, which is everywhere by default.
        check(noClasses().that().resideOutsideOfPackages("dev.cairn.spark..", "dev.cairn.cli.data..")
                .should().dependOnClassesThat().resideInAPackage("org.apache.spark.."));
    }

    @Test
    @DisplayName("no module but the CLI depends on the CLI; the server does not depend on its clients")
    void nothingDependsOnTheCli() {
        check(noClasses().that().resideOutsideOfPackage("dev.cairn.cli..")
                .should().dependOnClassesThat().resideInAPackage("dev.cairn.cli.."));
        check(noClasses().that().resideInAPackage("dev.cairn.server..")
                .should().dependOnClassesThat().resideInAPackage("dev.cairn.client.."));
    }
}
