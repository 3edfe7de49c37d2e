package dev.cairn.pipeline.spec;

import dev.cairn.core.error.CairnException;
import dev.cairn.data.yaml.YamlNode;
import dev.cairn.data.yaml.YamlProblems;
import dev.cairn.pipeline.schedule.CatchUp;
import dev.cairn.pipeline.schedule.CronSchedule;
import dev.cairn.pipeline.schedule.Trigger;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads a spec's {@code triggers}: a list of one-key mappings, the key naming the kind. Cron expressions and time
 * zones are checked by the schedule package; a data trigger must watch a read step whose source is known before
 * the run.
 */
final class TriggerReader extends NodeReader {
    static final List<String> TRIGGER_KINDS = List.of("schedule", "data", "alert", "manual");
    static final List<String> SCHEDULE_KEYS = List.of("cron", "timezone", "catch_up");
    static final List<String> DATA_KEYS = List.of("source", "poll", "fingerprint");
    static final List<String> ALERT_KEYS = List.of("deployment", "rules");

    TriggerReader(YamlProblems problems) {
        super(problems);
    }

    List<Trigger> triggers(YamlNode node, Map<String, SpecParser.Draft> steps) {
        List<Trigger> triggers = new ArrayList<>();
        if (absent(node)) return triggers;
        if (!(node instanceof YamlNode.Sequence list)) {
            problems.add(node, "triggers", "expected a list of triggers (- schedule: ..., - data: ..., - alert: ..., "
                    + "- manual: {}), found " + node.describe());
            return triggers;
        }
        for (int i = 0; i < list.items().size(); i++) {
            String path = "triggers[" + i + "]";
            YamlNode item = list.items().get(i);
            if (!(item instanceof YamlNode.Mapping m) || m.entries().size() != 1) {
                problems.add(item, path, "a trigger is a mapping with one key, its kind: " + String.join(", ", TRIGGER_KINDS)
                        + "; found " + (item instanceof YamlNode.Mapping m2 ? "keys " + m2.entries().stream()
                        .map(YamlNode.Entry::key).toList() : item.describe()));
                continue;
            }
            YamlNode.Entry kind = m.entries().getFirst();
            String kindPath = path + "." + kind.key();
            Trigger t = switch (kind.key()) {
                case "schedule" -> schedule(kind.value(), kindPath);
                case "data" -> data(kind.value(), kindPath, steps);
                case "alert" -> alert(kind.value(), kindPath);
                case "manual" -> manual(kind.value(), kindPath);
                default -> {
                    problems.add(kind, kindPath, "unknown trigger kind '" + kind.key() + "' (kinds are: "
                            + String.join(", ", TRIGGER_KINDS) + ")");
                    yield null;
                }
            };
            if (t != null) triggers.add(t);
        }
        return triggers;
    }

    private Trigger schedule(YamlNode node, String path) {
        YamlNode cronNode;
        String cronPath = path + ".cron";
        YamlNode zoneNode = null;
        YamlNode catchUpNode = null;
        if (node instanceof YamlNode.Scalar s && !s.isNull()) {
            cronNode = node; // schedule: "0 2 * * *" is a cron in UTC
            cronPath = path;
        } else if (node instanceof YamlNode.Mapping m) {
            unknownKeys(m, path, SCHEDULE_KEYS, " for a schedule");
            cronNode = m.get("cron");
            zoneNode = m.get("timezone");
            catchUpNode = m.get("catch_up");
            if (absent(cronNode)) {
                problems.add(m, path + ".cron", "missing key 'cron', e.g. cron: \"0 2 * * *\"");
                return null;
            }
        } else {
            problems.add(node, path, "expected a mapping with cron, timezone and catch_up, found " + node.describe());
            return null;
        }
        ZoneId zone = Trigger.Schedule.DEFAULT_ZONE;
        boolean ok = true;
        if (!absent(zoneNode)) {
            String z = text(zoneNode, path + ".timezone");
            try {
                if (z != null) zone = CronSchedule.zone(path + ".timezone", z);
                else ok = false;
            } catch (CairnException e) {
                problems.add(zoneNode, path + ".timezone", "unknown time zone '" + z + "': expected "
                        + e.details().get("expected"));
                ok = false;
            }
        }
        String cron = text(cronNode, cronPath);
        if (cron == null) return null;
        try {
            CronSchedule.parse(cron, zone);
        } catch (CairnException e) {
            problems.add(cronNode, cronPath, e.getMessage());
            ok = false;
        }
        CatchUp catchUp = Trigger.Schedule.DEFAULT_CATCH_UP;
        if (!absent(catchUpNode)) {
            String c = text(catchUpNode, path + ".catch_up");
            try {
                if (c != null) catchUp = CatchUp.parse(path + ".catch_up", c);
            } catch (CairnException e) {
                problems.add(catchUpNode, path + ".catch_up", "'" + c + "' is not one of: " + CatchUp.labels());
                ok = false;
            }
        }
        return ok ? new Trigger.Schedule(cron, zone, catchUp) : null;
    }

