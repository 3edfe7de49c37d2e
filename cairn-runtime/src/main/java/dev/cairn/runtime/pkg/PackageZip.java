package dev.cairn.runtime.pkg;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Zips and unzips model packages. Both verify the package (checksums and schema) and write
 * atomically through a temporary name. Zip entries have fixed timestamps and a sorted order, so the
 * same package always gives the same zip bytes.
 */
public final class PackageZip {

    private PackageZip() {
    }

    /** Zips the verified package at {@code packageDir} (or another zip) into {@code zipFile}. */
    public static void zip(Path packageDir, Path zipFile) {
        ModelPackage pkg = ModelPackage.read(packageDir);
        Path parent = zipFile.toAbsolutePath().getParent();
        Path temp = parent.resolve("." + zipFile.getFileName() + ".tmp-" + UUID.randomUUID());
        try {
            Files.createDirectories(parent);
            try (OutputStream out = Files.newOutputStream(temp)) {
                write(pkg, out);
            }
            Files.move(temp, zipFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // best effort
            }
            throw new CairnException(ErrorCode.INTERNAL_ERROR, "Could not write zip " + zipFile + ": " + e, e);
        }
    }

    /** Writes a package's files as a zip to a stream, model.yaml first. */
    public static void write(ModelPackage pkg, OutputStream out) throws IOException {
        ZipOutputStream zip = new ZipOutputStream(out);
        writeEntry(zip, ManifestCodec.FILE_NAME, pkg.files().get(ManifestCodec.FILE_NAME));
        for (Map.Entry<String, byte[]> e : new java.util.TreeMap<>(pkg.files()).entrySet()) {
            if (!e.getKey().equals(ManifestCodec.FILE_NAME)) writeEntry(zip, e.getKey(), e.getValue());
        }
        zip.finish();
    }

    private static void writeEntry(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        entry.setLastModifiedTime(FileTime.fromMillis(0));
        zip.putNextEntry(entry);
        zip.write(bytes);
        zip.closeEntry();
    }

    /** Unzips a verified package into the new directory {@code targetDir}, atomically. */
    public static void unzip(Path zipFile, Path targetDir) {
        ModelPackage pkg = ModelPackage.read(zipFile);
        if (Files.exists(targetDir)) throw CairnException.alreadyExists("model package directory", targetDir);
        Path parent = targetDir.toAbsolutePath().getParent();
        Path temp = parent.resolve("." + targetDir.getFileName() + ".tmp-" + UUID.randomUUID());
        try {
            Files.createDirectories(temp);
            for (Map.Entry<String, byte[]> e : pkg.files().entrySet()) {
                // Names were verified against model.yaml's list, whose schema forbids '..' and absolute paths.
                ModelPackageWriter.checkRelative(e.getKey());
                Path p = temp.resolve(e.getKey()).normalize();
                if (!p.startsWith(temp)) throw CairnException.invalid("zip entry", e.getKey(), "a path inside the package");
                Files.createDirectories(p.getParent());
                Files.write(p, e.getValue());
            }
            ModelPackageWriter.moveIntoPlace(temp, targetDir);
        } catch (IOException e) {
            ModelPackageWriter.deleteQuietly(temp);
            throw new CairnException(ErrorCode.INTERNAL_ERROR, "Could not unzip " + zipFile + " into " + targetDir + ": " + e, e);
        }
    }
}
