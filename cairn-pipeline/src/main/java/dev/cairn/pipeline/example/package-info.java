/**
 * The pipelines example: a shop's "master data" and the two pipelines that live on it.
 *
 * <h2>The master data</h2>
 * {@link dev.cairn.pipeline.example.MasterData} makes, in an SQLite file or a PostgreSQL database given by its JDBC
 * URL, the tables {@code customers} (credit-g's 1,000 applicants with their label) and {@code sales} (a seeded sales
 * history per customer whose habits relate, moderately, to the label), the view {@code customer_features} (one row
 * per customer: the application and the aggregates of the sales up to the data's as-of day) and the view
 * {@code training_examples} (the same with the label, where known). A simulated clock runs the shop day by day:
 * {@code advanceDay} appends the days' sales and reveals labels that came due, {@code addCustomers} registers
 * newcomers whose labels come later, and {@code switchDrift} makes the sales and the newcomers drift from a chosen
 * day, so that a model's inputs drift and its precision falls. Everything follows from the seed.
 *
 * <h2>The pipelines</h2>
 * Bundled next to these classes, as resources of this package:
 * <ul>
 *   <li>{@code nightly.yaml}: read {@code customer_features}, validate it against {@code schema.yaml} (SERVING),
 *       score every customer with {@code models:/credit-risk@champion} into {@code customer_scores};</li>
 *   <li>{@code retrain.yaml}: on a weekly schedule, a drift (input or channel) or precision alert, or by hand:
 *       read {@code training_examples} (one customer in five held out by id), validate (TRAINING), tune over
 *       {@code space.yaml}, evaluate precision against the champion on the holdout, register, then canary the
 *       blessed candidate and promote it if its gates hold, or release the very first model at once;</li>
 *   <li>{@code schema.yaml}: the reviewed schema and checks of the features (cairn-data's format);</li>
 *   <li>{@code space.yaml}: a small XGBoost search space (cairn-train's format);</li>
 *   <li>{@code credit-g.csv}: a copy of {@code examples/credit-risk/credit-g.csv}, the customers;</li>
 *   <li>{@code features.yaml}: the feature store's definitions over the same tables: the view {@code customer_profile}
 *       (the 20 attributes), the window aggregations {@code customer_sales} (count, sum and mean of the sales over 30
 *       and 90 days, return rate, online and instalment shares) and the service {@code credit_risk} using both;</li>
 *   <li>{@code train-features.yaml}: materialize those features into an online store, and train the good/bad model
 *       on the service's point-in-time training set for the labelled customers, then register it.</li>
 * </ul>
 * Both specs take the database as {@code ${params.database}}, by default {@code jdbc:sqlite:master.db} next to
 * the spec.
 */
package dev.cairn.pipeline.example;
