package org.memvirt.api.mmu;

import org.memvirt.api.TechniqueFactory;

/** Makes the MMU of each VM for one translation technique ({@code mmu.type}). */
public interface MmuFactory extends TechniqueFactory {
  /** The MMU of one VM. Reads its settings from {@link MmuContext#settings()}. */
  Mmu create(MmuContext context);
}
