package dev.cairn.runtime.pkg;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a model was made: enough to reproduce it or to answer an auditor. {@code parameters} holds
 * every training parameter with its default expanded; {@code rowCounts} the rows per split
 * (e.g. {@code train}, {@code validation}); {@code libraries} library name to version;
 * {@code extra} anything else a trainer wants to keep.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Provenance(
        String runId,
        String dataSource,
        String dataSha256,
        Map<String, Long> rowCounts,
        String schemaVersion,
        Map<String, Object> parameters,
        Long randomSeed,
        String gitCommit,
        String jdk,
        String os,
        String cpuArch,
        Map<String, String> libraries,
        String createdAt,
        Map<String, Object> extra) {

    public Provenance {
        rowCounts = rowCounts == null ? null : new LinkedHashMap<>(rowCounts);
        parameters = parameters == null ? null : new LinkedHashMap<>(parameters);
        libraries = libraries == null ? null : new LinkedHashMap<>(libraries);
        extra = extra == null ? null : new LinkedHashMap<>(extra);
    }

    /** A provenance with only this JVM's environment (JDK, OS, CPU architecture) and the time filled in. */
    public static Provenance ofEnvironment() {
        return new Provenance(null, null, null, null, null, null, null, null,
                System.getProperty("java.vendor") + " " + System.getProperty("java.version"),
                System.getProperty("os.name") + " " + System.getProperty("os.version"),
                System.getProperty("os.arch"), null, java.time.Instant.now().toString(), null);
    }

    public Provenance withRun(String runId, String gitCommit) {
        return new Provenance(runId, dataSource, dataSha256, rowCounts, schemaVersion, parameters, randomSeed,
                gitCommit, jdk, os, cpuArch, libraries, createdAt, extra);
    }

    public Provenance withData(String dataSource, String dataSha256, Map<String, Long> rowCounts, String schemaVersion) {
        return new Provenance(runId, dataSource, dataSha256, rowCounts, schemaVersion, parameters, randomSeed,
                gitCommit, jdk, os, cpuArch, libraries, createdAt, extra);
    }

    public Provenance withParameters(Map<String, Object> parameters, Long randomSeed) {
        return new Provenance(runId, dataSource, dataSha256, rowCounts, schemaVersion, parameters, randomSeed,
                gitCommit, jdk, os, cpuArch, libraries, createdAt, extra);
    }

    public Provenance withLibraries(Map<String, String> libraries) {
        return new Provenance(runId, dataSource, dataSha256, rowCounts, schemaVersion, parameters, randomSeed,
                gitCommit, jdk, os, cpuArch, libraries, createdAt, extra);
    }

    public Provenance withExtra(Map<String, Object> extra) {
        return new Provenance(runId, dataSource, dataSha256, rowCounts, schemaVersion, parameters, randomSeed,
                gitCommit, jdk, os, cpuArch, libraries, createdAt, extra);
    }
}
