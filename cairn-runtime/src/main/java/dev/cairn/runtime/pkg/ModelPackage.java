package dev.cairn.runtime.pkg;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.hash.Sha256;
import dev.cairn.runtime.preprocess.FeatureEncoder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * A model package read into memory and verified: model.yaml conforms to the schema, every file
 * listed has its recorded SHA-256, no file is unlisted, and the manifest is consistent (the model
 * file exists, the preprocessing fits the signature). Reading never runs code from the package:
 * it is YAML, checksums and the framework's own model bytes.
 */
public record ModelPackage(String source, ModelManifest manifest, Map<String, byte[]> files) {

    /** Packages larger than this are refused, so that a hostile zip cannot exhaust memory. */
    public static final long MAX_TOTAL_BYTES = 2L << 30;

    public ModelPackage {
        files = Map.copyOf(files);
    }

    public byte[] file(String path) {
        byte[] bytes = files.get(path);
        if (bytes == null) throw CairnException.notFound("file in model package " + source, path);
        return bytes;
    }

    /** Reads a package directory or zip file. */
    public static ModelPackage read(Path path) {
        if (Files.isDirectory(path)) return readDirectory(path);
        if (Files.isRegularFile(path)) return readZip(path);
        throw CairnException.notFound("model package", path);
    }

