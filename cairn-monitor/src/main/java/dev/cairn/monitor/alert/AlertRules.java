package dev.cairn.monitor.alert;

import dev.cairn.core.error.CairnException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A deployment's alert configuration: the window size its rules are evaluated over, the rules, and the
 * webhooks their transitions are POSTed to. Read from YAML:
 * <pre>
 * window: day                      # hour | day | week | ISO-8601 (PT6H, P2D, P1W); default day
 * webhooks:                        # optional
 *   - url: http://localhost:9000/hooks/cairn
 *     headers: {Authorization: Bearer s3cr3t}
 * rules:
 *   - name: precision-estimate     # unique; letters, digits, _ . -
 *     metric: estimated.precision  # a window metric (dev.cairn.monitor.MetricNames)
 *     comparison: "&lt;"              # &gt; &gt;= &lt; &lt;= (quoted: '&gt;' is YAML syntax)
 *     threshold: 0.70
 *     consecutive: 2               # default 1
 *     cooldown: P2D                # default 0
 *     severity: critical           # info | warning | critical; default warning
 *     description: CBPE precision below the contract
 * </pre>
 * Every bad value is refused with its YAML path ({@code rules[2].comparison}); unknown keys are refused
 * with the keys allowed there.
 *
 * @param window the window size as written ({@code day}, {@code PT6H}); see {@link #windowDuration()}
 */
public record AlertRules(String window, List<AlertRule> rules, List<Webhook> webhooks) {
    public static final String DEFAULT_WINDOW = "day";

    public AlertRules {
        if (window == null) window = DEFAULT_WINDOW;
        if (Durations.parse("window", window).isZero()) throw CairnException.invalid("window", window, "a positive duration");
        rules = List.copyOf(rules == null ? List.of() : rules);
        webhooks = List.copyOf(webhooks == null ? List.of() : webhooks);
        Set<String> names = new HashSet<>();
        for (int i = 0; i < rules.size(); i++) {
            if (!names.add(rules.get(i).name())) {
                throw CairnException.invalid("rules[" + i + "].name", rules.get(i).name(), "a name no other rule has");
            }
        }
    }

    /** The length of one window. */
    public Duration windowDuration() {
        return Durations.parse("window", window);
    }

    public Optional<AlertRule> rule(String name) {
        return rules.stream().filter(r -> r.name().equals(name)).findFirst();
    }

    /** Reads an alert file; see the class comment for its shape. */
    public static AlertRules read(Path file) {
        return AlertRulesYaml.read(file);
    }

    /** Parses alert YAML; {@code source} (a file name) appears in errors. */
    public static AlertRules parse(String yaml, String source) {
        return AlertRulesYaml.parse(yaml, source);
    }
}
