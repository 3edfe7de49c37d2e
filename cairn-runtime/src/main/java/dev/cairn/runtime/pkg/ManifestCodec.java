package dev.cairn.runtime.pkg;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads and writes model.yaml. Reading checks the document against the published JSON Schema
 * ({@code dev/cairn/runtime/model-schema.json}) first, so a non-conforming manifest is rejected
 * with every reason, before any of it is interpreted.
 */
public final class ManifestCodec {

    public static final String FILE_NAME = "model.yaml";
    public static final String SCHEMA_RESOURCE = "/dev/cairn/runtime/model-schema.json";

    private static final ObjectMapper YAML = configure(new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .disable(YAMLGenerator.Feature.USE_NATIVE_TYPE_ID)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)));
    private static final ObjectMapper JSON = configure(new ObjectMapper());
    private static final JsonSchema SCHEMA = loadSchema();

    private ManifestCodec() {
    }

    private static ObjectMapper configure(ObjectMapper m) {
        // is-getters like Field.isCategorical() are derived values, not part of the format.
        return m.setVisibility(PropertyAccessor.IS_GETTER, JsonAutoDetect.Visibility.NONE)
                .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .setSerializationInclusion(JsonInclude.Include.NON_NULL)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    }

    private static JsonSchema loadSchema() {
        try (InputStream in = ManifestCodec.class.getResourceAsStream(SCHEMA_RESOURCE)) {
            if (in == null) throw new IllegalStateException("missing resource " + SCHEMA_RESOURCE);
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The manifest as YAML text. */
    public static String toYaml(ModelManifest manifest) {
        try {
            return YAML.writeValueAsString(manifest);
        } catch (JsonProcessingException e) {
            throw new CairnException(ErrorCode.INVALID_PARAMETER_VALUE, "Could not write model.yaml: " + e.getOriginalMessage(), e);
        }
    }

    /** The manifest as a JSON tree, with model.yaml's names. */
    public static JsonNode toTree(ModelManifest manifest) {
        try {
            return JSON.valueToTree(manifest);
        } catch (IllegalArgumentException e) {
            // e.g. a java.time value in input_example or provenance.parameters
            throw new CairnException(ErrorCode.INVALID_PARAMETER_VALUE, "The manifest holds a value model.yaml cannot "
                    + "store (use strings, numbers, booleans, lists and maps): " + e.getMessage(), e);
        }
    }

    /** Parses model.yaml text; {@code source} names the package in error messages. */
    public static ModelManifest fromYaml(byte[] yaml, String source) {
        JsonNode tree;
        try {
            tree = YAML.readTree(yaml);
        } catch (IOException e) {
            throw invalid(source, List.of("not valid YAML: " + e.getMessage().lines().findFirst().orElse("")));
        }
        if (tree == null || !tree.isObject()) throw invalid(source, List.of("the document is not a mapping"));
        return fromTree(tree, source);
    }

    /** Checks a manifest tree against the JSON Schema and converts it; throws listing every violation. */
    public static ModelManifest fromTree(JsonNode tree, String source) {
        List<String> problems = schemaProblems(tree);
        if (!problems.isEmpty()) throw invalid(source, problems);
        int version = tree.get("format_version").asInt();
        if (version > ModelManifest.CURRENT_FORMAT_VERSION) {
            throw invalid(source, List.of("format_version " + version + " is newer than this runtime reads (up to "
                    + ModelManifest.CURRENT_FORMAT_VERSION + "); upgrade cairn-runtime"));
        }
        ObjectNode copy = ((ObjectNode) tree).deepCopy();
        JsonNode body = copy.remove("model");
        try {
            ModelManifest manifest = JSON.treeToValue(copy, ModelManifest.class);
            return manifest.withModel(JSON.treeToValue(body, manifest.flavor().bodyType()));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            String reason = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
            throw invalid(source, List.of(reason));
        }
    }

    /** Every way the tree breaks the published schema, as "$.path: message" lines; empty when it conforms. */
    public static List<String> schemaProblems(JsonNode tree) {
        Set<ValidationMessage> messages = SCHEMA.validate(tree);
        return messages.stream().map(ValidationMessage::getMessage).distinct().sorted(Comparator.naturalOrder()).toList();
    }

    static CairnException invalid(String source, List<String> problems) {
        return new CairnException(ErrorCode.INVALID_PARAMETER_VALUE,
                "model.yaml of " + source + " does not conform to the model package format: " + String.join("; ", problems),
                Map.of("field", FILE_NAME, "source", source, "errors", problems));
    }
}
