package org.memvirt.policy.shares;

import org.memvirt.api.policy.AllocationPolicy;
import org.memvirt.api.policy.AllocationPolicyFactory;
import org.memvirt.api.policy.PolicyContext;

/** {@code policy: {type: static}}: fixed partitions, no overcommitment. */
public final class StaticPolicyFactory implements AllocationPolicyFactory {
  static final String NAME = "static";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "fixed partitioning: every VM gets its configured memory, a host that cannot hold them is refused";
  }

  @Override
  public AllocationPolicy create(PolicyContext context) {
    return new StaticPolicy(context);
  }
}
