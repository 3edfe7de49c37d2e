package dev.cairn.bench.monitoring;

import dev.cairn.data.DataValidation;
import dev.cairn.data.drift.ReconstructionDrift;
import dev.cairn.data.profile.DatasetProfile;
import dev.cairn.data.source.DataReader;
import dev.cairn.data.source.LoadedTable;
import dev.cairn.monitor.MonitoredModel;
import dev.cairn.runtime.pkg.OutputSpec;
import dev.cairn.runtime.pkg.Signature;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;

/**
 * The monitored model of the log benchmark, built in code the way a training run stores its reference
 * (as cairn-monitor's LogFixture does): the signature of the 20 inputs (domains for the categories,
 * ranges for the numbers), the profile of a training-like sample, the validation rows' labels and scores
 * (what CBPE calibrates against) and the multivariate (PCA reconstruction) reference fitted on the sample,
 * so every metric a trained model gets is computed.
 */
final class ReferenceModel {
    private ReferenceModel() {}

    static Signature signature() {
        return new Signature(SyntheticLog.features(SyntheticLog.REFERENCE_SEED).stream().map(SyntheticLog.Feature::field).toList(),
                OutputSpec.binary("class", SyntheticLog.NEGATIVE, SyntheticLog.POSITIVE));
    }

    static MonitoredModel build(Path work, long referenceRows, int validationRows) throws Exception {
        Path sample = work.resolve("reference-" + referenceRows + ".parquet");
        if (!Files.exists(sample)) SyntheticLog.writeFile(SyntheticLog.labelled(SyntheticLog.REFERENCE_SEED, referenceRows, false), sample, "parquet");
        DatasetProfile profile = new DataValidation().profile(DataValidation.file(sample));
        String multivariate;
        try (LoadedTable table = DataReader.open(DataValidation.file(sample))) {
            multivariate = ReconstructionDrift.fit(table, signature().inputNames(), ReconstructionDrift.DEFAULT_CHUNKS).toJson();
        }
        double[] labels = new double[validationRows];
        double[] scores = new double[validationRows];
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT class = 'good', score FROM (" + SyntheticLog.labelled(SyntheticLog.VALIDATION_SEED,
                     validationRows, true) + ")")) {
            for (int i = 0; r.next(); i++) {
                labels[i] = r.getBoolean(1) ? 1 : 0;
                scores[i] = r.getDouble(2);
            }
        }
        return new MonitoredModel(SyntheticLog.MODEL, SyntheticLog.VERSION, signature(), 0.5, profile,
                new MonitoredModel.ReferencePredictions(labels, scores), multivariate);
    }

    static List<String> inputNames() {
        return signature().inputNames();
    }
}
