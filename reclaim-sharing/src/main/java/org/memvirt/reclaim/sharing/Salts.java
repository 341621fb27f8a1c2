package org.memvirt.reclaim.sharing;

import java.util.List;
import org.memvirt.api.Settings;
import org.memvirt.api.reclaim.VmMemory;

/**
 * Each VM's salt (ESXi 6+, VMware KB 2097593): two pages are shared only when their
 * content and their VMs' salts match. {@code salt: none} gives every VM the same salt
 * (sharing across VMs, as before ESXi 6); {@code salt: vm} gives each its own (sharing
 * within a VM only: ESXi's default, {@code Mem.ShareForceSalting} 2 with no salt set).
 * A VM's own {@code salt: VALUE} overrides either (ESXi's {@code sched.mem.pshare.salt}):
 * VMs with the same value share with each other.
 */
final class Salts {
  private final long[] salts;

  private Salts(long[] salts) {
    this.salts = salts;
  }

  static Salts read(Settings section, List<VmMemory> vms) {
    String mode = section.choice("salt", "none", "none", "vm");
    long[] salts = new long[vms.size()];
    for (VmMemory vm : vms) {
      String own = vm.settings().string("salt", null);
      if (own != null) {
        if (own.isBlank()) {
          throw vm.settings().invalid("salt", "a salt value (any word or number); VMs with the same salt share pages");
        }
        salts[vm.index()] = fnv64(own);
      } else {
        salts[vm.index()] = mode.equals("vm") ? fnv64("vm#" + vm.index()) : 0;
      }
    }
    return new Salts(salts);
  }

  long of(int vm) {
    return salts[vm];
  }

  /** FNV-1a over the characters: a salt value from what the experiment wrote. */
  private static long fnv64(String s) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < s.length(); i++) {
      h = (h ^ s.charAt(i)) * 0x100000001b3L;
    }
    return h == 0 ? 1 : h;
  }
}
