/**
 * Shadow paging: the hypervisor keeps, per guest page-table root, a shadow table mapping
 * guest virtual to host physical addresses that the hardware walks, and keeps it in step
 * with the guest's own tables by write-protecting them. Walks are native length; guest
 * page-table writes, CR3 loads and invlpg cost VM exits instead.
 */
package org.memvirt.mmu.shadow;