    private Trigger data(YamlNode node, String path, Map<String, SpecParser.Draft> steps) {
        YamlNode sourceNode;
        String sourcePath = path + ".source";
        YamlNode pollNode = null;
        YamlNode fingerprintNode = null;
        if (node instanceof YamlNode.Scalar s && !s.isNull()) {
            sourceNode = node; // data: read is data: {source: read}
            sourcePath = path;
        } else if (node instanceof YamlNode.Mapping m) {
            unknownKeys(m, path, DATA_KEYS, " for a data trigger");
            sourceNode = m.get("source");
            pollNode = m.get("poll");
            fingerprintNode = m.get("fingerprint");
            if (absent(sourceNode)) {
                problems.add(m, path + ".source", "missing key 'source': the id of the read step whose source is watched");
                return null;
            }
        } else {
            problems.add(node, path, "expected a mapping with source (a read step's id) and poll, found " + node.describe());
            return null;
        }
        String source = text(sourceNode, sourcePath);
        if (source == null) return null;
        boolean ok = true;
        SpecParser.Draft step = steps.get(source);
        List<String> reads = steps.values().stream().filter(d -> d.type() == StepType.READ).map(SpecParser.Draft::id).toList();
        String readList = reads.isEmpty() ? "the spec has no read step" : "read steps: " + String.join(", ", reads);
        if (step == null) {
            problems.add(sourceNode, sourcePath, "unknown step '" + source + "' (" + readList + ")");
            ok = false;
        } else if (step.type() != StepType.READ) {
            if (step.type() != null) problems.add(sourceNode, sourcePath, "step '" + source + "' is " + article(step.type())
                    + "; a data trigger watches a read step's source (" + readList + ")");
            ok = false;
        } else if (step.step().references().stream().anyMatch(r -> r.kind() == Reference.Kind.OUTPUT)) {
            problems.add(sourceNode, sourcePath, "step '" + source + "' reads what another step outputs; a data "
                    + "trigger watches a source known before the run (parameters and literals)");
            ok = false;
        }
        Duration poll = Trigger.DataChange.DEFAULT_POLL;
        if (!absent(pollNode)) {
            Duration d = duration(pollNode, path + ".poll");
            if (d != null && d.isZero()) {
                problems.add(pollNode, path + ".poll", "the poll interval must be longer than zero");
                ok = false;
            } else if (d != null) {
                poll = d;
            } else {
                ok = false;
            }
        }
        String fingerprint = null;
        if (!absent(fingerprintNode)) {
            fingerprint = text(fingerprintNode, path + ".fingerprint");
            if (fingerprint == null) {
                ok = false;
            } else if (fingerprint.isBlank()) {
                problems.add(fingerprintNode, path + ".fingerprint", "expected a query in the read step's database, e.g. "
                        + "SELECT count(class) / 500 FROM customers");
                ok = false;
            }
        }
        return ok ? new Trigger.DataChange(source, poll, fingerprint) : null;
    }

    private Trigger alert(YamlNode node, String path) {
        if (!(node instanceof YamlNode.Mapping m)) {
            problems.add(node, path, "expected a mapping with deployment and rules, found " + node.describe());
            return null;
        }
        unknownKeys(m, path, ALERT_KEYS, " for an alert trigger");
        YamlNode deploymentNode = m.get("deployment");
        if (absent(deploymentNode)) {
            problems.add(m, path + ".deployment", "missing key 'deployment': the deployment whose alerts start a run");
            return null;
        }
        String deployment = text(deploymentNode, path + ".deployment");
        List<String> rules = new ArrayList<>();
        YamlNode rulesNode = m.get("rules");
        boolean ok = deployment != null;
        if (!absent(rulesNode)) {
            List<YamlNode> items = rulesNode instanceof YamlNode.Sequence s ? s.items() : List.of(rulesNode);
            for (YamlNode item : items) {
                String r = text(item, path + ".rules");
                if (r == null) ok = false;
                else rules.add(r);
            }
        }
        return ok ? new Trigger.Alert(deployment, rules) : null;
    }

    private Trigger manual(YamlNode node, String path) {
        if (absent(node)) return new Trigger.Manual();
        if (node instanceof YamlNode.Mapping m) {
            unknownKeys(m, path, List.of(), " for a manual trigger (it has no settings: write manual: {})");
            return m.entries().isEmpty() ? new Trigger.Manual() : null;
        }
        problems.add(node, path, "expected manual: {} (a manual trigger has no settings), found " + node.describe());
        return null;
    }
}
