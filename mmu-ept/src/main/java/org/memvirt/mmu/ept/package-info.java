/**
 * Nested paging (Intel EPT, AMD NPT/RVI): the guest's own page tables map GVA to GPA and
 * the nested table (the VM's P2M) maps GPA to HPA; on a TLB miss the hardware walks both.
 */
package org.memvirt.mmu.ept;
