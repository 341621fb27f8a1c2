package org.memvirt.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.memvirt.engine.sim.Experiment;
import org.memvirt.engine.sim.RunResult;

/**
 * The summary as JSON: {@code {"experiment": {...}, "host": {...}, "vms": [{"name": ...,
 * "metrics": {...}, "vcpus": [{...}]}]}}, keys in a stable order so that equal runs print
 * equal bytes.
 */
final class ResultJson {
  private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ResultJson() {}

  static String render(RunResult r, Experiment e) {
    Map<String, Object> doc = new LinkedHashMap<>();
    Map<String, Object> exp = new LinkedHashMap<>();
    exp.put("name", r.experiment());
    exp.put("seed", r.seed());
    exp.put("mmu", r.mmu());
    exp.put("duration_ns", e.durationNanos);
    exp.put("simulated_ns", r.simulatedNanos());
    doc.put("experiment", exp);
    doc.put("host", r.host());
    List<Object> vms = new ArrayList<>();
    for (RunResult.VmResult v : r.vms()) {
      Map<String, Object> vm = new LinkedHashMap<>();
      vm.put("name", v.name());
      vm.put("metrics", v.metrics());
      vm.put("vcpus", v.vcpus());
      vms.add(vm);
    }
    doc.put("vms", vms);
    try {
      return MAPPER.writeValueAsString(doc) + System.lineSeparator();
    } catch (JsonProcessingException ex) {
      throw new IllegalStateException(ex);
    }
  }
}
