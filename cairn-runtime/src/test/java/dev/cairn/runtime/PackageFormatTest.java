package dev.cairn.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.runtime.pkg.ManifestCodec;
import dev.cairn.runtime.pkg.ModelBody;
import dev.cairn.runtime.pkg.ModelManifest;
import dev.cairn.runtime.pkg.ModelPackage;
import dev.cairn.runtime.pkg.ModelPackageWriter;
import dev.cairn.runtime.pkg.PackageZip;
import dev.cairn.runtime.pkg.Provenance;
import dev.cairn.runtime.preprocess.FeatureEncoder;
import dev.cairn.runtime.preprocess.Preprocessing;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PackageFormatTest {

    @TempDir
    Path dir;

    private Path linearPackage() {
        Path pkg = dir.resolve("linear");
        TestData.writeLinear(pkg, TestData.STEPS);
        return pkg;
    }

    private Path copyGoldenXGBoost() throws Exception {
        Path golden = Path.of(getClass().getResource("/golden/v1/xgboost/package").toURI());
        Path copy = dir.resolve("xgb");
        Files.createDirectories(copy);
        try (Stream<Path> files = Files.list(golden)) {
            for (Path f : files.toList()) Files.copy(f, copy.resolve(f.getFileName()));
        }
        return copy;
    }

    @Test
    @DisplayName("a model file changed after writing is refused, naming the file and both checksums")
    void tamperedModelFileIsDetected() throws Exception {
        Path pkg = copyGoldenXGBoost();
        byte[] bytes = Files.readAllBytes(pkg.resolve("model.ubj"));
        bytes[bytes.length / 2] ^= 1;
        Files.write(pkg.resolve("model.ubj"), bytes);
        assertThatThrownBy(() -> Models.load(pkg))
                .isInstanceOf(CairnException.class)
                .hasMessageContaining("Checksum mismatch for file 'model.ubj'")
                .satisfies(e -> assertThat(((CairnException) e).code()).isEqualTo(ErrorCode.DATA_LOSS))
                .satisfies(e -> assertThat(((CairnException) e).details()).containsEntry("file", "model.ubj"));
    }

    @Test
    @DisplayName("a file added to a package but not listed in model.yaml is refused")
    void unlistedFileIsRefused() throws Exception {
        Path pkg = copyGoldenXGBoost();
        Files.writeString(pkg.resolve("run-me.sh"), "echo hi");
        assertThatThrownBy(() -> Models.load(pkg)).isInstanceOf(CairnException.class)
                .hasMessageContaining("'run-me.sh'").hasMessageContaining("does not list");
    }

    @Test
    @DisplayName("a model file listed but missing is refused, naming it")
    void missingFileIsRefused() throws Exception {
        Path pkg = copyGoldenXGBoost();
        Files.delete(pkg.resolve("model.ubj"));
        assertThatThrownBy(() -> Models.load(pkg)).isInstanceOf(CairnException.class)
                .hasMessageContaining("missing file 'model.ubj'");
    }

    @Test
    @DisplayName("a model.yaml that breaks the schema is refused with every reason")
    void nonConformingManifestIsRefusedWithReasons() throws Exception {
        Path pkg = linearPackage();
        String yaml = Files.readString(pkg.resolve("model.yaml"))
                .replace("flavor: linear", "flavor: sklearn")
                .replace("kind: binary", "kind: ranking")
                .replace("type: standard_scale", "type: standard_scale\n    colour: blue");
        Files.writeString(pkg.resolve("model.yaml"), yaml);
        assertThatThrownBy(() -> Models.load(pkg))
                .isInstanceOf(CairnException.class)
                .hasMessageContaining("does not conform to the model package format")
                .hasMessageContaining("$.flavor")
                .hasMessageContaining("$.signature.output.kind")
                .hasMessageContaining("colour")
                .satisfies(e -> assertThat(((CairnException) e).code()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE));
    }

    @Test
    @DisplayName("model.yaml that is not YAML, or of a newer format version, is refused with the reason")
    void brokenOrNewerManifestIsRefused() throws Exception {
        Path pkg = linearPackage();
        String original = Files.readString(pkg.resolve("model.yaml"));
        Files.writeString(pkg.resolve("model.yaml"), "format_version: [1\n");
        assertThatThrownBy(() -> Models.load(pkg)).hasMessageContaining("not valid YAML");
        Files.writeString(pkg.resolve("model.yaml"), original.replace("format_version: 1", "format_version: 7"));
        assertThatThrownBy(() -> Models.load(pkg)).hasMessageContaining("format_version 7 is newer");
    }

    @Test
    @DisplayName("preprocessing that does not fit the signature is refused at load with the reason")
    void inconsistentPreprocessingIsRefused() throws Exception {
        Path pkg = linearPackage();
        String yaml = Files.readString(pkg.resolve("model.yaml")).replace("column: age", "column: height");
        Files.writeString(pkg.resolve("model.yaml"), yaml);
        assertThatThrownBy(() -> Models.load(pkg)).hasMessageContaining("column 'height', which is not a signature input");
    }

    @Test
    @DisplayName("the writer refuses an existing target and leaves no temporary directory behind")
    void writerIsAtomic() throws Exception {
        Path pkg = linearPackage();
        ModelManifest m = ModelPackage.read(pkg).manifest();
        assertThatThrownBy(() -> ModelPackageWriter.write(pkg, m, Map.of())).hasMessageContaining("already exists");
        // An invalid manifest fails before anything is written.
        ModelManifest bad = ModelManifest.of(TestData.BINARY,
                new Preprocessing(TestData.STEPS, FeatureEncoder.natural(TestData.INPUTS, TestData.STEPS).featureNames()),
                new ModelBody.Linear(List.of(List.of(1.0)), List.of(0.0)), null, Provenance.ofEnvironment(), null);
        assertThatThrownBy(() -> ModelPackageWriter.write(dir.resolve("bad"), bad, Map.of()))
                .hasMessageContaining("coefficients have 1 values");
        assertThatThrownBy(() -> ModelPackageWriter.write(dir.resolve("evil"), m, Map.of("../escape", new byte[1])))
                .hasMessageContaining("relative path");
        ModelManifest withInstant = ModelManifest.of(m.signature(), m.preprocessing(), m.model(), null, null,
                Map.of("age", java.time.Instant.EPOCH));
        assertThatThrownBy(() -> ModelPackageWriter.write(dir.resolve("instant"), withInstant, Map.of()))
                .isInstanceOf(CairnException.class).hasMessageContaining("cannot store");
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactly("linear");
        }
    }

    @Test
    @DisplayName("zipping is deterministic and the zip verifies like the directory")
    void zipIsDeterministicAndVerified() throws Exception {
        Path pkg = copyGoldenXGBoost();
        PackageZip.zip(pkg, dir.resolve("a.zip"));
        PackageZip.zip(pkg, dir.resolve("b.zip"));
        assertThat(Files.readAllBytes(dir.resolve("a.zip"))).isEqualTo(Files.readAllBytes(dir.resolve("b.zip")));
        ModelPackage fromZip = ModelPackage.read(dir.resolve("a.zip"));
        assertThat(fromZip.manifest()).isEqualTo(ModelPackage.read(pkg).manifest());
        assertThat(new String(fromZip.file(ManifestCodec.FILE_NAME), StandardCharsets.UTF_8)).startsWith("format_version: 1");
    }

    @Test
    @DisplayName("a zip with an entry outside the package, or a file that is no zip, is refused without writing anything")
    void hostileZipsAreRefused() throws Exception {
        Path pkg = copyGoldenXGBoost();
        Path zip = dir.resolve("evil.zip");
        try (java.util.zip.ZipOutputStream out = new java.util.zip.ZipOutputStream(Files.newOutputStream(zip))) {
            for (String name : List.of("model.yaml", "model.ubj")) {
                out.putNextEntry(new java.util.zip.ZipEntry(name));
                out.write(Files.readAllBytes(pkg.resolve(name)));
                out.closeEntry();
            }
            out.putNextEntry(new java.util.zip.ZipEntry("../../escaped.sh"));
            out.write("echo pwned".getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        assertThatThrownBy(() -> PackageZip.unzip(zip, dir.resolve("out")))
                .hasMessageContaining("'../../escaped.sh'").hasMessageContaining("does not list");
        assertThat(dir.resolve("out")).doesNotExist();
        assertThat(dir.getParent().resolve("escaped.sh")).doesNotExist();

        Path text = dir.resolve("not-a-package.zip");
        Files.writeString(text, "hello");
        assertThatThrownBy(() -> Models.load(text)).isInstanceOf(CairnException.class)
                .hasMessageContaining("not-a-package.zip");
    }

    @Test
    @DisplayName("models:/ and runs:/ URIs load through the resolver the caller supplies, and fail clearly without one")
    void urisGoThroughResolver() throws Exception {
        Path pkg = copyGoldenXGBoost();
        try (Model m = Models.load("models:/credit/3", ref -> {
            assertThat(ref.toString()).isEqualTo("models:/credit/3");
            return pkg;
        })) {
            assertThat(m.signature().inputNames()).contains("checking_status");
        }
        try (Model m = Models.load(pkg.toUri().toString())) {
            assertThat(m.manifest().threshold()).isEqualTo(0.6);
        }
        assertThatThrownBy(() -> Models.load("runs:/abc/model")).hasMessageContaining("need a ModelResolver");
        assertThatThrownBy(() -> Models.load(dir.resolve("nothing-here").toString())).hasMessageContaining("does not exist");
    }
}
