package org.memvirt.engine.guest;

/** A guest process: an address space rooted at a page-table page (what CR3 points to). */
public final class GuestProcess {
  private final int pid;
  private final long rootGppn;
  private final boolean largePages;

  GuestProcess(int pid, long rootGppn, boolean largePages) {
    this.pid = pid;
    this.rootGppn = rootGppn;
    this.largePages = largePages;
  }

  /** Whether its memory is mapped with the guest's 2 MiB pages while any are free (hugetlbfs). */
  public boolean largePages() {
    return largePages;
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
