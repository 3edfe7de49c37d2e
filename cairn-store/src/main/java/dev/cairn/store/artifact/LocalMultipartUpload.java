package dev.cairn.store.artifact;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.hash.Sha256;
import dev.cairn.core.store.ArtifactInfo;
import dev.cairn.core.store.ArtifactRepository;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A multipart upload into a local repository. Its parts are files under
 * {@code <root>/.cairn-uploads/<id>/}, each written to a temporary name and renamed, so a part is
 * either whole or absent and a re-sent part replaces the earlier one. The upload's directory also
 * holds the target path, so another process can resume it by id. Completing concatenates the
 * parts in part-number order into a temporary file beside the target, hashing as it goes, and
 * renames it into place. Unlike S3 there is no minimum part size.
 */
final class LocalMultipartUpload implements ArtifactRepository.MultipartUpload {
    static final int MAX_PART_NUMBER = 10_000;
    private static final Pattern UPLOAD_ID = Pattern.compile("[0-9a-f]{32}");
    private static final Pattern PART_FILE = Pattern.compile("part-(\\d{5})");
    private static final String TARGET_FILE = "target";

    private final LocalArtifactRepository repository;
    private final String path;
    private final String uploadId;
    private final Path directory;
    private volatile boolean completed;

    private LocalMultipartUpload(LocalArtifactRepository repository, String path, String uploadId) {
        this.repository = repository;
        this.path = path;
        this.uploadId = uploadId;
        this.directory = uploadsArea(repository).resolve(uploadId);
    }

    static LocalMultipartUpload start(LocalArtifactRepository repository, String path) {
        LocalMultipartUpload upload = new LocalMultipartUpload(repository, path, LocalFiles.randomHex(16));
        try {
            Files.createDirectories(upload.directory);
            LocalFiles.writeAtomically(upload.directory.resolve(TARGET_FILE), path.getBytes(StandardCharsets.UTF_8), path);
        } catch (IOException e) {
            throw LocalFiles.ioFailure("start a multipart upload of", path, e);
        }
        return upload;
    }

    static LocalMultipartUpload resume(LocalArtifactRepository repository, String path, String uploadId) {
        if (uploadId == null || !UPLOAD_ID.matcher(uploadId).matches()) {
            throw CairnException.invalid("upload_id", uploadId, "an upload id returned when the upload was started (32 hex digits)");
        }
        LocalMultipartUpload upload = new LocalMultipartUpload(repository, path, uploadId);
        String startedFor;
        try {
            startedFor = Files.readString(upload.directory.resolve(TARGET_FILE), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw CairnException.notFound("multipart upload", uploadId);
        } catch (IOException e) {
            throw LocalFiles.ioFailure("resume the multipart upload of", path, e);
        }
        if (!startedFor.equals(path)) {
            throw CairnException.invalid("path", path, "the path upload " + uploadId + " was started for ('" + startedFor + "')");
        }
        return upload;
    }

    private static Path uploadsArea(LocalArtifactRepository repository) {
        return repository.root().resolve(LocalArtifactRepository.UPLOADS_DIRECTORY);
    }

    @Override
    public String uploadId() {
        return uploadId;
    }

    @Override
    public void putPart(int partNumber, InputStream content) {
        if (partNumber < 1 || partNumber > MAX_PART_NUMBER) {
            throw CairnException.invalid("part_number", partNumber, "an integer from 1 to " + MAX_PART_NUMBER);
        }
        requireOpen();
        Path temp;
        try {
            temp = LocalFiles.newTempFile(directory);
        } catch (NoSuchFileException e) {
            throw CairnException.notFound("multipart upload", uploadId);
        } catch (IOException e) {
            throw LocalFiles.ioFailure("write a part of", path, e);
        }
        try {
            LocalFiles.writeAndSync(temp, content, path + " (part " + partNumber + ")");
            Files.move(temp, directory.resolve("part-%05d".formatted(partNumber)), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LocalFiles.deleteQuietly(temp);
            throw LocalFiles.ioFailure("write a part of", path, e);
        } catch (RuntimeException | Error e) {
            LocalFiles.deleteQuietly(temp);
            throw e;
        }
    }

    @Override
    public ArtifactInfo complete() {
        requireOpen();
        TreeMap<Integer, Path> parts = parts();
        if (parts.isEmpty()) {
            throw new CairnException(ErrorCode.INVALID_STATE,
                    "Multipart upload " + uploadId + " of '" + path + "' has no parts to complete",
                    Map.of("upload_id", uploadId, "path", path));
        }
        Path target = repository.resolve(path);
        if (Files.isDirectory(target)) throw CairnException.invalid("path", path, "the path of a file (it is a directory)");
        Path dir = target.getParent();
        Path temp = repository.createTempBeside(dir, path);
        try {
            MessageDigest digest = Sha256.newDigest();
            long size = 0;
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                for (Path part : parts.values()) {
                    try (InputStream in = Files.newInputStream(part)) {
                        size += LocalFiles.append(out, in, digest, path);
                    }
                }
                out.force(true);
            }
            String sha256 = Sha256.hex(digest);
            repository.commit(temp, target, sha256, path);
            completed = true;
            removeUploadDirectory();
            return new ArtifactInfo(path, false, size, sha256);
        } catch (IOException e) {
            LocalFiles.deleteQuietly(temp);
            LocalFiles.pruneEmptyDirectories(dir, repository.root());
            throw LocalFiles.ioFailure("complete the multipart upload of", path, e);
        } catch (RuntimeException | Error e) {
            LocalFiles.deleteQuietly(temp);
            LocalFiles.pruneEmptyDirectories(dir, repository.root());
            throw e;
        }
    }

    @Override
    public void abort() {
        if (completed) return;
        removeUploadDirectory();
    }

    private void requireOpen() {
        if (completed) {
            throw new CairnException(ErrorCode.INVALID_STATE,
                    "Multipart upload " + uploadId + " of '" + path + "' is already complete",
                    Map.of("upload_id", uploadId, "path", path));
        }
        if (!Files.isDirectory(directory)) throw CairnException.notFound("multipart upload", uploadId);
    }

    private TreeMap<Integer, Path> parts() {
        TreeMap<Integer, Path> parts = new TreeMap<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            for (Path entry : entries) {
                Matcher m = PART_FILE.matcher(entry.getFileName().toString());
                if (m.matches()) parts.put(Integer.parseInt(m.group(1)), entry);
            }
        } catch (NoSuchFileException e) {
            throw CairnException.notFound("multipart upload", uploadId);
        } catch (IOException e) {
            throw LocalFiles.ioFailure("list the parts of", path, e);
        }
        return parts;
    }

    private void removeUploadDirectory() {
        try {
            LocalFiles.deleteTree(directory);
        } catch (IOException e) {
            throw LocalFiles.ioFailure("remove the parts of", path, e);
        }
        LocalFiles.pruneEmptyDirectories(uploadsArea(repository), repository.root());
    }
}
