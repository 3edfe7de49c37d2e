package dev.cairn.pipeline.schedule;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.cairn.core.error.CairnException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What a schedule does about the times it missed while no scheduler was running (Airflow's catch-up, Kubernetes'
 * starting deadline): see {@link CronSchedule#due}.
 */
public enum CatchUp {
    /** One run, for the most recent missed time: a nightly job that missed three nights runs once, for last night. */
    @JsonProperty("latest") LATEST,
    /** A run for every missed time, oldest first (up to a limit per call). */
    @JsonProperty("all") ALL,
    /** Missed times are dropped; only a time that is due now (within the grace period) runs. */
    @JsonProperty("none") NONE;

    /** The name as written in a pipeline spec. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static String labels() {
        return Arrays.stream(values()).map(CatchUp::label).collect(Collectors.joining(", "));
    }

    /** The policy {@code text} names (case-insensitive), or an error naming {@code field}. */
    public static CatchUp parse(String field, String text) {
        if (text != null) {
            for (CatchUp c : values()) if (c.label().equalsIgnoreCase(text.strip())) return c;
        }
        throw CairnException.invalid(field, text, "one of " + labels());
    }
}
