/**
 * Running experiments, the library's entry points: {@link org.memvirt.engine.run.Experiments}
 * (parse or load an experiment, expand a sweep, validate, run) and
 * {@link org.memvirt.engine.run.Simulation} (step a run, follow its progress, stop it).
 */
package org.memvirt.engine.run;
