package dev.cairn.pipeline.schedule;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.cairn.core.error.CairnException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;

/**
 * What starts a pipeline run by itself. A run can always also be started by hand or by CI ({@code cairn pipelines
 * run}, {@code POST /api/v1/pipelines/{name}/runs}); {@link Manual} says so in the spec and names that cause. In
 * JSON a trigger is an object with one key, its kind, as in the YAML: {@code {"schedule": {"cron": ...}}}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.WRAPPER_OBJECT)
@JsonSubTypes({
        @JsonSubTypes.Type(value = Trigger.Schedule.class, name = "schedule"),
        @JsonSubTypes.Type(value = Trigger.DataChange.class, name = "data"),
        @JsonSubTypes.Type(value = Trigger.Alert.class, name = "alert"),
        @JsonSubTypes.Type(value = Trigger.Manual.class, name = "manual")})
public sealed interface Trigger {

    /** The key that names this kind in a spec: schedule, data, alert or manual. */
    String kind();

    /** For people: {@code schedule "0 2 * * *" in Europe/Berlin (catch up: latest)}. */
    default String describe() {
        return switch (this) {
            case Schedule s -> "schedule \"" + s.cron() + "\" in " + s.timezone() + " (catch up: " + s.catchUp().label() + ")";
            case DataChange d -> "data: when what step " + d.source() + " reads changes (polled every " + d.poll() + ")";
            case Alert a -> "alert: " + (a.rules().isEmpty() ? "any rule" : String.join(", ", a.rules())) + " firing on deployment " + a.deployment();
            case Manual m -> "manual";
        };
    }

    /**
     * A cron schedule in a time zone, with what to do about times missed while no scheduler ran.
     * The expression is kept as written; {@link #schedule()} is the parsed form.
     */
    record Schedule(String cron, ZoneId timezone, CatchUp catchUp) implements Trigger {
        public static final ZoneId DEFAULT_ZONE = ZoneId.of("UTC");
        public static final CatchUp DEFAULT_CATCH_UP = CatchUp.LATEST;

        public Schedule {
            Objects.requireNonNull(timezone, "timezone");
            Objects.requireNonNull(catchUp, "catchUp");
            CronSchedule.parse(cron, timezone);
        }

        public CronSchedule schedule() {
            return CronSchedule.parse(cron, timezone);
        }

        @Override
        public String kind() {
            return "schedule";
        }
    }

    /**
     * A run when the data a {@code read} step reads has changed: its source's fingerprint (a file's SHA-256; for
     * JDBC, the result of the step's fingerprint query, or of its query) differs from the last run's. Checked every
     * {@code poll}. {@code fingerprint}, when given, is a query of the trigger's own run in the read step's database
     * instead: a coarser one says what change is worth a run ({@code SELECT count(class) / 500 FROM customers}: every
     * 500 new labels) while the step's own fingerprint still tracks every change of what it reads.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record DataChange(String source, Duration poll, String fingerprint) implements Trigger {
        public static final Duration DEFAULT_POLL = Duration.ofMinutes(5);

        public DataChange {
            if (source == null || source.isBlank()) throw CairnException.invalid("data.source", source, "the id of a read step");
            Objects.requireNonNull(poll, "poll");
            if (poll.isNegative() || poll.isZero()) throw CairnException.invalid("data.poll", poll, "a positive duration");
            if (fingerprint != null && fingerprint.isBlank()) fingerprint = null;
        }

        public DataChange(String source, Duration poll) {
            this(source, poll, null);
        }

        @Override
        public String kind() {
            return "data";
        }
    }

    /**
     * A run when a monitoring alert of a deployment fires: any of its rules when {@code rules} is empty, else one of
     * those named. The alert is recorded as the run's cause.
     */
    record Alert(String deployment, List<String> rules) implements Trigger {
        public Alert {
            if (deployment == null || deployment.isBlank()) {
                throw CairnException.invalid("alert.deployment", deployment, "a deployment name");
            }
            rules = rules == null ? List.of() : List.copyOf(rules);
        }

        /** Whether an alert from {@code rule} of {@code fromDeployment} starts a run. */
        public boolean matches(String fromDeployment, String rule) {
            return deployment.equals(fromDeployment) && (rules.isEmpty() || rules.contains(rule));
        }

        @Override
        public String kind() {
            return "alert";
        }
    }

    /** Started by a person or by CI, through the CLI or the REST API. */
    record Manual() implements Trigger {
        @Override
        public String kind() {
            return "manual";
        }
    }
}
