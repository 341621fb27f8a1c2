package org.memvirt.api.policy;

/** Makes the allocation policy of one run ({@code policy.type}). */
public interface AllocationPolicyFactory {
  String name();

  default String description() {
    return "";
  }

  AllocationPolicy create(PolicyContext context);
}
