package org.memvirt.api.memory;

/**
 * Encoding of one P2M entry (guest physical page → its host state) in a {@code long}, so a
 * VM's whole map is one primitive array. Under nested paging this map <em>is</em> the
 * nested page table.
 *
 * <pre>
 *  bit 63      reserved for the engine (the allocation policy's own copy of the accessed bit)
 *  bit 62      accessed (the hardware A bit of the nested entry, as this reader last cleared it)
 *  bit 61      large: part of a 2 MiB host mapping (512 consecutive frames, 2 MiB aligned)
 *  bits 56-60  owner: the id of the reclamation technique holding the page (0 = engine)
 *  bits 52-55  state
 *  bits 0-51   value: a host frame number for MAPPED and SHARED, else the owner's cookie
 * </pre>
 */
public final class P2mEntry {
  private P2mEntry() {}

  /** No host backing yet: the first touch allocates a zeroed frame. */
  public static final int UNBACKED = 0;
  /** Backed by a private, writable host frame. */
  public static final int MAPPED = 1;
  /** Backed by a host frame shared copy-on-write: reads go through, a write faults. */
  public static final int SHARED = 2;
  /** Held by a swap technique; the value is its slot. */
  public static final int SWAPPED = 3;
  /** Taken by the balloon: the guest promised not to touch it; it reads as zeros. */
  public static final int BALLOONED = 4;
  /** Known to be all zeros with no frame behind it. */
  public static final int ZERO = 5;
  /** Held compressed by a technique (in a cache of frames it holds); the value is its cookie. */
  public static final int COMPRESSED = 6;
  /** Number of states (for arrays indexed by state). */
  public static final int STATES = 7;

  /** Bits of the value field. */
  public static final long VALUE_MASK = (1L << 52) - 1;
  private static final int STATE_SHIFT = 52;
  private static final int OWNER_SHIFT = 56;
  public static final long ACCESSED = 1L << 62;
  /** The entry is part of a 2 MiB host mapping: a nested walk ends one level early. */
  public static final long LARGE = 1L << 61;
  /** Largest owner id an entry can carry. */
  public static final int MAX_OWNER = 31;

  /** An entry of {@code state} with {@code value}, held by technique {@code owner}. */
  public static long of(int state, long value, int owner) {
    return ((long) owner << OWNER_SHIFT) | ((long) state << STATE_SHIFT) | (value & VALUE_MASK);
  }

  /** A private writable mapping of host frame {@code hppn}. */
  public static long mapped(long hppn) {
    return of(MAPPED, hppn, 0);
  }

  /** The state of an entry: one of the constants above. */
  public static int state(long entry) {
    return (int) (entry >>> STATE_SHIFT) & 0xF;
  }

  /** The id of the technique holding the page (0: the engine). */
  public static int owner(long entry) {
    return (int) (entry >>> OWNER_SHIFT) & 0x1F;
  }

  /** The host frame (MAPPED, SHARED) or the owner's cookie (other states). */
  public static long value(long entry) {
    return entry & VALUE_MASK;
  }

  /** Whether a read can use the entry's frame without a fault. */
  public static boolean readable(long entry) {
    int s = state(entry);
    return s == MAPPED || s == SHARED;
  }

  /** Whether a write can use the entry's frame without a fault. */
  public static boolean writable(long entry) {
    return state(entry) == MAPPED;
  }

  /** Whether the entry is part of a 2 MiB host mapping. */
  public static boolean large(long entry) {
    return (entry & LARGE) != 0;
  }

  /** Whether the hardware accessed bit is set. */
  public static boolean accessed(long entry) {
    return (entry & ACCESSED) != 0;
  }

  /** A state's name for messages. */
  public static String stateName(int state) {
    return switch (state) {
      case UNBACKED -> "unbacked";
      case MAPPED -> "mapped";
      case SHARED -> "shared";
      case SWAPPED -> "swapped";
      case BALLOONED -> "ballooned";
      case ZERO -> "zero";
      case COMPRESSED -> "compressed";
      default -> "state" + state;
    };
  }
}
