/**
 * The monitoring report of one deployment over a period: {@link dev.cairn.monitor.report.MonitoringReport}
 * (the input, and its JSON form), rendered by {@link dev.cairn.monitor.report.MonitoringReportHtml} as one
 * self-contained HTML page (inline CSS and SVG, no script, readable offline) in the manner of Evidently's
 * reports, and written as an HTML and JSON pair by {@link dev.cairn.monitor.report.MonitoringReportWriter}.
 */
package dev.cairn.monitor.report;
