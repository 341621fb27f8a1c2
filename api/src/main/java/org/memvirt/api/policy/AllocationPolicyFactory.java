package org.memvirt.api.policy;

/** Makes the allocation policy of one run ({@code policy.type}). */
public interface AllocationPolicyFactory {
  /** The name an experiment selects this policy by ({@code policy.type}). */
  String name();

  /** A one-line description for {@code memvirt plugins}. */
  default String description() {
    return "";
  }

  /** The policy of one run. */
  AllocationPolicy create(PolicyContext context);
}
