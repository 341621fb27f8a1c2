/**
 * What a run reports: {@link org.memvirt.engine.report.RunResult} (samples, totals, derived
 * values) and {@link org.memvirt.engine.report.MetricCatalog}, every metric documented.
 */
package org.memvirt.engine.report;
