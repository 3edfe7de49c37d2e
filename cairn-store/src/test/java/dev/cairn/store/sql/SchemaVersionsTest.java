package dev.cairn.store.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SchemaVersionsTest {

    private static final Pattern VERSIONED = Pattern.compile("V(\\d+)__.+\\.sql");

    @Test
    @DisplayName("each dialect's latest schema version is the highest migration file, so no migration is skipped on open")
    void latestVersionMatchesMigrationFiles() throws IOException, URISyntaxException {
        for (Dialect dialect : Dialect.values()) {
            URL folder = Database.class.getResource("/db/migration/" + dialect.migrationFolder());
            assertThat(folder).as("migrations of %s", dialect).isNotNull();
            int highest;
            try (Stream<Path> files = Files.list(Path.of(folder.toURI()))) {
                highest = files.map(file -> VERSIONED.matcher(file.getFileName().toString()))
                        .filter(Matcher::matches).mapToInt(m -> Integer.parseInt(m.group(1))).max().orElse(0);
            }
            assertThat(dialect.latestSchemaVersion()).as("latest schema version of %s", dialect).isEqualTo(highest);
        }
    }
}
