package org.memvirt.api.reclaim;

/** Makes the reclaimer of one run for one technique (named under {@code reclaim:}). */
public interface ReclaimerFactory {
  /** The name an experiment selects this technique by, e.g. {@code balloon}. */
  String name();

  /** A one-line description for {@code memvirt plugins}. */
  default String description() {
    return "";
  }

  Reclaimer create(ReclaimContext context);
}
