package dev.cairn.cli.model;

import dev.cairn.cli.StoreOptions;
import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.runtime.pkg.ModelPackage;
import dev.cairn.runtime.pkg.PackageZip;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cairn models download models:/credit-risk@champion --to champion}: writes a model's
 * package (model.yaml and its files, verified) as a directory or a {@code .zip}, ready for
 * {@code Models.load(Path)} in a service that depends on cairn-runtime alone. The target appears
 * whole or not at all.
 */
@Command(name = "download", mixinStandardHelpOptions = true,
        description = "Write a model's package to a directory or .zip, for Models.load(path) in a Java service.")
public final class ModelsDownloadCommand implements Callable<Integer> {

    @Mixin StoreOptions store;

    @Parameters(paramLabel = "MODEL_URI", description = "models:/name@alias, models:/name/version or runs:/<run>/model.")
    String model;

    @Option(names = "--to", required = true, paramLabel = "PATH", description = "A new directory, or a file ending in .zip.")
    Path to;

    @Option(names = "--server", paramLabel = "URL", description = "Download through a running Cairn server instead of the store.")
    String server;

    @Override
    public Integer call() {
        if (Files.exists(to)) throw CairnException.invalid("to", to.toString(), "a path that does not exist yet");
        try (PackageSource source = new PackageSource(store, server)) {
            ModelPackage pkg = ModelPackage.read(source.resolve(model));   // verifies every checksum again
            Path target = to.toAbsolutePath();
            Path temporary = target.resolveSibling("." + target.getFileName() + "-" + UUID.randomUUID());
            try {
                if (target.getParent() != null) Files.createDirectories(target.getParent());
                if (target.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".zip")) {
                    try (OutputStream out = Files.newOutputStream(temporary)) {
                        PackageZip.write(pkg, out);
                    }
                } else {
                    writeDirectory(pkg, temporary);
                }
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException | RuntimeException e) {
                PackageSource.deleteTree(temporary);
                if (e instanceof RuntimeException unchecked) throw unchecked;
                throw new CairnException(ErrorCode.INTERNAL_ERROR, "Cannot write the model package to " + to + ": " + e, e);
            }
            System.out.println("Wrote " + model + " (" + pkg.manifest().flavor() + ", " + pkg.files().size() + " files) to " + to);
            return 0;
        }
    }

    private static void writeDirectory(ModelPackage pkg, Path dir) throws IOException {
        Files.createDirectories(dir);
        for (Map.Entry<String, byte[]> file : pkg.files().entrySet()) {
            Path local = dir.resolve(file.getKey()).normalize();
            if (!local.startsWith(dir)) throw CairnException.invalid("file", file.getKey(), "a path inside the package");
            if (local.getParent() != null) Files.createDirectories(local.getParent());
            Files.write(local, file.getValue());
        }
    }
}
