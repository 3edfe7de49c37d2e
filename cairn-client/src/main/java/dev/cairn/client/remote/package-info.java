/**
 * Cairn's store interfaces ({@code dev.cairn.core.store}) over a Cairn server's REST API, so that
 * everything that records into Cairn works the same embedded or remote:
 *
 * <pre>{@code
 * Cairn cairn = Cairn.connect("http://cairn.internal:5000");
 * MetadataStore store = cairn.metadataStore();              // experiments(), runs(), registry()
 * ArtifactRepository artifacts = cairn.artifacts(runId);    // one run's artifacts, checksummed
 * RemoteModelResolver models = cairn.modelResolver(null);   // $CAIRN_HOME/cache/models
 * try (Model model = Models.load("models:/credit@champion", models::resolve)) { ... }
 * }</pre>
 *
 * <p>Errors are the server's: a {@code CairnException} with the {@code ErrorCode}, message and
 * details the server raised (plus {@code http_status}); an unreachable server is
 * TEMPORARILY_UNAVAILABLE. What /api/v1 cannot do (purging experiments, appending audit events
 * from a client) is refused with ENDPOINT_NOT_FOUND; deleting artifacts and multipart uploads go
 * through the MLflow artifact API the same server serves.
 */
package dev.cairn.client.remote;
