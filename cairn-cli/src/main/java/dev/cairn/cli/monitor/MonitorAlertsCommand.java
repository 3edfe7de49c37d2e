package dev.cairn.cli.monitor;

import dev.cairn.cli.Output;
import dev.cairn.core.error.CairnException;
import dev.cairn.monitor.Monitoring;
import dev.cairn.monitor.alert.AlertEvent;
import dev.cairn.monitor.alert.AlertRule;
import dev.cairn.monitor.alert.AlertRules;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cairn monitor alerts DEPLOYMENT [--rules FILE]}: installs a deployment's rules, shows them with firing alerts and history. */
@Command(name = "alerts", mixinStandardHelpOptions = true,
        description = "Show a deployment's alert rules, the alerts firing and the latest transitions; --rules FILE installs rules (YAML) first.")
public final class MonitorAlertsCommand implements Callable<Integer> {
    @Mixin MonitorOptions options;
    @Mixin Output output;

    @Parameters(index = "0", paramLabel = "DEPLOYMENT")
    String deployment;

    @Option(names = "--rules", paramLabel = "FILE", description = "Alert rules (YAML) to validate and install for the deployment.")
    Path rules;

    @Option(names = "--limit", defaultValue = "20", description = "How many transitions to show (default: ${DEFAULT-VALUE}).")
    int limit;

    @Override
    public Integer call() {
        if (limit < 1) throw CairnException.invalid("--limit", limit, "a positive number");
        try (MonitorOptions.Opened opened = options.open()) {
            Monitoring m = opened.monitoring();
            if (rules != null) {
                String yaml;
                try {
                    yaml = Files.readString(rules);
                } catch (IOException e) {
                    throw CairnException.invalid("--rules", rules, "a readable YAML file (" + e.getMessage() + ")");
                }
                AlertRules installed = m.installRules(deployment, yaml);
                System.err.println("Installed " + installed.rules().size() + " alert rules for " + deployment);
            }
            AlertRules current = m.rules(deployment);
            var firing = m.firing(deployment);
            List<AlertEvent> events = m.history(deployment, limit);
            if (output.json()) {
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("deployment", deployment);
                out.put("rules", current);
                out.put("firing", firing);
                out.put("events", events);
                output.printJson(System.out, out);
                return 0;
            }
            if (current == null) {
                System.out.println(deployment + " has no alert rules (install some with --rules FILE).");
            } else {
                System.out.println(deployment + ": " + current.rules().size() + " rules over " + current.window() + " windows, "
                        + current.webhooks().size() + " webhooks");
                List<List<String>> rows = new ArrayList<>();
                for (AlertRule r : current.rules()) {
                    rows.add(List.of(r.name(), r.metric() + " " + r.comparison().symbol() + " " + r.threshold(),
                            Integer.toString(r.consecutive()), r.severity().name().toLowerCase(Locale.ROOT),
                            firing.stream().anyMatch(a -> a.rule().equals(r.name())) ? "FIRING" : "ok"));
                }
                Output.printTable(System.out, List.of("rule", "condition", "windows", "severity", "state"), rows);
            }
            if (!events.isEmpty()) {
                System.out.println("latest transitions:");
                for (AlertEvent e : events) {
                    System.out.println("  " + e.windowStart() + "  " + e.state() + "  " + e.rule() + "  " + e.metric() + " = "
                            + (e.value() == null ? "-" : MonitorStatusCommand.number(e.value())));
                }
            }
            return 0;
        }
    }
}
