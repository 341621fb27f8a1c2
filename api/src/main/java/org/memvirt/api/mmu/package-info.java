/**
 * Translation: a named {@link org.memvirt.api.mmu.MmuFactory} makes one
 * {@link org.memvirt.api.mmu.Mmu} per VM, which makes one
 * {@link org.memvirt.api.mmu.VcpuMmu} per vCPU.
 */
package org.memvirt.api.mmu;
