package dev.cairn.pipeline.spec;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.cairn.core.error.CairnException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;

/** How many runs of one pipeline may be active at once, and what a trigger does when that many are. */
public record Concurrency(int maxRuns, OnConflict onConflict) {
    public static final int MAX_RUNS = 100;
    /** One run at a time; a run triggered meanwhile waits its turn. */
    public static final Concurrency DEFAULT = new Concurrency(1, OnConflict.QUEUE);

    public enum OnConflict {
        /** The new run waits until a running one ends. */
        @JsonProperty("queue") QUEUE,
        /** The new run is recorded as skipped and does not run. */
        @JsonProperty("skip") SKIP,
        /** The oldest running run is cancelled and the new one starts. */
        @JsonProperty("cancel_running") CANCEL_RUNNING;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static String labels() {
            return Arrays.stream(values()).map(OnConflict::label).collect(Collectors.joining(", "));
        }

        /** The policy a spec names, or null. */
        public static OnConflict fromLabel(String label) {
            for (OnConflict c : values()) if (c.label().equalsIgnoreCase(label.strip())) return c;
            return null;
        }
    }

    public Concurrency {
        if (maxRuns < 1 || maxRuns > MAX_RUNS) throw CairnException.invalid("concurrency.max_runs", maxRuns, "1 to " + MAX_RUNS);
        Objects.requireNonNull(onConflict, "onConflict");
    }
}
