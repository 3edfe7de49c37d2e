package dev.cairn.store.artifact;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.hash.VerifyingInputStream;
import dev.cairn.core.store.ArtifactInfo;
import dev.cairn.core.store.ArtifactRepository;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Artifacts in a local directory. A file {@code a/b.bin} is stored as itself, so the tree stays
 * readable with ordinary tools, and every directory that holds files written through the
 * repository holds only those files: a model package directory can be loaded in place. The
 * repository's own entries all carry the reserved {@code .cairn-} prefix, which listings hide:
 * the checksum store {@code .cairn-checksums/} and multipart parts {@code .cairn-uploads/<id>/}
 * at a repository root, and temporary files that live only while a write is in progress.
 *
 * <p>Each file's SHA-256 is recorded at write and verified at read, in a checksum store that
 * mirrors the tree ({@code .cairn-checksums/a/b.bin}, in {@code sha256sum} format); see
 * {@link Checksums} for how the store is found, so that repositories opened at an ancestor or a
 * descendant directory (a server at the artifact root, a tracker at a run's directory) share it.
 * Why records in files rather than extended attributes: user xattrs are missing on some file
 * systems (tmpfs before Linux 6.6, many NFS mounts) and are dropped by plain {@code cp}/{@code tar},
 * so a copied tree would lose its digests silently. The price is that the file and its record are
 * two renames: the record is renamed first, so a crash in between leaves a digest that does not
 * match the (old or absent) file, which a reader sees as DATA_LOSS rather than as silently
 * unverified bytes. A file with no record was not written by Cairn: it is read unverified and its
 * stat has a null digest.
 *
 * <p>Writes go to a temporary file in the target's own directory, are fsynced, then renamed with
 * ATOMIC_MOVE.
 */
public final class LocalArtifactRepository implements ArtifactRepository {
    static final String UPLOADS_DIRECTORY = ArtifactPaths.RESERVED_PREFIX + "uploads";

    private final Path root;
    private final Path realRoot;
    private final Checksums checksums;

    public LocalArtifactRepository(Path root) {
        this(root, null);
    }

    /** @param checksums the parent's, for a {@link #child}; null for a repository opened on its own */
    private LocalArtifactRepository(Path root, Checksums checksums) {
        this.root = root.toAbsolutePath().normalize();
        this.realRoot = realPath(this.root);
        this.checksums = checksums != null ? checksums : new Checksums(this.root);
    }

    /** Opens {@code file:/abs/path}, {@code file:///abs/path}, {@code file://localhost/abs/path} or a plain path. */
    public static LocalArtifactRepository fromUri(String rootUri) {
        if (rootUri == null || rootUri.isBlank()) {
            throw CairnException.invalid("artifact_uri", rootUri, "a file: URI or a directory path");
        }
        if (rootUri.indexOf('\0') >= 0) {
            throw CairnException.invalid("artifact_uri", rootUri.replace("\0", "\\0"), "a path without NUL characters");
        }
        if (!rootUri.startsWith("file:")) return new LocalArtifactRepository(Path.of(rootUri));
        try {
            URI uri = new URI(rootUri);
            String authority = uri.getAuthority();
            if (authority != null && !authority.isEmpty() && !authority.equals("localhost")) {
                throw CairnException.invalid("artifact_uri", rootUri, "a file: URI on this machine (no host other than localhost)");
            }
            if (uri.getPath() == null || !uri.getPath().startsWith("/")) {
                throw CairnException.invalid("artifact_uri", rootUri, "a file: URI with an absolute path");
            }
            return new LocalArtifactRepository(Path.of(uri.getPath()));
        } catch (URISyntaxException e) {
            // An unencoded URI such as "file:/tmp/my runs": take the path literally, as MLflow does.
            String path = rootUri.substring("file:".length());
            if (path.startsWith("//")) path = path.substring(path.indexOf('/', 2));
            return new LocalArtifactRepository(Path.of(path));
        }
    }

    /** The directory this repository writes under. */
    public Path rootPath() {
        return root;
    }

    @Override
    public String rootUri() {
        String uri = root.toUri().toString();
        return uri.endsWith("/") && uri.length() > "file:///".length() ? uri.substring(0, uri.length() - 1) : uri;
    }

    @Override
    public ArtifactInfo put(String path, InputStream content) {
        String rel = ArtifactPaths.normalizeFile(path);
        Path target = resolve(rel);
        if (Files.isDirectory(target)) throw CairnException.invalid("path", rel, "the path of a file (it is a directory)");
        Path dir = target.getParent();
        Path temp = createTempBeside(dir, rel);
        try {
            LocalFiles.Written written = LocalFiles.writeAndSync(temp, content, rel);
            commit(temp, target, written.sha256(), rel);
            return new ArtifactInfo(rel, false, written.size(), written.sha256());
        } catch (RuntimeException | Error e) {
            LocalFiles.deleteQuietly(temp);
            LocalFiles.pruneEmptyDirectories(dir, root);
            throw e;
        }
    }

    @Override
    public InputStream open(String path) {
        String rel = ArtifactPaths.normalizeFile(path);
        Path target = resolve(rel);
        if (Files.isDirectory(target)) throw CairnException.invalid("path", rel, "the path of a file (it is a directory)");
        if (!Files.isRegularFile(target)) throw CairnException.notFound("artifact", rel);
        String expected = recordedSha256(target, rel);
        InputStream in;
        try {
            in = Files.newInputStream(target);
        } catch (NoSuchFileException e) {
            throw CairnException.notFound("artifact", rel);
        } catch (IOException e) {
            throw LocalFiles.ioFailure("read", rel, e);
        }
        return expected == null ? in : new VerifyingInputStream(in, "Artifact '" + rootUri() + "/" + rel + "'", expected, -1);
    }

    @Override
    public List<ArtifactInfo> list(String path) {
        String rel = ArtifactPaths.normalize(path);
        Path dir = resolve(rel);
        if (!Files.isDirectory(dir)) return List.of();
        List<ArtifactInfo> children = new ArrayList<>();
        Checksums.Folder digests = checksums.folder(dir);
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (ArtifactPaths.isReserved(name)) continue;
                // A symbolic link that leads outside the root is not part of the repository.
                if (Files.isSymbolicLink(entry) && !realPath(entry).startsWith(realRoot)) continue;
                String childRel = ArtifactPaths.join(rel, name);
                if (Files.isDirectory(entry)) {
                    children.add(new ArtifactInfo(childRel, true, 0, null));
                } else if (Files.isRegularFile(entry)) {
                    children.add(new ArtifactInfo(childRel, false, Files.size(entry), digests.sha256(name, rootUri() + "/" + childRel)));
                }
            }
        } catch (NoSuchFileException | NotDirectoryException e) {
            return List.of();
        } catch (IOException e) {
            throw LocalFiles.ioFailure("list", rel, e);
        }
        children.sort(Comparator.comparing(ArtifactInfo::path));
        return List.copyOf(children);
    }

    @Override
    public ArtifactInfo stat(String path) {
        String rel = ArtifactPaths.normalize(path);
        Path target = resolve(rel);
        try {
            if (Files.isDirectory(target)) return new ArtifactInfo(rel, true, 0, null);
            if (Files.isRegularFile(target)) {
                return new ArtifactInfo(rel, false, Files.size(target), recordedSha256(target, rel));
            }
        } catch (NoSuchFileException e) {
            // Deleted between the check and the size: absent.
        } catch (IOException e) {
            throw LocalFiles.ioFailure("stat", rel, e);
        }
        throw CairnException.notFound("artifact", rel);
    }

    @Override
    public boolean exists(String path) {
        String rel = ArtifactPaths.normalize(path);
        return Files.exists(resolve(rel));
    }

    @Override
    public void delete(String path) {
        String rel = ArtifactPaths.normalize(path);
        Path target = resolve(rel);
        try {
            // The files first, then their records: a crash in between leaves only hidden orphans.
            if (rel.isEmpty()) {
                if (!Files.isDirectory(root)) return;
                // Records kept in a store above the root; one at the root goes with its entries.
                List<Path> mirrors = checksums.mirrorsOf(root);
                try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
                    for (Path entry : entries) LocalFiles.deleteTree(entry);
                }
                Checksums.deleteMirrors(mirrors);
                return;
            }
            if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) return;
            if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
                List<Path> mirrors = checksums.mirrorsOf(target);
                LocalFiles.deleteTree(target);
                Checksums.deleteMirrors(mirrors);
            } else {
                Files.deleteIfExists(target);
                checksums.delete(target);
            }
        } catch (IOException e) {
            throw LocalFiles.ioFailure("delete", rel, e);
        }
        LocalFiles.pruneEmptyDirectories(target.getParent(), root);
    }

    @Override
    public ArtifactRepository child(String path) {
        String rel = ArtifactPaths.normalize(path);
        // The child shares this repository's checksum home, so a first write through either
        // creates the store at the same place.
        return rel.isEmpty() ? this : new LocalArtifactRepository(resolve(rel), checksums);
    }

    @Override
    public MultipartUpload startMultipart(String path) {
        String rel = ArtifactPaths.normalizeFile(path);
        resolve(rel);
        return LocalMultipartUpload.start(this, rel);
    }

    @Override
    public MultipartUpload resumeMultipart(String path, String uploadId) {
        String rel = ArtifactPaths.normalizeFile(path);
        resolve(rel);
        return LocalMultipartUpload.resume(this, rel, uploadId);
    }

    @Override
    public String toString() {
        return "LocalArtifactRepository[" + root + "]";
    }

    // ---- steps shared with LocalMultipartUpload ----

    Path root() {
        return root;
    }

    /**
     * The file for a normalised relative path, after checking that no symbolic link on the way
     * leads outside the root (the deepest existing ancestor's real path must stay under it).
     */
    Path resolve(String rel) {
        Path target = root.resolve(rel).normalize();
        if (!target.startsWith(root) || !realPath(target).startsWith(realRoot)) {
            throw CairnException.invalid("path", rel,
                    "a path inside the repository root (it leads outside through a symbolic link)");
        }
        return target;
    }

    /**
     * Removes temporary files ({@code .cairn-tmp-*}, anywhere in the tree, the checksum store
     * included) and multipart uploads ({@code .cairn-uploads/<id>/}) untouched for longer than
     * {@code olderThan}: what a process killed mid-write leaves behind. A write or upload in
     * progress touches its files, so it is not taken for a leftover.
     */
    @Override
    public int removeLeftovers(java.time.Duration olderThan) {
        int uploads = Leftovers.removeStaleEntries(root.resolve(UPLOADS_DIRECTORY), name -> true, olderThan);
        int temporaries = Leftovers.removeStaleFiles(root, name -> name.startsWith(LocalFiles.TEMP_PREFIX), olderThan);
        return uploads + temporaries;
    }

    /** Creates {@code dir} (the target's parent) and a temporary file in it. */
    Path createTempBeside(Path dir, String rel) {
        // A concurrent delete may prune the directory we just created: try again a few times.
        for (int attempt = 0; ; attempt++) {
            try {
                Files.createDirectories(dir);
                if (!realPath(dir).startsWith(realRoot)) {
                    throw CairnException.invalid("path", rel, "a path inside the repository root (it leads outside through a symbolic link)");
                }
                return LocalFiles.newTempFile(dir);
            } catch (FileAlreadyExistsException | NotDirectoryException e) {
                throw CairnException.invalid("path", rel, "a path whose parent directories are not files");
            } catch (NoSuchFileException e) {
                if (attempt >= 3) throw LocalFiles.ioFailure("create a directory for", rel, e);
            } catch (IOException e) {
                throw LocalFiles.ioFailure("create a directory for", rel, e);
            }
        }
    }

    /**
     * Makes a written, synced temporary file visible at {@code target}: the digest record is
     * renamed into place first, then the file, then the directory is synced. A sidecar left
     * beside the file by an earlier version is removed last (the new record already shadows it).
     */
    void commit(Path temp, Path target, String sha256, String rel) {
        try {
            checksums.write(target, sha256, rel);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw LocalFiles.ioFailure("write", rel, e);
        }
        LocalFiles.syncDirectory(target.getParent());
        checksums.dropLegacy(target);
    }

    /** The recorded hex digest, or null when the file has none (it was not written by Cairn). */
    private String recordedSha256(Path file, String rel) {
        return checksums.folder(file.getParent()).sha256(file.getFileName().toString(), rootUri() + "/" + rel);
    }

    /**
     * The real path of {@code path}: its deepest existing ancestor resolved through symbolic
     * links, followed by the part that does not exist yet.
     */
    static Path realPath(Path path) {
        Path existing = path;
        while (existing != null && !Files.exists(existing)) existing = existing.getParent();
        if (existing == null) return path;
        try {
            Path real = existing.toRealPath();
            return real.resolve(existing.relativize(path)).normalize();
        } catch (IOException e) {
            return path;
        }
    }
}
