/** Allocation policy: how much host memory each VM should have. */
package org.memvirt.api.policy;
