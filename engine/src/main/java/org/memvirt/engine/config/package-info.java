/**
 * Reading experiment files: YAML trees that keep each value's line, units, a technique's
 * settings, command-line overrides, path kinds.
 * Internal: public only because the engine's packages use each other, and free to change
 * between any two versions; library users start from {@link org.memvirt.engine.run}.
 */
package org.memvirt.engine.config;
