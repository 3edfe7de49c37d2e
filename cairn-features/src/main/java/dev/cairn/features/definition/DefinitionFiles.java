package dev.cairn.features.definition;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/** The definition files a path names: the file itself, or every .yaml and .yml file under a directory, by path. */
public final class DefinitionFiles {
    private DefinitionFiles() {}

    public static List<Path> list(Path path) {
        if (Files.isRegularFile(path)) return List.of(path);
        if (!Files.isDirectory(path)) {
            throw new CairnException(ErrorCode.RESOURCE_DOES_NOT_EXIST, "No definition file or directory '" + path + "'",
                    Map.of("field", "path", "value", path.toString()));
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(path)) {
            files = walk.filter(Files::isRegularFile).filter(DefinitionFiles::isYaml).sorted().toList();
        } catch (IOException e) {
            throw CairnException.invalid("path", path.toString(), "a readable directory (" + e.getMessage() + ")");
        }
        if (files.isEmpty()) throw CairnException.invalid("path", path.toString(), "a directory holding definition files (.yaml or .yml)");
        return files;
    }

    /** A file's text, which must be UTF-8. */
    public static String read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw CairnException.invalid("path", file.toString(), "a readable definition file (" + e.getMessage() + ")");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw CairnException.invalid("path", file.toString(), "a UTF-8 text file");
        }
    }

    private static boolean isYaml(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return !name.startsWith(".") && (name.endsWith(".yaml") || name.endsWith(".yml"));
    }
}
