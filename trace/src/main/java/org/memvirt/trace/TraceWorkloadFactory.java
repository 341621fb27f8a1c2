package org.memvirt.trace;

import org.memvirt.api.SettingInfo;
import java.nio.file.Path;
import org.memvirt.api.Settings;
import org.memvirt.api.workload.Workload;
import org.memvirt.api.workload.WorkloadContext;
import org.memvirt.api.workload.WorkloadFactory;

/**
 * {@code workload: {type: trace, path: "lackey:sort.lackey.gz", loop: false, offset: 0}}:
 * replays a recorded memory trace. The path resolves against the experiment file's
 * directory; its format comes from a prefix ({@code lackey:}, {@code mvt:}), else the
 * extension, else the content. {@code loop} starts the trace over at its end;
 * {@code offset} (page-aligned) shifts every address. The pace is the engine's
 * {@code rate} key.
 */
final class TraceWorkloadFactory implements WorkloadFactory {
  @Override
  public String name() {
    return "trace";
  }

  @Override
  public String description() {
    return "replays a valgrind lackey or memvirt binary trace (path, loop, offset)";
  }

  @Override
  public java.util.List<SettingInfo> settings() {
    return java.util.List.of(
        new SettingInfo("path", "lackey:../traces/sort.lackey.gz", "the trace file (required), resolved against the experiment's folder; lackey: or mvt: names the format"),
        new SettingInfo("loop", "false", "start over at the end instead of finishing"),
        new SettingInfo("offset", "0", "added to every address (hex or a size), to place copies apart"));
  }

  @Override
  public Workload create(WorkloadContext context) {
    Settings s = context.settings();
    String text = s.string("path", null);
    if (text == null || text.isBlank()) {
      throw s.invalid("path", "a trace file, e.g. lackey:sort.lackey.gz or sort.mvt");
    }
    TraceFormat.Spec spec = TraceFormat.Spec.parse(text);
    Path file = s.resolve("path", spec.file());
    if (!java.nio.file.Files.isRegularFile(file)) {
      throw s.invalid("path", "an existing trace file (" + file + " is not one)");
    }
    TraceFiles.requireAccesses(file, spec.format());
    boolean loop = s.flag("loop", false);
    long offset = s.address("offset", 0);
    if (offset % 4096 != 0 || offset >= TraceWorkload.USER_LIMIT) {
      throw s.invalid("offset", "a page-aligned offset below 2^47, like 0x100000000 or 4GiB");
    }
    return new TraceWorkload(() -> TraceFiles.open(file, spec.format()), loop, offset);
  }
}
