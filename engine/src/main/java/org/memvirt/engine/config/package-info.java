/**
 * Reading experiment files: the YAML tree that keeps each value's line
 * ({@link org.memvirt.engine.config.ConfigNode}, what {@code Experiments.tree} returns),
 * units, a technique's settings, command-line overrides, and the kinds of path an output
 * may replace ({@link org.memvirt.engine.config.PathKind}).
 */
package org.memvirt.engine.config;
