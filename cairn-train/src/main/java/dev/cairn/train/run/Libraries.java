package dev.cairn.train.run;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/** Versions of what produced a model, recorded so a reproduction can tell when one changed. */
public final class Libraries {
    /** Tag prefix of recorded versions: {@code cairn.lib.xgboost4j = 3.0.4}. */
    public static final String TAG_PREFIX = "cairn.lib.";

    private Libraries() {}

    public static Map<String, String> versions() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("xgboost4j", mavenVersion("ml.dmlc", "xgboost4j_2.12", ml.dmlc.xgboost4j.java.XGBoost.class));
        out.put("duckdb_jdbc", mavenVersion("org.duckdb", "duckdb_jdbc", org.duckdb.DuckDBDriver.class));
        out.put("jdk", System.getProperty("java.version"));
        return out;
    }

    private static String mavenVersion(String group, String artifact, Class<?> anchor) {
        String resource = "/META-INF/maven/" + group + "/" + artifact + "/pom.properties";
        try (InputStream in = anchor.getResourceAsStream(resource)) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                String v = p.getProperty("version");
                if (v != null) return v;
            }
        } catch (IOException ignored) {
            // fall back to the manifest below
        }
        String v = anchor.getPackage() == null ? null : anchor.getPackage().getImplementationVersion();
        return v == null ? "unknown" : v;
    }
}
