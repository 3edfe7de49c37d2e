package dev.cairn.store.pipeline;

import static dev.cairn.store.pipeline.PipelineRows.LINEAGE_COLUMNS;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.pipeline.LineageEdge;
import dev.cairn.store.sql.Database;
import dev.cairn.store.sql.Jdbc;
import java.sql.PreparedStatement;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The edges between steps of runs and the artifacts they read and wrote, in the order recorded. */
final class PipelineLineage {

    private final Database database;

    PipelineLineage(Database database) {
        this.database = database;
    }

    void add(List<LineageEdge> edges) {
        if (edges == null) throw CairnException.invalid("edges", null, "a list of lineage edges");
        Set<String> runIds = new LinkedHashSet<>();
        for (LineageEdge edge : edges) {
            if (edge == null) throw CairnException.invalid("edges", null, "lineage edges that are not null");
            runIds.add(PipelineValidation.name("run_id", edge.runId()));
            PipelineValidation.name("step_id", edge.stepId());
            PipelineValidation.name("kind", edge.kind());
            PipelineValidation.uri("uri", edge.uri());
            PipelineValidation.optionalName("sha256", edge.sha256());
        }
        if (edges.isEmpty()) return;
        long now = System.currentTimeMillis();
        database.write(connection -> {
            for (String runId : runIds) PipelineRuns.pipelineOf(connection, database.dialect(), runId, false);
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO pipeline_lineage"
                    + " (run_id, step_id, direction, kind, uri, sha256, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                for (LineageEdge edge : edges) {
                    Jdbc.bind(insert, Arrays.asList(edge.runId(), edge.stepId(), edge.direction().name(), edge.kind(), edge.uri(),
                            edge.sha256(), edge.time() == null ? now : edge.time().toEpochMilli()));
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            return null;
        });
    }

    List<LineageEdge> ofRun(String runId) {
        PipelineValidation.name("run_id", runId);
        return database.read(connection -> {
            PipelineRuns.pipelineOf(connection, database.dialect(), runId, false);
            return Jdbc.query(connection, "SELECT " + LINEAGE_COLUMNS + " FROM pipeline_lineage WHERE run_id = ? ORDER BY id",
                    PipelineRows::lineage, runId);
        });
    }

    List<LineageEdge> ofArtifact(String uri, int maxResults) {
        PipelineValidation.uri("uri", uri);
        PipelineValidation.maxResults("max_results", maxResults);
        return database.read(connection -> Jdbc.query(connection, "SELECT " + LINEAGE_COLUMNS + " FROM pipeline_lineage"
                + " WHERE uri = ? ORDER BY recorded_at DESC, id DESC LIMIT ?", PipelineRows::lineage, uri, maxResults));
    }
}
