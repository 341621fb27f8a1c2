package com.example.memvirt;

import org.memvirt.api.AccessKind;
import org.memvirt.api.SettingInfo;
import org.memvirt.api.Settings;
import org.memvirt.api.workload.AccessBatch;
import org.memvirt.api.workload.Workload;
import org.memvirt.api.workload.WorkloadContext;
import org.memvirt.api.workload.WorkloadFactory;

/**
 * {@code workload: {type: stride, footprint: 64MiB, stride: 4KiB}}: walks its footprint in
 * steps of {@code stride} bytes, writing every other access, round and round.
 */
public final class StrideWorkloadFactory implements WorkloadFactory {
  static final String NAME = "stride";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "walks the footprint in fixed steps";
  }

  /** The keys it reads, for `memvirt validate --reference`. */
  @Override
  public java.util.List<SettingInfo> settings() {
    return java.util.List.of(new SettingInfo("footprint", "64MiB", "bytes it walks over"),
        new SettingInfo("stride", "4KiB", "bytes per step"));
  }

  @Override
  public Workload create(WorkloadContext ctx) {
    Settings s = ctx.settings();
    long footprint = s.bytes("footprint", 64L << 20);
    long stride = s.bytes("stride", 4096);
    if (footprint < 8 || stride < 8 || stride > footprint) {
      throw s.invalid("stride", "a step from 8 bytes to the footprint (" + footprint + " bytes)");
    }
    long base = 0x1000_0000L;
    return new Workload() {
      long offset;
      long count;

      @Override
      public int next(AccessBatch batch) {
        for (int i = 0; i < batch.capacity(); i++) {
          batch.addresses[i] = base + offset;
          boolean write = (count++ & 1) == 0;
          batch.kinds[i] = (byte) (write ? AccessKind.WRITE : AccessKind.READ);
          batch.values[i] = write ? count : 0;
          offset = (offset + stride) % footprint;
        }
        return batch.capacity();
      }
    };
  }
}
