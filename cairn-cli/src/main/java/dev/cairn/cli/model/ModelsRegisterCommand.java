package dev.cairn.cli.model;

import dev.cairn.cli.Output;
import dev.cairn.cli.StoreOptions;
import dev.cairn.core.error.CairnException;
import dev.cairn.core.registry.ModelVersion;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.core.uri.ModelReference;
import dev.cairn.runtime.pkg.ModelPackage;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code cairn models register --name credit-risk --source runs:/<run>/model [--run-id ID]
 * [--description TEXT] [--alias champion]}: a model package as the next version of a registered
 * model (created if missing). The source is read and verified as a package first, so nothing is
 * registered that would not load.
 */
@Command(name = "register", mixinStandardHelpOptions = true,
        description = "Register a model package (runs:/<run>/model, models:/…, or a storage URI) as the next version of a registered model.")
public final class ModelsRegisterCommand implements Callable<Integer> {

    @Mixin StoreOptions store;
    @Mixin Output output;

    @Option(names = "--name", required = true, paramLabel = "MODEL", description = "Registered model name (created if missing).")
    String name;

    @Option(names = "--source", paramLabel = "URI", description = "The package: runs:/<run-id>/model, models:/name/version, or a storage URI (default: runs:/<run-id>/model).")
    String source;

    @Option(names = {"--run-id", "--run"}, paramLabel = "RUN_ID", description = "The run that produced the model (default: the run of a runs:/ source).")
    String runId;

    @Option(names = "--description", paramLabel = "TEXT", description = "Description of the new version.")
    String description;

    @Option(names = "--alias", paramLabel = "ALIAS", description = "Alias to point at the new version, e.g. champion.")
    String alias;

    @Override
    public Integer call() {
        if (source == null && runId == null) {
            throw CairnException.invalid("source", null, "--source runs:/<run-id>/model (or --run-id RUN_ID for that run's model/)");
        }
        if (alias != null && !ModelReference.ALIAS.matcher(alias).matches()) {
            throw CairnException.invalid("alias", alias, "letters, digits, '_' and '-', starting with a letter or '_'");
        }
        String uri = source != null ? absolute(source) : "runs:/" + runId + "/model";
        if (runId == null && ModelReference.parse(uri) instanceof ModelReference.RunArtifact run) runId = run.runId();
        try (PackageSource packages = new PackageSource(store, null)) {
            // Everything is checked before anything is written: the run, then the package itself.
            if (runId != null) packages.metadata().runs().getRun(runId);
            ModelPackage pkg = readPackage(packages, uri);
            ModelVersion version = register(packages.metadata(), uri, pkg);
            if (output.json()) {
                output.printJson(System.out, version);
            } else {
                System.out.println("Registered " + version.name() + " version " + version.version() + " from " + version.source()
                        + " (" + pkg.manifest().flavor() + ")" + (alias == null ? "" : " with alias " + alias));
            }
            return 0;
        }
    }

    private static ModelPackage readPackage(PackageSource packages, String uri) {
        if (uri.startsWith("file:") && !Files.isDirectory(Path.of(URI.create(uri)))) {
            throw CairnException.invalid("source", uri, "an existing package directory (the registry serves directories: unzip a .zip first)");
        }
        Path local = packages.stored(ModelReference.parse(uri));
        try {
            return ModelPackage.read(local);
        } catch (CairnException e) {
            // Name the source as the user gave it, not the temporary copy it was read from.
            throw new CairnException(e.code(), "Source " + uri + " is not a valid model package: "
                    + e.getMessage().replace(local.toString(), uri), e.details(), e);
        }
    }

    private ModelVersion register(MetadataStore s, String uri, ModelPackage pkg) {
        return Registration.register(s.registry(), name, uri, runId, description, alias, String.valueOf(pkg.manifest().flavor()));
    }

    /** A local path as an absolute file: URI, so that the version means the same from any directory. */
    private static String absolute(String source) {
        if (ModelReference.parse(source) instanceof ModelReference.Location && !source.matches("[a-zA-Z][a-zA-Z0-9+.\\-]+:.*")) {
            return Path.of(source).toAbsolutePath().normalize().toUri().toString();
        }
        return source;
    }
}
