/**
 * Running experiments: the entry points for library users are
 * {@link org.memvirt.engine.sim.Experiments} (parse or load an experiment, expand a sweep,
 * validate, run), {@link org.memvirt.engine.sim.Simulation} (step a run, follow its
 * progress, stop it) and {@link org.memvirt.engine.sim.RunResult}. The package's other
 * public types ({@code Experiment}, {@code Sweep}, {@code CostModel},
 * {@code MetricCatalog}) are what those return and describe.
 */
package org.memvirt.engine.sim;
