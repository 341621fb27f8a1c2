package org.memvirt.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.memvirt.engine.report.RunResult;
import org.memvirt.study.SweepRun;

/**
 * The summary as JSON: {@code {"experiment": {..., "partial": false}, "host": {...}, "vms": [{"name": ...,
 * "metrics": {...}, "vcpus": [{...}]}]}}, keys in a stable order so that equal runs print
 * equal bytes.
 */
final class ResultJson {
  private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ResultJson() {}

  static String render(RunResult r) {
    return render(r, null);
  }

  /**
   * With {@code incomplete} (why the folder's writing failed part way, or null), the summary
   * says it is partial and why.
   */
  static String render(RunResult r, String incomplete) {
    return text(document(r, incomplete));
  }

  /** A sweep: {@code {"axes": [...], "points": [{"index":, "settings": {...}, "result": {...}}]}}. */
  static String render(SweepRun sweep) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("axes", sweep.axes());
    doc.put("partial", sweep.partial());
    List<Object> points = new ArrayList<>();
    for (int i = 0; i < sweep.points().size(); i++) {
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("index", i);
      p.put("settings", sweep.points().get(i).settings());
      RunResult r = sweep.results().get(i);
      p.put("result", r == null ? null : document(r, null));
      points.add(p);
    }
    doc.put("points", points);
    return text(doc);
  }

  private static String text(Object doc) {
    try {
      return MAPPER.writeValueAsString(doc) + System.lineSeparator();
    } catch (JsonProcessingException ex) {
      throw new IllegalStateException(ex);
    }
  }

  private static Map<String, Object> document(RunResult r, String incomplete) {
    Map<String, Object> doc = new LinkedHashMap<>();
    Map<String, Object> exp = new LinkedHashMap<>();
    exp.put("name", r.experiment());
    exp.put("seed", r.seed());
    exp.put("mmu", r.mmu());
    exp.put("duration_ns", r.durationNanos());
    exp.put("simulated_ns", r.simulatedNanos());
    exp.put("warm_up_ns", r.warmUpNanos());
    exp.put("partial", r.partial() || incomplete != null);
    if (r.failure() != null) {
      exp.put("failure", r.failure());
    }
    if (incomplete != null) {
      exp.put("incomplete_output", incomplete);
    }
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
    return doc;
  }
}
