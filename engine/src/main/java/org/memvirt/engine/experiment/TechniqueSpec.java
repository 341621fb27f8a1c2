package org.memvirt.engine.experiment;

import org.memvirt.engine.config.ConfigSettings;

/** A named technique (a reclaimer, the policy) and its section, which the technique reads. */
public record TechniqueSpec(String name, ConfigSettings settings) {}
