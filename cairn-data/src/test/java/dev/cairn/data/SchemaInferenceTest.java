package dev.cairn.data;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.core.schema.FieldType;
import dev.cairn.data.check.Validator;
import dev.cairn.data.history.MetricsHistory;
import dev.cairn.data.profile.DatasetProfile;
import dev.cairn.data.profile.Profiler;
import dev.cairn.data.schema.DataSpec;
import dev.cairn.data.schema.FieldSpec;
import dev.cairn.data.schema.SchemaInference;
import dev.cairn.data.schema.SpecYaml;
import dev.cairn.data.source.DataReader;
import dev.cairn.data.source.FileSource;
import dev.cairn.data.source.LoadedTable;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchemaInferenceTest {
    @TempDir
    Path dir;

    @Test
    void infersTypesNullabilityDomainsRangesAndTheLabelsEnvironment() throws Exception {
        Path data = TestFiles.parquet(dir, "d.parquet", 2_000, 0);
        DataSpec spec;
        try (LoadedTable t = DataReader.open(FileSource.of(data))) {
            DatasetProfile p = Profiler.profile(t);
            spec = SchemaInference.infer(p, "loans", "flag");
            assertThat(Validator.validate(t, spec, "TRAINING", MetricsHistory.NONE).success()).isTrue();
        }
        FieldSpec id = spec.field("id").orElseThrow();
        assertThat(id.type()).isEqualTo(FieldType.INTEGER);
        assertThat(id.nullable()).isFalse();
        assertThat(id.min()).isEqualTo(0.0);
        assertThat(id.max()).isEqualTo(1999.0);
        assertThat(spec.field("amount").orElseThrow().nullable()).isTrue();
        assertThat(spec.field("amount").orElseThrow().type()).isEqualTo(FieldType.DOUBLE);
        assertThat(spec.field("grade").orElseThrow().domain()).containsExactly("A", "B", "C", "D");
        assertThat(spec.field("flag").orElseThrow().environments()).containsExactly("TRAINING");
        assertThat(spec.environments()).containsExactly("TRAINING", "SERVING");
        assertThat(spec.checks()).anySatisfy(c -> {
            assertThat(c.check()).isEqualTo("unique");
            assertThat(c.column()).isEqualTo("id");
        });
        assertThat(spec.checks()).anySatisfy(c -> {
            assertThat(c.check()).isEqualTo("completeness");
            assertThat(c.minCompleteness()).isEqualTo(0.9);
        });

        String yaml = SpecYaml.write(spec);
        assertThat(yaml).contains("name: grade").contains("min_completeness: 0.9").doesNotContain(": null");
        assertThat(SpecYaml.read(yaml, "spec.yaml")).isEqualTo(spec);
    }

    @Test
    void aColumnWithMoreThanAHundredValuesGetsNoDomain() throws Exception {
        Path data = dir.resolve("wide.parquet");
        TestFiles.duckdb("COPY (SELECT 'v' || (i % 150) AS code FROM range(3000) t(i)) TO '" + data + "' (FORMAT parquet)");
        try (LoadedTable t = DataReader.open(FileSource.of(data))) {
            DataSpec spec = SchemaInference.infer(Profiler.profile(t), "codes", null);
            assertThat(spec.field("code").orElseThrow().domain()).isNull();
            assertThat(spec.environments()).isEqualTo(List.of());
        }
    }
}
