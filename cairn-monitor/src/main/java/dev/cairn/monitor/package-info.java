/**
 * Monitoring: windows over what a deployment predicted (the prediction log of every server, and batch
 * scoring outputs written in the same layout), what is computed per window (input and prediction drift,
 * multivariate drift, data quality against the model's signature, volume and latency, realized
 * performance once labels arrive, CBPE-estimated performance before), and alert rules with their delivery.
 * The service is {@link dev.cairn.monitor.Monitoring}; the server and the CLI only adapt it.
 */
package dev.cairn.monitor;
