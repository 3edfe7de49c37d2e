package dev.cairn.data.schema;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** Reads and writes {@link DataSpec} YAML (snake_case keys, nulls left out). */
public final class SpecYaml {
    private static final ObjectMapper YAML = YAMLMapper.builder(YAMLFactory.builder()
                    .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                    .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                    .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
                    .build())
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();

    private SpecYaml() {}

    public static String write(DataSpec spec) {
        try {
            return YAML.writeValueAsString(spec);
        } catch (JsonProcessingException e) {
            throw new CairnException(ErrorCode.INTERNAL_ERROR, "Cannot write YAML: " + e.getMessage(), e);
        }
    }

    public static DataSpec read(String yaml, String where) {
        DataSpec spec;
        try {
            spec = YAML.readValue(yaml, DataSpec.class);
        } catch (JsonProcessingException e) {
            throw new CairnException(ErrorCode.INVALID_PARAMETER_VALUE, "Cannot read " + where + ": " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"), Map.of("file", where), e);
        }
        if (spec == null) throw CairnException.invalid(where, "", "a YAML document with fields and checks");
        Set<String> names = new HashSet<>();
        for (int i = 0; i < spec.fields().size(); i++) {
            FieldSpec f = spec.fields().get(i);
            if (f.name() == null || f.name().isBlank()) throw CairnException.invalid(where + ": fields[" + i + "].name", f.name(), "a column name");
            if (f.type() == null) throw CairnException.invalid(where + ": fields[" + i + "].type", null, "one of BOOLEAN, INTEGER, DOUBLE, STRING, TIMESTAMP");
            if (!names.add(f.name())) throw CairnException.invalid(where + ": fields[" + i + "].name", f.name(), "a name used once");
            if (f.environments() != null && !spec.environments().containsAll(f.environments())) {
                throw CairnException.invalid(where + ": fields[" + i + "].environments", f.environments(),
                        "environments declared at the top: " + spec.environments());
            }
        }
        return spec;
    }

    public static DataSpec read(Path path) {
        if (!Files.exists(path)) {
            throw new CairnException(ErrorCode.RESOURCE_DOES_NOT_EXIST, "File '" + path + "' does not exist", Map.of("file", path.toString()));
        }
        try {
            return read(Files.readString(path), path.toString());
        } catch (IOException e) {
            throw CairnException.invalid("file", path.toString(), "a readable UTF-8 YAML file (" + e.getMessage() + ")");
        }
    }
}
