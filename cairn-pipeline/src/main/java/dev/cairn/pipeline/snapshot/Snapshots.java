package dev.cairn.pipeline.snapshot;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.hash.Sha256;
import dev.cairn.core.store.ArtifactInfo;
import dev.cairn.core.store.ArtifactRepository;
import dev.cairn.data.source.DataReader;
import dev.cairn.data.source.DataSource;
import dev.cairn.data.source.LoadedTable;
import dev.cairn.data.source.QuerySource;
import dev.cairn.data.source.Sql;
import dev.cairn.train.data.Fingerprint;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Content-addressed snapshots of what a pipeline step reads from a mutable source (DVC's promise: a run can be
 * repeated after its source changed), kept in an artifact store under {@code <prefix>/sha256/}: the rows as
 * Parquet in {@code <hash>.parquet} and a {@link SnapshotManifest} in {@code <hash>.json}. The hash is of the rows
 * (see {@link ContentHash}), so the same rows taken again, from the same or another source, are stored once.
 *
 * <p>Writes: the source is read in full (into a private DuckDB database) and written to a local Parquet file before
 * anything reaches the store, so a source that fails midway leaves nothing behind. Then the manifest is put, then the
 * Parquet file, each atomically (the store's contract: a reader sees a whole file or none). The manifest goes first
 * so that every file in the store has a manifest with a time; a manifest without its Parquet is a take in progress
 * or one that died, which {@link #open} treats as absent and {@link #prune} removes when it is old.
 *
 * <p>Reads: {@link #open} checks the Parquet bytes against the manifest's {@code file_sha256} (the store verifies its
 * own recorded digest on the way), and if they differ (two takes of the same rows racing may leave the other's
 * equally valid bytes), re-hashes the rows themselves; rows that do not hash to the snapshot's name are DATA_LOSS.
 * What it returns is materialised in its own DuckDB database, so it stays readable even if the snapshot is pruned.
 *
 * <p>Not locked: {@link #prune} re-reads a manifest just before deleting, so a take that refreshed it meanwhile
 * keeps its snapshot, but a take and a prune of the same rows at the same instant can still cross. Run prune where
 * takes are not running (the pipeline engine runs it between runs, on the leader).
 */
public final class Snapshots {
    public static final String DEFAULT_PREFIX = "snapshots";
    private static final Logger LOG = LoggerFactory.getLogger(Snapshots.class);
    private static final String DATA = ".parquet";
    private static final String MANIFEST = ".json";
    private static final int MAX_NAME = 200;

    private final ArtifactRepository store;
    private final String directory;
    private final Clock clock;

    /** Snapshots under {@value #DEFAULT_PREFIX}/ of {@code store}, timed by the system clock. */
    public Snapshots(ArtifactRepository store) {
        this(store, DEFAULT_PREFIX, Clock.systemUTC());
    }

    /** @param prefix the folder of the store to keep snapshots in (e.g. {@code snapshots}) */
    public Snapshots(ArtifactRepository store, String prefix, Clock clock) {
        if (store == null) throw CairnException.invalid("store", null, "an artifact repository");
        String p = prefix == null ? "" : prefix.strip().replaceAll("^/+|/+$", "");
        if (p.isEmpty() || p.contains("..") || p.contains("\\")) {
            throw CairnException.invalid("prefix", prefix, "a relative folder of the artifact store such as 'snapshots'");
        }
        this.store = store;
        this.directory = p + "/sha256";
        this.clock = clock == null ? Clock.systemUTC() : clock;
    }

    // ---- taking ----

    /**
     * Reads {@code source} in full and stores its rows, unless rows with the same hash are stored already (then
     * only their manifest's {@code last_taken_at} and names are updated, and the result says {@code reused}).
     *
     * @param name what the rows are to the caller (a step's input, e.g. {@code customers}); null for none
     */
    public Snapshot take(DataSource source, String name) {
        if (source == null) throw CairnException.invalid("source", null, "a data source to snapshot");
        requireName(name);
        Instant now = now();
        Path work = temporaryDirectory();
        try {
            Path parquet = work.resolve("data" + DATA);
            ContentHash.Result content;
            try (LoadedTable table = DataReader.open(source)) {
                content = writeParquet(table, parquet);
            }
            return store(content, parquet, SnapshotSource.of(source), name, now);
        } finally {
            LoadedTable.deleteRecursively(work);
        }
    }

    /** Writes the table as Parquet and hashes the rows as read back from that file: what {@link #open} will see. */
    private static ContentHash.Result writeParquet(LoadedTable table, Path parquet) {
        String file = Sql.literal(parquet.toString());
        try (Statement s = table.connection().createStatement()) {
            s.execute("COPY (SELECT * FROM " + table.relation() + ") TO " + file + " (FORMAT parquet, COMPRESSION zstd)");
        } catch (SQLException e) {
            throw DataReader.queryError(table.source(), "snapshot", e);
        }
        try {
            return ContentHash.of(table.connection(), "read_parquet(" + file + ")");
        } catch (SQLException e) {
            throw new CairnException(ErrorCode.INTERNAL_ERROR, "Cannot read back the snapshot of " + table.source().describe()
                    + " just written: " + e.getMessage(), Map.of("source", table.source().describe()), e);
        }
    }

    private Snapshot store(ContentHash.Result content, Path parquet, SnapshotSource source, String name, Instant now) {
        String hash = content.sha256();
        String dataPath = dataPath(hash);
        SnapshotManifest existing = readManifestOrNull(hash, true);
        boolean dataPresent = store.exists(dataPath);
        if (existing != null && dataPresent) {
            SnapshotManifest again = existing.takenAgain(now, name);
            putManifest(again);
            LOG.debug("Snapshot {} of {} reused", hash, source.description());
            return snapshot(again, true);
        }
        String fileSha256 = Fingerprint.sha256(parquet);
        long bytes = size(parquet);
        SnapshotManifest manifest = existing != null
                ? existing.takenAgain(now, name).withFile(fileSha256, bytes)
                : new SnapshotManifest(SnapshotManifest.FORMAT, hash, ContentHash.SCHEME, content.rows(),
                        content.columns().stream().map(SnapshotManifest.ManifestColumn::of).toList(), fileSha256, bytes,
                        name == null ? List.of() : List.of(name), source, now, now);
        putManifest(manifest);
        try (InputStream in = Files.newInputStream(parquet)) {
            store.put(dataPath, in);
        } catch (IOException e) {
            throw new CairnException(ErrorCode.INTERNAL_ERROR, "Cannot read the local copy of snapshot " + hash + ": " + e.getMessage(), e);
        }
        LOG.info("Snapshot {} of {} stored: {} rows, {} bytes", hash, source.description(), content.rows(), bytes);
        return snapshot(manifest, false);
    }

    // ---- reads by fingerprint ----

    /**
     * The snapshot an earlier read with the same {@code readKey} made, taken again (its manifest's {@code last_taken_at}
     * and names updated, so retention sees it in use) and marked {@code reused}; empty when no read was remembered under
     * that key or its snapshot is no longer stored (pruned). The key names the read and the source's fingerprint at
     * reading time (see {@link #remember}): a read whose fingerprint is unchanged need not read the source again.
     */
    public Optional<Snapshot> reuse(String readKey, String name) {
        requireName(name);
        String path = readPath(readKey);
        if (!store.exists(path)) return Optional.empty();
        String hash;
        try (InputStream in = store.open(path)) {
            hash = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        } catch (IOException | CairnException | UncheckedIOException e) {
            LOG.warn("Cannot read the remembered read {}: {}", path, e.getMessage());
            return Optional.empty();
        }
        if (!Sha256.isHex(hash)) return Optional.empty();
        SnapshotManifest manifest = readManifestOrNull(hash, true);
        if (manifest == null || !store.exists(dataPath(hash))) return Optional.empty();
        SnapshotManifest again = manifest.takenAgain(now(), name);
        putManifest(again);
        return Optional.of(snapshot(again, true));
    }

    /** Remembers that the read {@code readKey} (a read and its source's fingerprint) gave {@code snapshot}. */
    public void remember(String readKey, Snapshot snapshot) {
        if (snapshot == null) throw CairnException.invalid("snapshot", null, "a snapshot to remember");
        store.put(readPath(readKey), new ByteArrayInputStream(snapshot.sha256().getBytes(StandardCharsets.UTF_8)));
    }

    /** Where a read key's snapshot hash is kept: beside the snapshots, named by the key's hash (keys hold queries). */
    private String readPath(String readKey) {
        if (readKey == null || readKey.isBlank()) throw CairnException.invalid("read_key", readKey, "a key naming a read and its fingerprint");
        return directory.substring(0, directory.length() - "/sha256".length()) + "/reads/"
                + Sha256.of(readKey.getBytes(StandardCharsets.UTF_8));
    }

    // ---- looking up ----

    /** The stored snapshot with this hash, if its Parquet file and manifest are both there. */
    public Optional<Snapshot> find(String sha256) {
        requireHash(sha256);
        SnapshotManifest manifest = readManifestOrNull(sha256, false);
        if (manifest == null || !store.exists(dataPath(sha256))) return Optional.empty();
        return Optional.of(snapshot(manifest, false));
    }

    /** The stored snapshot with this hash, or RESOURCE_DOES_NOT_EXIST. */
    public Snapshot get(String sha256) {
        return find(sha256).orElseThrow(() -> CairnException.notFound("snapshot", sha256));
    }

    /** Every stored snapshot, the most recently taken first. A manifest that cannot be read is logged and skipped. */
    public List<Snapshot> list() {
        List<Snapshot> snapshots = new ArrayList<>();
        for (Map.Entry<String, StoredFiles> e : scan().entrySet()) {
            if (!e.getValue().data || !e.getValue().manifest) continue;
            SnapshotManifest manifest = readManifestOrNull(e.getKey(), true);
            if (manifest != null) snapshots.add(snapshot(manifest, false));
        }
        snapshots.sort(NEWEST_FIRST);
        return List.copyOf(snapshots);
    }

    /** The Parquet file's path in the store. */
    public String dataPath(String sha256) {
        return directory + "/" + sha256 + DATA;
    }

    /** The manifest's path in the store. */
    public String manifestPath(String sha256) {
        return directory + "/" + sha256 + MANIFEST;
    }

    // ---- reading back ----

    /** {@link #open(String)} for a snapshot in hand. */
    public LoadedTable open(Snapshot snapshot) {
        if (snapshot == null) throw CairnException.invalid("snapshot", null, "a snapshot");
        return open(snapshot.sha256());
    }

    /**
     * The snapshot's rows as a table of its own (close it), verified against the hash: a damaged file is DATA_LOSS
     * naming the snapshot, an unknown hash RESOURCE_DOES_NOT_EXIST.
     */
    public LoadedTable open(String sha256) {
        return open(sha256, false);
    }

    /**
     * Checks a snapshot in full: its bytes, and its rows re-hashed whatever the bytes say (what {@code fsck} would
     * do). Returns the snapshot; a mismatch is DATA_LOSS naming it.
     */
    public Snapshot verify(String sha256) {
        Snapshot snapshot = get(sha256);
        try (LoadedTable ignored = open(sha256, true)) {
            return snapshot;
        }
    }

    /**
     * Writes the snapshot's Parquet file to {@code target} (replacing it atomically), verified like {@link #open}:
     * for tools that want a file, such as a reproduction that reads its data from a path.
     */
    public Path copyTo(String sha256, Path target) {
        requireHash(sha256);
        if (target == null) throw CairnException.invalid("target", null, "a file to write the snapshot to");
        if (!store.exists(dataPath(sha256))) throw CairnException.notFound("snapshot", sha256);
        Path absolute = target.toAbsolutePath().normalize();
        Path temp;
        try {
            Files.createDirectories(absolute.getParent());
            temp = Files.createTempFile(absolute.getParent(), ".cairn-tmp-snapshot-", DATA);
        } catch (IOException e) {
            throw CairnException.invalid("target", target.toString(), "a file in a writable directory (" + e.getMessage() + ")");
        }
        try {
            String bytes;
            try {
                bytes = copyHashing(sha256, temp);
            } catch (IOException e) {
                throw CairnException.invalid("target", target.toString(), "a writable file (" + e.getMessage() + ")");
            }
            SnapshotManifest manifest = readManifestOrNull(sha256, true);
            if (manifest == null || !manifest.fileSha256().equals(bytes)) verifyRows(sha256, temp);
            Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return absolute;
        } catch (IOException e) {
            throw CairnException.invalid("target", target.toString(), "a writable file (" + e.getMessage() + ")");
        } finally {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // Only left when the move failed, which was reported.
            }
        }
    }

    private LoadedTable open(String sha256, boolean alwaysHashRows) {
        requireHash(sha256);
        String dataPath = dataPath(sha256);
        if (!store.exists(dataPath)) throw CairnException.notFound("snapshot", sha256);
        SnapshotManifest manifest = readManifestOrNull(sha256, true);
        Path work = temporaryDirectory();
        try {
            Path local = localFile(dataPath).orElse(null);
            String bytes;
            if (local != null) {
                try (InputStream in = openStored(sha256)) {
                    bytes = hashAll(in, sha256);
                }
            } else {
                local = work.resolve("data" + DATA);
                bytes = copyHashing(sha256, local);
            }
            boolean bytesMatch = manifest != null && manifest.fileSha256().equals(bytes);
            String description = "snapshot " + sha256 + (manifest != null && manifest.source() != null
                    ? " of " + manifest.source().description() : "");
            LoadedTable table;
            try {
                // Materialised (CREATE TABLE AS): the table outlives the local copy and a prune of the stored file.
                table = DataReader.open(new QuerySource(description, "SELECT * FROM read_parquet(" + Sql.literal(local.toString()) + ")"));
            } catch (CairnException e) {
                throw damaged(sha256, "it cannot be read as Parquet (" + e.getMessage() + ")", e);
            }
            if (alwaysHashRows || !bytesMatch) {
                try {
                    checkRows(sha256, ContentHash.of(table.connection(), table.relation()));
                } catch (SQLException | RuntimeException e) {
                    table.close();
                    if (e instanceof CairnException ce && ce.code() == ErrorCode.DATA_LOSS) throw ce;
                    throw damaged(sha256, "its rows cannot be read (" + e.getMessage() + ")", e);
                }
            }
            return table;
        } catch (IOException e) {
            throw damaged(sha256, "reading it failed (" + e.getMessage() + ")", e);
        } finally {
            LoadedTable.deleteRecursively(work);
        }
    }

    private void verifyRows(String sha256, Path parquet) {
        try (LoadedTable table = DataReader.open(new QuerySource("snapshot " + sha256,
                "SELECT * FROM read_parquet(" + Sql.literal(parquet.toString()) + ")"))) {
            checkRows(sha256, ContentHash.of(table.connection(), table.relation()));
        } catch (SQLException e) {
            throw damaged(sha256, "its rows cannot be read (" + e.getMessage() + ")", e);
        } catch (CairnException e) {
            if (e.code() == ErrorCode.DATA_LOSS) throw e;
            throw damaged(sha256, "it cannot be read as Parquet (" + e.getMessage() + ")", e);
        }
    }

    private static void checkRows(String sha256, ContentHash.Result content) {
        if (!content.sha256().equals(sha256)) {
            throw new CairnException(ErrorCode.DATA_LOSS, "Snapshot " + sha256 + " is corrupt: its rows hash to "
                    + content.sha256(), Map.of("snapshot", sha256, "actual_sha256", content.sha256()));
        }
    }

    /** The store's stream of the Parquet file; its own checksum failing is reported as this snapshot's damage. */
    private InputStream openStored(String sha256) {
        return store.open(dataPath(sha256));
    }

    /** Copies the stored Parquet file to {@code target}, returning the SHA-256 of its bytes. */
    private String copyHashing(String sha256, Path target) throws IOException {
        MessageDigest digest = Sha256.newDigest();
        try (InputStream in = openStored(sha256); OutputStream out = new DigestOutputStream(Files.newOutputStream(target), digest)) {
            in.transferTo(out);
        } catch (CairnException e) {
            throw e.code() == ErrorCode.DATA_LOSS ? damaged(sha256, e.getMessage(), e) : e;
        }
        return Sha256.hex(digest);
    }

    private static String hashAll(InputStream in, String sha256) throws IOException {
        try {
            return Sha256.of(in);
        } catch (CairnException e) {
            throw e.code() == ErrorCode.DATA_LOSS ? damaged(sha256, e.getMessage(), e) : e;
        }
    }

    private static CairnException damaged(String sha256, String why, Throwable cause) {
        return new CairnException(ErrorCode.DATA_LOSS, "Snapshot " + sha256 + " is damaged: " + why,
                Map.of("snapshot", sha256), cause);
    }

    /** The Parquet file itself when the store is a local directory, so it is read in place rather than copied. */
    private Optional<Path> localFile(String path) {
        String root = store.rootUri();
        if (root == null || !root.startsWith("file:")) return Optional.empty();
        try {
            Path file = Path.of(URI.create(root)).resolve(path);
            return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    // ---- retention ----

    /**
     * Deletes the snapshots {@code policy} does not keep, and manifests left without a Parquet file by a take that
     * died, once they are older than {@code keepFor}. Returns how many snapshots were deleted. A Parquet file with no
     * manifest was not written by this class and is left alone.
     */
    public int prune(RetentionPolicy policy) {
        if (policy == null) throw CairnException.invalid("policy", null, "a retention policy");
        Instant now = now();
        List<SnapshotManifest> stored = new ArrayList<>();
        for (Map.Entry<String, StoredFiles> e : scan().entrySet()) {
            String hash = e.getKey();
            if (!e.getValue().manifest) {
                LOG.warn("Snapshot file {} has no manifest; retention leaves it alone", dataPath(hash));
                continue;
            }
            SnapshotManifest manifest = readManifestOrNull(hash, true);
            if (manifest == null) continue;
            if (e.getValue().data) {
                stored.add(manifest);
            } else if (!policy.young(manifest.lastTakenAt(), now) && !policy.pinned().contains(hash)) {
                store.delete(manifestPath(hash));
                LOG.info("Removed the manifest of snapshot {}, whose Parquet file was never written", hash);
            }
        }
        stored.sort(Comparator.comparing(SnapshotManifest::lastTakenAt).reversed().thenComparing(SnapshotManifest::sha256));
        int deleted = 0;
        for (int i = policy.keepLast(); i < stored.size(); i++) {
            SnapshotManifest manifest = stored.get(i);
            String hash = manifest.sha256();
            if (policy.pinned().contains(hash) || policy.young(manifest.lastTakenAt(), now)) continue;
            // Taken again since the scan: it is in use, keep it.
            SnapshotManifest current = readManifestOrNull(hash, true);
            if (current == null || !current.lastTakenAt().equals(manifest.lastTakenAt())) continue;
            // The Parquet file first: a crash in between leaves a manifest alone, which the next prune removes.
            store.delete(dataPath(hash));
            store.delete(manifestPath(hash));
            deleted++;
            LOG.info("Pruned snapshot {} ({} rows, last taken {})", hash, manifest.rows(), manifest.lastTakenAt());
        }
        return deleted;
    }

    /** Which files each hash has in the store. */
    private static final class StoredFiles {
        boolean data;
        boolean manifest;
    }

    private Map<String, StoredFiles> scan() {
        Map<String, StoredFiles> byHash = new TreeMap<>();
        for (ArtifactInfo info : store.list(directory)) {
            if (info.isDirectory()) continue;
            String name = info.path().substring(info.path().lastIndexOf('/') + 1);
            boolean data = name.endsWith(DATA);
            boolean manifest = name.endsWith(MANIFEST);
            if (!data && !manifest) continue;
            String hash = name.substring(0, name.length() - (data ? DATA : MANIFEST).length());
            if (!Sha256.isHex(hash)) continue;
            StoredFiles files = byHash.computeIfAbsent(hash, h -> new StoredFiles());
            if (data) files.data = true;
            else files.manifest = true;
        }
        return byHash;
    }

    // ---- manifests ----

    private static final Comparator<Snapshot> NEWEST_FIRST =
            Comparator.comparing(Snapshot::lastTakenAt).reversed().thenComparing(Snapshot::sha256);

    /**
     * The manifest, or null when there is none; a damaged one is null too when {@code tolerateDamage} (a take
     * rewrites it, a read falls back to hashing the rows), and DATA_LOSS otherwise.
     */
    private SnapshotManifest readManifestOrNull(String sha256, boolean tolerateDamage) {
        String path = manifestPath(sha256);
        if (!store.exists(path)) return null;
        try (InputStream in = store.open(path)) {
            return SnapshotJson.read(in.readAllBytes(), path).requireValid(path, sha256);
        } catch (CairnException e) {
            if (e.code() == ErrorCode.RESOURCE_DOES_NOT_EXIST) return null;
            if (!tolerateDamage) throw e;
            LOG.warn("Snapshot manifest {} is damaged: {}", path, e.getMessage());
            return null;
        } catch (IOException | UncheckedIOException e) {
            if (!tolerateDamage) throw new CairnException(ErrorCode.DATA_LOSS, "Cannot read snapshot manifest " + path + ": " + e.getMessage(), e);
            LOG.warn("Cannot read snapshot manifest {}: {}", path, e.getMessage());
            return null;
        }
    }

    private void putManifest(SnapshotManifest manifest) {
        store.put(manifestPath(manifest.sha256()), new ByteArrayInputStream(SnapshotJson.write(manifest)));
    }

    private Snapshot snapshot(SnapshotManifest m, boolean reused) {
        String path = dataPath(m.sha256());
        return new Snapshot(m.sha256(), path, store.rootUri() + "/" + path, m.rows(), m.tableColumns(), m.fileBytes(),
                m.names(), m.source(), m.firstTakenAt(), m.lastTakenAt(), reused);
    }

    // ---- small things ----

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private static void requireHash(String sha256) {
        if (!Sha256.isHex(sha256)) {
            throw CairnException.invalid("snapshot", sha256, "the SHA-256 of a snapshot (64 lower-case hex digits)");
        }
    }

    private static void requireName(String name) {
        if (name == null) return;
        if (name.isBlank() || name.length() > MAX_NAME || name.chars().anyMatch(Character::isISOControl)) {
            throw CairnException.invalid("name", name, "a non-blank name of at most " + MAX_NAME + " characters without control characters");
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new CairnException(ErrorCode.INTERNAL_ERROR, "Cannot read the size of " + file + ": " + e.getMessage(), e);
        }
    }

    private static Path temporaryDirectory() {
        try {
            return Files.createTempDirectory("cairn-snapshot-");
        } catch (IOException e) {
            throw new CairnException(ErrorCode.INTERNAL_ERROR, "Cannot create a temporary directory: " + e.getMessage(), e);
        }
    }
}
