package org.memvirt.workloads;

import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.simple.RandomSource;
import java.util.List;
import org.memvirt.api.SettingInfo;
import org.memvirt.api.Settings;
import org.memvirt.api.workload.Workload;
import org.memvirt.api.workload.WorkloadContext;
import org.memvirt.api.workload.WorkloadFactory;

/**
 * A synthetic workload type: the keys every pattern shares, and its pattern.
 *
 * <pre>
 * footprint: 256MiB   data bytes the process touches
 * writes: 0.3         fraction of data accesses that are writes
 * fetches: 0          fraction of all accesses that are instruction fetches
 * code: 1MiB          size of the code region fetches come from
 * base: 0x10000000    first data address (code sits at 0x400000)
 * content: {zero: 0, shared: 0, image: base, compressed: 1}   what writes store (see ContentModel)
 * </pre>
 */
final class PatternWorkloadFactory implements WorkloadFactory {
  static final long CODE_BASE = 0x40_0000L;
  static final long DATA_BASE = 0x1000_0000L;

  private final String name;
  private final String description;
  private final PatternMaker maker;
  private final List<SettingInfo> patternSettings;

  PatternWorkloadFactory(String name, String description, PatternMaker maker, SettingInfo... patternSettings) {
    this.name = name;
    this.description = description;
    this.maker = maker;
    this.patternSettings = List.of(patternSettings);
  }

  /** The keys every pattern shares, then the pattern's own. */
  @Override
  public List<SettingInfo> settings() {
    List<SettingInfo> all = new java.util.ArrayList<>(List.of(
        new SettingInfo("footprint", "256MiB", "data bytes the process touches"),
        new SettingInfo("writes", "0.3", "fraction of data accesses that write"),
        new SettingInfo("fetches", "0", "fraction of accesses that are instruction fetches"),
        new SettingInfo("code", "1MiB", "size of the code region the fetches come from (at 0x400000)"),
        new SettingInfo("base", "0x10000000", "first data address, page-aligned: hex or a size")));
    all.addAll(patternSettings);
    all.addAll(List.of(
        new SettingInfo("content.zero", "0", "fraction of pages written with zeros"),
        new SettingInfo("content.shared", "0", "fraction written with the content every process of the image writes"),
        new SettingInfo("content.image", "base", "the name of that image"),
        new SettingInfo("content.compressed", "1", "what non-zero content compresses to, a fraction of a page (1: not at all)")));
    return all;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String description() {
    return description;
  }

  /** Its data and its code: what it touches at most (a phase pattern touches less at a time). */
  @Override
  public long footprintBytes(Settings s) {
    try {
      return Math.addExact(footprint(s), code(s));
    } catch (RuntimeException badSettings) {
      return -1;
    }
  }

  /** Data bytes the process touches (256 MiB when not given). */
  private static long footprint(Settings s) {
    return s.pageBytes("footprint", 256L << 20);
  }

  /** Bytes of code it fetches from (1 MiB when not given). */
  private static long code(Settings s) {
    return s.pageBytes("code", 1L << 20);
  }

  @Override
  public Workload create(WorkloadContext context) {
    Settings s = context.settings();
    long footprint = footprint(s);
    if (footprint < 4096) {
      throw s.invalid("footprint", "a size of at least one 4 KiB page, e.g. 512MiB");
    }
    // What the guest can hold at once: its memory and its swap device. More can never fit.
    long room = context.vmMemoryBytes() + context.vmSwapBytes();
    if (footprint > room) {
      throw s.invalid("footprint", "at most the VM's memory plus its guest swap (" + (room >> 20)
          + " MiB); raise vms[i].memory or vms[i].guest.swap");
    }
    double writes = s.fraction("writes", 0.3);
    double fetches = s.fraction("fetches", 0);
    long code = code(s);
    if (code < 4096) {
      throw s.invalid("code", "a size of at least one 4 KiB page");
    }
    long base = s.address("base", DATA_BASE);
    if (base % 4096 != 0) {
      throw s.invalid("base", "a page-aligned address like 0x10000000");
    }
    if (base < CODE_BASE + code && base + footprint > CODE_BASE) {
      throw s.invalid("base", "a data region that does not overlap the code region at 0x400000");
    }
    if (base + footprint > (1L << 47)) {
      throw s.invalid("base", "an address range within the 47-bit user address space");
    }
    UniformRandomProvider random = RandomSource.XO_RO_SHI_RO_128_PP.create(context.seed());
    ContentModel content = new ContentModel(s.section("content"), context.seed());
    AccessPattern pattern = maker.make(s, random, footprint);
    return new SyntheticWorkload(pattern, random, content, base, CODE_BASE, code, writes, fetches);
  }
}
