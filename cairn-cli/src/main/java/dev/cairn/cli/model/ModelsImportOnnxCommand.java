package dev.cairn.cli.model;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.cairn.cli.Actor;
import dev.cairn.cli.Output;
import dev.cairn.cli.StoreOptions;
import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.registry.ModelVersion;
import dev.cairn.core.store.ArtifactRepository;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.core.tracking.Param;
import dev.cairn.core.tracking.Run;
import dev.cairn.core.tracking.RunStatus;
import dev.cairn.core.tracking.SystemTags;
import dev.cairn.core.tracking.Tag;
import dev.cairn.runtime.Model;
import dev.cairn.runtime.Models;
import dev.cairn.runtime.onnx.OnnxImport;
import dev.cairn.runtime.pkg.ModelManifest;
import dev.cairn.runtime.pkg.Signature;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code cairn models import-onnx --file model.onnx --name NAME [--signature signature.yaml]}: a
 * model trained elsewhere (scikit-learn through skl2onnx, PyTorch) becomes a registered version
 * that serves and validates like a native one. The import is a run of its own (its provenance:
 * the file's SHA-256, who imported it, when), the package is that run's {@code model/} artifact,
 * and the version's source is {@code runs:/<run>/model}.
 */
@Command(name = "import-onnx", mixinStandardHelpOptions = true,
        description = "Register an ONNX model trained elsewhere as a new version, with a given signature or one inferred from the graph.")
public final class ModelsImportOnnxCommand implements Callable<Integer> {

    @Mixin StoreOptions store;
    @Mixin Output output;

    @Option(names = "--file", required = true, paramLabel = "MODEL.onnx", description = "The ONNX file.")
    Path file;

    @Option(names = "--name", required = true, paramLabel = "MODEL", description = "Registered model name (created if missing).")
    String name;

    @Option(names = "--signature", paramLabel = "FILE",
            description = "YAML with the signature as in model.yaml (inputs: [{name, type, nullable, domain, min, max}], output: {kind: binary|multiclass|regression, name, classes}); inferred from the graph when absent.")
    Path signatureFile;

    @Option(names = "--experiment", defaultValue = "imports", paramLabel = "NAME", description = "Experiment of the import run (default: ${DEFAULT-VALUE}).")
    String experiment;

    @Option(names = "--alias", paramLabel = "ALIAS", description = "Alias to point at the new version.")
    String alias;

    @Override
    public Integer call() throws IOException {
        if (!Files.isRegularFile(file)) throw CairnException.invalid("file", file, "an existing .onnx file");
        Signature signature = signatureFile == null ? null : readSignature(signatureFile);
        Path work = Files.createTempDirectory("cairn-onnx-");
        try (MetadataStore s = store.open()) {
            Path packageDir = work.resolve("model");
            ModelManifest manifest = OnnxImport.importModel(file, signature, packageDir);
            try (Model model = Models.load(packageDir)) {
                model.signature(); // loads and checks the package as serving will, before anything is recorded
            }
            String experimentId = s.experiments().getExperimentByName(experiment)
                    .map(e -> e.experimentId())
                    .orElseGet(() -> s.experiments().createExperiment(experiment, null, List.of()));
            Run run = s.runs().createRun(experimentId, Actor.current(), System.currentTimeMillis(), "import-" + name,
                    List.of(new Tag(SystemTags.SOURCE_NAME, "cairn models import-onnx"), new Tag(SystemTags.USER, Actor.current())));
            String runId = run.info().runId();
            try {
                s.runs().logBatch(runId, List.of(), List.of(new Param("onnx.file", file.toAbsolutePath().toString()),
                        new Param("onnx.sha256", manifest.files().getOrDefault(onnxName(manifest), "")),
                        new Param("signature", signatureFile == null ? "inferred from the graph" : signatureFile.toString())), List.of());
                upload(s.runArtifacts(run.info()).child("model"), packageDir);
                s.runs().updateRun(runId, RunStatus.FINISHED, System.currentTimeMillis(), null);
            } catch (RuntimeException e) {
                s.runs().setTag(runId, new Tag(SystemTags.FAILURE_REASON, String.valueOf(e.getMessage())));
                s.runs().updateRun(runId, RunStatus.FAILED, System.currentTimeMillis(), null);
                throw e;
            }
            ModelVersion version = Registration.register(s.registry(), name, "runs:/" + runId + "/model", runId,
                    "imported from " + file.getFileName(), alias, "onnx");
            if (output.json()) {
                output.printJson(System.out, version);
            } else {
                System.out.println("Imported " + file + " as " + version.name() + " version " + version.version()
                        + " (run " + runId + ", " + manifest.signature().inputs().size() + " inputs)" + (alias == null ? "" : " with alias " + alias));
            }
            return 0;
        } finally {
            deleteRecursively(work);
        }
    }

    private static String onnxName(ModelManifest manifest) {
        return manifest.files().keySet().stream().filter(f -> f.endsWith(".onnx")).findFirst().orElse("model.onnx");
    }

    static Signature readSignature(Path yaml) {
        ObjectMapper mapper = new ObjectMapper(new YAMLFactory())
                .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        try {
            Signature signature = mapper.readValue(yaml.toFile(), Signature.class);
            if (signature.inputs() == null || signature.inputs().isEmpty() || signature.output() == null) {
                throw CairnException.invalid("signature", yaml, "a YAML file with 'inputs' (at least one) and 'output'");
            }
            return signature;
        } catch (IOException e) {
            throw new CairnException(ErrorCode.INVALID_PARAMETER_VALUE, "Cannot read the signature " + yaml + ": "
                    + e.getMessage().lines().findFirst().orElse(""), e);
        }
    }

    private static void upload(ArtifactRepository target, Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                try (InputStream in = Files.newInputStream(f)) {
                    target.put(dir.relativize(f).toString().replace('\\', '/'), in);
                }
            }
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
