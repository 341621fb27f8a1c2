package org.memvirt.trace;

import java.io.IOException;
import java.util.function.Supplier;
import org.memvirt.api.AccessKind;
import org.memvirt.api.memory.Content;
import org.memvirt.api.workload.AccessBatch;
import org.memvirt.api.workload.Workload;

/**
 * Replays a trace as a guest process's accesses. An access whose bytes cross a page
 * boundary becomes one access per page it touches, in address order (the first at the
 * traced address, the others at their page's start). Addresses are shifted by
 * {@code offset}. Writes store a token that depends only on the traced page and the
 * write's position in the trace, so guests replaying the same trace hold the same content.
 */
final class TraceWorkload implements Workload {
  /** User space of a 4-level x86-64 address space. */
  static final long USER_LIMIT = 1L << 47;

  private final Supplier<TraceReader> opener;
  private final boolean loop;
  private final long offset;
  private final TraceRecords records = new TraceRecords(4096);
  private TraceReader reader;
  private int cursor;
  private int count;
  private long recordsThisPass;
  private long writes;
  /** The pages still to emit of a record that crosses pages: next, last, and its kind. */
  private long pendingPage = -1;
  private long pendingLast;
  private byte pendingKind;

  TraceWorkload(Supplier<TraceReader> opener, boolean loop, long offset) {
    this.opener = opener;
    this.loop = loop;
    this.offset = offset;
    this.reader = opener.get();
  }

  @Override
  public int next(AccessBatch batch) {
    int n = 0;
    int capacity = batch.capacity();
    while (n < capacity) {
      if (pendingPage >= 0) {
        emit(batch, n++, pendingPage << 12, pendingKind);
        pendingPage = pendingPage == pendingLast ? -1 : pendingPage + 1;
        continue;
      }
      if (cursor == count && !refill()) {
        break;
      }
      long address = records.addresses[cursor];
      long last = (address + records.sizes[cursor] - 1) >>> 12;
      byte kind = records.kinds[cursor++];
      emit(batch, n++, address, kind);
      if (last != address >>> 12) {
        pendingPage = (address >>> 12) + 1;
        pendingLast = last;
        pendingKind = kind;
      }
    }
    return n;
  }

  private void emit(AccessBatch batch, int n, long address, byte traceKind) {
    long shifted = address + offset;
    if (shifted >= USER_LIMIT || shifted < 0) {
      throw new TraceFormatException(reader.origin() + ": address 0x" + Long.toHexString(address)
          + (offset == 0 ? "" : " + offset 0x" + Long.toHexString(offset))
          + " lies outside the 47-bit user address space");
    }
    byte kind = TraceKind.accessKind(traceKind);
    batch.addresses[n] = shifted;
    batch.kinds[n] = kind;
    batch.values[n] = kind == AccessKind.WRITE ? token(address >>> 12, ++writes) : 0;
  }

  /** Reads the next records, starting the trace over when looping; false at the end. */
  private boolean refill() {
    if (reader == null) {
      return false;
    }
    try {
      count = reader.read(records);
      if (count == 0 && loop && recordsThisPass > 0) {
        reader.close();
        reader = opener.get();
        recordsThisPass = 0;
        count = reader.read(records);
      }
    } catch (IOException e) {
      throw new TraceFormatException(reader.origin() + ": cannot read: " + e.getMessage());
    }
    cursor = 0;
    recordsThisPass += count;
    if (count == 0) {
      close();
      return false;
    }
    return true;
  }

  @Override
  public void close() {
    if (reader != null) {
      try {
        reader.close();
      } catch (IOException e) {
        // Read-only: nothing is lost by a failed close.
      }
      reader = null;
    }
  }

  /**
   * A non-zero 64-bit mix of page and write number (SplitMix64's finalizer). A trace says
   * nothing of its data: its pages are taken not to compress (documented default).
   */
  static long token(long page, long write) {
    long z = page * 0x9E3779B97F4A7C15L + write;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    z ^= z >>> 31;
    return Content.withCompressedSize(z, 1);
  }
}
