package org.memvirt.engine.sim;

import java.util.ArrayList;
import java.util.List;
import org.memvirt.api.reclaim.Reclaimer;
import org.memvirt.api.reclaim.VmMemory;

/**
 * A reclamation technique in one run: its name, its owner id in P2M entries, its views of
 * each VM and of host memory, and the reclaimer its factory made from them.
 */
final class Technique {
  final String name;
  final int id;
  final List<TechniqueView> views = new ArrayList<>();
  final TechniqueHost host;
  Reclaimer reclaimer;

  Technique(String name, int id, Hypervisor hypervisor, List<VirtualMachine> vms) {
    this.name = name;
    this.id = id;
    for (VirtualMachine vm : vms) {
      views.add(new TechniqueView(vm, hypervisor, id, label()));
    }
    this.host = new TechniqueHost(hypervisor, id, label());
  }

  /** How messages name it. */
  String label() {
    return "reclaim technique " + name;
  }

  TechniqueView view(VirtualMachine vm) {
    return views.get(vm.index());
  }

  List<VmMemory> vmViews() {
    return List.copyOf(views);
  }
}
