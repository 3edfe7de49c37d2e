package dev.cairn.bench.monitoring;

import com.sun.management.OperatingSystemMXBean;
import dev.cairn.monitor.MonitoredModel;
import dev.cairn.monitor.log.PredictionLogLayout;
import dev.cairn.monitor.multivariate.Multivariate;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Times the statements of a day window's flattening alone, CPU and wall seconds, each in turn and repeated: the
 * hand-written limit, its parse alone, and Cairn's flattening SQL aggregated (no table) and written into an in-memory
 * table; with {@code PROBE=parse}, the JSON parses and the Parquet read alone. For finding where the flattening's time
 * goes on a log the benchmark generated; not part of the benchmark's report.
 *   java ... FlattenProbe WORK_DIR ROWS [REPEATS]
 */
public final class FlattenProbe {
    private FlattenProbe() {}

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args[0]).toAbsolutePath();
        long rows = Long.parseLong(args[1]);
        int repeats = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        List<Path> files = PredictionLogLayout.files(work.resolve("log-" + rows), PredictionLogLayout.PREDICTIONS);
        MonitoredModel model = ReferenceModel.build(work, 100_000, 20_000);
        Class<?> logSql = Class.forName("dev.cairn.monitor.window.LogSql");
        Method requests = logSql.getDeclaredMethod("requests", List.class, List.class, java.util.Collection.class, String.class, Set.class);
        Method window = logSql.getDeclaredMethod("window", String.class, MonitoredModel.class);
        requests.setAccessible(true);
        window.setAccessible(true);
        Set<String> columns = Set.of("request_id", "time", "deployment", "model", "model_version", "shadow", "inputs", "outputs", "error",
                "error_fields", "latency_us");
        String req = (String) requests.invoke(null, files, List.of(), List.of(), SyntheticLog.DEPLOYMENT, columns);
        String flat = (String) window.invoke(null, req, model);
        String withError = Multivariate.withError(model, flat, "__reconstruction_error");
        Map<String, String> statements = new LinkedHashMap<>();
        if ("parse".equals(System.getenv("PROBE"))) {
            String in = flat.substring(flat.indexOf("from_json(inputs, '") + "from_json(inputs, ".length());
            in = in.substring(0, in.indexOf("')") + 1);
            String out = flat.substring(flat.indexOf("from_json(outputs, '") + "from_json(outputs, ".length());
            out = out.substring(0, out.indexOf("')") + 1);
            String from = " FROM read_parquet(" + files.stream().map(f -> "'" + f + "'").collect(java.util.stream.Collectors.joining(", ", "[", "]"))
                    + ") WHERE error IS NULL AND outputs IS NOT NULL";
            statements.put("inputs parsed", "SELECT count(x) FROM (SELECT from_json(inputs, " + in + ") AS x" + from + ")");
            statements.put("inputs, outputs parsed", "SELECT count(x), count(y) FROM (SELECT from_json(inputs, " + in + ") AS x, from_json(outputs, "
                    + out + ") AS y" + from + ")");
            statements.put("inputs, outputs parsed, booleans", "SELECT count(x), count(y), count_if(b) FROM (SELECT from_json(inputs, " + in
                    + ") AS x, from_json(outputs, " + out + ") AS y, (contains(inputs, 'true') OR contains(inputs, 'false')) AS b" + from + ")");
            statements.put("requests relation only", "SELECT count(*), count(seg), max(length(inputs)), max(length(outputs)) FROM " + req);
            statements.put("read only", "SELECT count(*), max(length(inputs)), max(length(outputs))" + from);
        }
        if (statements.isEmpty()) {
        statements.put("limit", LimitQuery.sql(files, LimitQuery.Flatten.TYPED));
        statements.put("window, no error, aggregated", aggregate(flat));
        statements.put("window + error, aggregated", aggregate(withError));
        statements.put("window + error, table", "CREATE TABLE t AS " + withError);
        }
        if (System.getenv("PROBE_SQL") != null) System.err.println(withError);
        for (int r = 0; r < repeats; r++) {
            for (Map.Entry<String, String> s : statements.entrySet()) {
                try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement()) {
                    long cpu0 = cpu();
                    long t0 = System.nanoTime();
                    String out = "";
                    if (s.getValue().startsWith("CREATE")) {
                        st.execute(s.getValue());
                    } else {
                        try (ResultSet rs = st.executeQuery(s.getValue())) {
                            rs.next();
                            out = rs.getString(1);
                        }
                    }
                    System.out.printf(Locale.ROOT, "%-34s CPU %6.2f s  wall %6.2f s  (%s) load %s%n", s.getKey(), (cpu() - cpu0) / 1e9,
                            (System.nanoTime() - t0) / 1e9, out, java.nio.file.Files.readString(Path.of("/proc/loadavg")).trim());
                }
            }
        }
    }

    /** Every column of {@code relation} counted (numbers summed), so nothing is left out by the optimizer. */
    private static String aggregate(String relation) throws Exception {
        List<String> parts = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement();
             ResultSet r = st.executeQuery("DESCRIBE " + relation)) {
            while (r.next()) {
                String name = "\"" + r.getString(1) + "\"";
                String type = r.getString(2);
                parts.add(type.equals("DOUBLE") ? "sum(" + name + ")" : type.startsWith("UBIGINT") ? "bit_xor(" + name + ")" : "count(" + name + ")");
            }
        }
        return "SELECT count(*), " + String.join(", ", parts) + " FROM (" + relation + ")";
    }

    private static long cpu() {
        return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }
}
