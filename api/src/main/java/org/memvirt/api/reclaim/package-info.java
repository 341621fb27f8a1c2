/**
 * Reclamation: how the hypervisor takes host memory back from VMs when it is overcommitted
 * (ballooning, hypervisor swapping, content-based page sharing, ...).
 */
package org.memvirt.api.reclaim;
