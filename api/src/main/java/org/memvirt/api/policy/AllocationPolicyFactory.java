package org.memvirt.api.policy;

import org.memvirt.api.TechniqueFactory;

/** Makes the allocation policy of one run ({@code policy.type}). */
public interface AllocationPolicyFactory extends TechniqueFactory {
  /** The policy of one run. */
  AllocationPolicy create(PolicyContext context);
}