    private static ModelPackage readDirectory(Path dir) {
        Map<String, byte[]> files = new TreeMap<>();
        long[] total = {0};
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                if (Files.isSymbolicLink(p)) {
                    throw new CairnException(ErrorCode.INVALID_PARAMETER_VALUE, "Model package " + dir
                            + " contains a symbolic link '" + dir.relativize(p) + "'; packages hold plain files only");
                }
                if (!Files.isRegularFile(p)) continue;
                byte[] bytes = Files.readAllBytes(p);
                total[0] += bytes.length;
                if (total[0] > MAX_TOTAL_BYTES) throw tooLarge(dir.toString());
                files.put(dir.relativize(p).toString().replace('\\', '/'), bytes);
            }
        } catch (IOException e) {
            throw new CairnException(ErrorCode.INVALID_PARAMETER_VALUE, "Cannot read model package " + dir + ": " + e, e);
        }
        return verify(dir.toString(), files);
    }

    private static ModelPackage readZip(Path zip) {
        try (InputStream in = Files.newInputStream(zip)) {
            return fromZip(in, zip.toString());
        } catch (IOException e) {
            throw new CairnException(ErrorCode.INVALID_PARAMETER_VALUE, "Cannot read model package " + zip
                    + " as a zip file: " + e.getMessage(), e);
        }
    }

    /** Reads a zipped package from a stream; {@code source} names it in messages. */
    public static ModelPackage fromZip(InputStream in, String source) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        long total = 0;
        try (ZipInputStream zin = new ZipInputStream(in)) {
            ZipEntry e;
            while ((e = zin.getNextEntry()) != null) {
                if (e.isDirectory()) continue;
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                byte[] buf = new byte[65536];
                int n;
                while ((n = zin.read(buf)) > 0) {
                    total += n;
                    if (total > MAX_TOTAL_BYTES) throw tooLarge(source);
                    out.write(buf, 0, n);
                }
                files.put(e.getName(), out.toByteArray());
            }
        }
        if (files.isEmpty()) {
            throw new CairnException(ErrorCode.INVALID_PARAMETER_VALUE, "Model package " + source
                    + " is not a zip file with a model.yaml (no entries found)");
        }
        return verify(source, stripCommonFolder(files));
    }

    /** Zips made by hand often wrap the package in one folder; accept that. */
    private static Map<String, byte[]> stripCommonFolder(Map<String, byte[]> files) {
        if (files.containsKey(ManifestCodec.FILE_NAME)) return files;
        String first = files.keySet().iterator().next();
        int slash = first.indexOf('/');
        if (slash < 0) return files;
        String prefix = first.substring(0, slash + 1);
        if (!files.keySet().stream().allMatch(k -> k.startsWith(prefix))) return files;
        Map<String, byte[]> stripped = new TreeMap<>();
        files.forEach((k, v) -> stripped.put(k.substring(prefix.length()), v));
        return stripped;
    }

    private static ModelPackage verify(String source, Map<String, byte[]> files) {
        byte[] yaml = files.get(ManifestCodec.FILE_NAME);
        if (yaml == null) {
            throw new CairnException(ErrorCode.INVALID_PARAMETER_VALUE, "Model package " + source
                    + " has no " + ManifestCodec.FILE_NAME + " at its root");
        }
        ModelManifest manifest = ManifestCodec.fromYaml(yaml, source);
        Map<String, String> listed = manifest.files() == null ? Map.of() : manifest.files();
        for (Map.Entry<String, String> e : listed.entrySet()) {
            byte[] bytes = files.get(e.getKey());
            if (bytes == null) {
                throw new CairnException(ErrorCode.DATA_LOSS, "Model package " + source + " is missing file '"
                        + e.getKey() + "' listed in model.yaml", Map.of("file", e.getKey(), "source", source));
            }
            String actual = Sha256.of(bytes);
            if (!actual.equals(e.getValue())) {
                throw new CairnException(ErrorCode.DATA_LOSS, "Checksum mismatch for file '" + e.getKey()
                        + "' in model package " + source + ": model.yaml records SHA-256 " + e.getValue()
                        + " but the file has " + actual + "; the package was modified or corrupted",
                        Map.of("file", e.getKey(), "expected", e.getValue(), "actual", actual, "source", source));
            }
        }
        for (String name : files.keySet()) {
            if (!name.equals(ManifestCodec.FILE_NAME) && !listed.containsKey(name)) {
                throw new CairnException(ErrorCode.DATA_LOSS, "Model package " + source + " contains file '" + name
                        + "' that model.yaml does not list with a checksum", Map.of("file", name, "source", source));
            }
        }
        checkConsistency(manifest, listed.keySet(), source);
        return new ModelPackage(source, manifest, files);
    }

    /** Checks that go beyond the JSON Schema; the writer runs them too, so written packages always load. */
    static void checkConsistency(ModelManifest m, java.util.Set<String> files, String source) {
        ModelBody body = m.model();
        if (body == null || body.flavor() != m.flavor()) {
            throw ManifestCodec.invalid(source, List.of("the model block does not match flavor " + m.flavor().wireName()));
        }
        String modelFile = switch (body) {
            case ModelBody.XGBoost x -> x.file();
            case ModelBody.Onnx o -> o.file();
            default -> null;
        };
        if (modelFile != null && !files.contains(modelFile)) {
            throw ManifestCodec.invalid(source, List.of("model.file '" + modelFile + "' is not a file of the package"));
        }
        OutputSpec out = m.signature().output();
        if (body instanceof ModelBody.Linear lin) {
            int rows = out.kind() == OutputKind.MULTICLASS ? out.classes().size() : 1;
            int width = m.preprocessing().features().size();
            if (lin.coefficients().size() != rows || lin.intercepts().size() != rows) {
                throw ManifestCodec.invalid(source, List.of("a linear " + out.kind().name().toLowerCase()
                        + " model needs " + rows + " coefficient row(s) and intercept(s)"));
            }
            for (List<Double> row : lin.coefficients()) {
                if (row.size() != width) {
                    throw ManifestCodec.invalid(source, List.of("linear coefficients have " + row.size()
                            + " values but preprocessing.features lists " + width));
                }
            }
        }
        if (body instanceof ModelBody.Baseline b) {
            boolean ok = out.isClassifier() ? b.label() != null && out.classes().contains(b.label()) : b.value() != null;
            if (!ok) {
                throw ManifestCodec.invalid(source, List.of(out.isClassifier()
                        ? "a baseline classifier needs a label that is one of signature.output.classes"
                        : "a baseline regressor needs a value"));
            }
        }
        if (m.preprocessing() != null) {
            try {
                FeatureEncoder.of(m.signature().inputs(), m.preprocessing());
            } catch (CairnException e) {
                throw ManifestCodec.invalid(source, List.of(e.getMessage()));
            }
        }
    }

    private static CairnException tooLarge(String source) {
        return new CairnException(ErrorCode.PAYLOAD_TOO_LARGE, "Model package " + source + " is larger than "
                + (MAX_TOTAL_BYTES >> 20) + " MiB");
    }
}
