package org.memvirt.engine.guest;

/** A guest process: an address space rooted at a page-table page (what CR3 points to). */
public final class GuestProcess {
  private final int pid;
  private final long rootGppn;

  GuestProcess(int pid, long rootGppn) {
    this.pid = pid;
    this.rootGppn = rootGppn;
  }

  /** Index of the process in its guest. */
  public int pid() {
    return pid;
  }

  /** Guest physical page of the top-level table: the value of CR3 while it runs. */
  public long rootGppn() {
    return rootGppn;
  }
}
