package dev.cairn.pipeline.engine;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A request to run a pipeline.
 *
 * @param trigger     what asks: {@code manual}, {@code ci}, {@code schedule}, {@code data} or {@code alert}
 * @param cause       why, in words a person reads in the run (the cron slot, the alert, the commit)
 * @param parameters  values overriding the spec's defaults, by name
 * @param logicalTime the time the run is for (a schedule's slot); null: now
 * @param codeVersion the commit the run's code is at (CI gives it); null: the workspace's git commit, if any
 * @param actor       who asks (recorded on the run and everything it registers)
 * @param fireKey     for a trigger that must fire once (a schedule slot, an alert), the key that makes it unique;
 *                    null for runs asked for by a person or CI
 */
public record RunRequest(String trigger, String cause, Map<String, String> parameters, Instant logicalTime,
                         String codeVersion, String actor, String fireKey) {

    /** The triggers a run can have. */
    public static final Set<String> TRIGGERS = Set.of("manual", "ci", "schedule", "data", "alert");

    public RunRequest {
        trigger = trigger == null ? "manual" : trigger.toLowerCase(Locale.ROOT);
        if (!TRIGGERS.contains(trigger)) {
            throw dev.cairn.core.error.CairnException.invalid("trigger", trigger, "one of " + String.join(", ", TRIGGERS.stream().sorted().toList()));
        }
        parameters = parameters == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }

    public static RunRequest manual(String actor) {
        return new RunRequest("manual", "started by " + actor, Map.of(), null, null, actor, null);
    }

    public RunRequest withParameters(Map<String, String> more) {
        return new RunRequest(trigger, cause, more, logicalTime, codeVersion, actor, fireKey);
    }

    public RunRequest at(Instant time) {
        return new RunRequest(trigger, cause, parameters, time, codeVersion, actor, fireKey);
    }
}
