package dev.cairn.cli.monitor;

import dev.cairn.core.error.CairnException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** Times on the command line: an ISO-8601 instant ({@code 2026-11-03T00:00:00Z}) or a date ({@code 2026-11-03}, midnight UTC). */
public final class Instants {
    private Instants() {}

    public static Instant parse(String option, String text) {
        if (text == null) return null;
        try {
            return text.length() == 10 ? LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant() : Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw CairnException.invalid(option, text, "a date (2026-11-03) or an ISO-8601 instant (2026-11-03T00:00:00Z)");
        }
    }
}
