package org.memvirt.engine.sim;

import java.util.List;

/**
 * The vCPUs that have work left, the one furthest behind in simulated time first (ties: the
 * one built first), as a binary heap: choosing the next vCPU to run costs log(vCPUs), not a
 * scan of them all, so idle VMs cost nothing per step. Only the vCPU at the front runs, so
 * only its time moves: {@link #ranFront} puts it back in place.
 */
final class VcpuQueue {
  private final Vcpu[] heap;
  private final int[] order;
  private int size;

  VcpuQueue(List<Vcpu> vcpus) {
    heap = new Vcpu[vcpus.size()];
    order = new int[vcpus.size()];
    for (int i = 0; i < vcpus.size(); i++) {
      if (!vcpus.get(i).finished()) {
        heap[size] = vcpus.get(i);
        order[size] = i;
        siftUp(size++);
      }
    }
  }

  /** The vCPU furthest behind, or null when every vCPU has finished. */
  Vcpu front() {
    return size == 0 ? null : heap[0];
  }

  /** The front vCPU ran (or waited): its time moved on, or it finished. */
  void ranFront() {
    if (heap[0].finished()) {
      size--;
      heap[0] = heap[size];
      order[0] = order[size];
      heap[size] = null;
    }
    if (size > 0) {
      siftDown(0);
    }
  }

  private boolean before(int a, int b) {
    double ta = heap[a].time();
    double tb = heap[b].time();
    return ta < tb || (ta == tb && order[a] < order[b]);
  }

  private void siftUp(int i) {
    while (i > 0) {
      int parent = (i - 1) / 2;
      if (!before(i, parent)) {
        return;
      }
      swap(i, parent);
      i = parent;
    }
  }

  private void siftDown(int i) {
    while (true) {
      int left = 2 * i + 1;
      if (left >= size) {
        return;
      }
      int child = left + 1 < size && before(left + 1, left) ? left + 1 : left;
      if (!before(child, i)) {
        return;
      }
      swap(i, child);
      i = child;
    }
  }

  private void swap(int a, int b) {
    Vcpu v = heap[a];
    heap[a] = heap[b];
    heap[b] = v;
    int o = order[a];
    order[a] = order[b];
    order[b] = o;
  }
}
