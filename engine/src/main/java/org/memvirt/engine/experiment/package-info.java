/**
 * What an experiment says: its model ({@link org.memvirt.engine.experiment.Experiment} and its
 * spec records), sweeps ({@link org.memvirt.engine.experiment.Sweep}), seeds, the cost model,
 * the heap estimate and the reference of every key.
 */
package org.memvirt.engine.experiment;
