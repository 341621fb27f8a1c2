package org.memvirt.workloads;

import org.memvirt.api.SettingInfo;
import org.memvirt.api.Settings;
import org.memvirt.api.workload.Workload;
import org.memvirt.api.workload.WorkloadContext;
import org.memvirt.api.workload.WorkloadFactory;

/**
 * {@code image}: memory holding an image, written once and then only read (see
 * {@link ImageWorkload}).
 *
 * <pre>
 * footprint: 64MiB    the image's size
 * image: base         its name: the same name is the same content, page for page, in every VM
 *                     (and what a synthetic workload's content.shared writes under that image)
 * zero: 0             fraction of the image's pages that are zeros
 * base: 0x10000000    first address
 * </pre>
 */
final class ImageWorkloadFactory implements WorkloadFactory {
  static final String NAME = "image";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "memory holding an image (kernel, libraries, page cache): written once, then only read";
  }

  @Override
  public java.util.List<SettingInfo> settings() {
    return java.util.List.of(
        new SettingInfo("footprint", "64MiB", "the image's size"),
        new SettingInfo("image", "base", "its name: the same name is the same content, page for page, in every VM"),
        new SettingInfo("zero", "0", "fraction of the image's pages that are zeros"),
        new SettingInfo("base", "0x10000000", "first address"));
  }

  @Override
  public long footprintBytes(Settings s) {
    try {
      return footprint(s);
    } catch (RuntimeException badSettings) {
      return -1;
    }
  }

  /** The image's size (64 MiB when not given). */
  private static long footprint(Settings s) {
    return s.pageBytes("footprint", 64L << 20);
  }

  @Override
  public Workload create(WorkloadContext context) {
    Settings s = context.settings();
    long footprint = footprint(s);
    if (footprint < 4096 || footprint % 4096 != 0) {
      throw s.invalid("footprint", "a whole number of 4 KiB pages, e.g. 64MiB");
    }
    double zero = s.fraction("zero", 0);
    long base = s.address("base", PatternWorkloadFactory.DATA_BASE);
    if (base % 4096 != 0 || base < PatternWorkloadFactory.CODE_BASE || base + footprint > (1L << 47)) {
      throw s.invalid("base", "a page-aligned address at or above 0x400000 within the 47-bit user space");
    }
    return new ImageWorkload(s.string("image", "base"), base, footprint / 4096, zero);
  }
}
