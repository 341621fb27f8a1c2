package org.memvirt.study;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.memvirt.api.MetricNames;
import org.memvirt.engine.experiment.Sweep;
import org.memvirt.engine.plugin.PluginRegistry;
import org.memvirt.engine.report.RunResult;
import org.memvirt.engine.run.Experiments;

/** A replicated sweep run as library code: by any executor, on any number of threads, the same. */
class SweepStudyTest {
  static final String SWEEP = """
      duration: 200ms
      host: {memory: 48MiB}
      vms:
        - name: web
          memory: 40MiB
          processes: [{workload: {type: zipf, footprint: [4MiB, 16MiB], writes: 0.3, rate: 1M/s}}]
      seed: [1, 2, 3]
      """;

  private static final PluginRegistry PLUGINS = PluginRegistry.discover();

  private static Sweep sweep() {
    return Experiments.parseSweep(SWEEP, "sweep.yaml");
  }

  @Test
  void theThreadsChangeNoResult() {
    SweepRun one = SweepStudy.run(sweep(), new LocalExecutor(PLUGINS, 1), new Stop(), (n, a) -> {});
    SweepRun two = SweepStudy.run(sweep(), new LocalExecutor(PLUGINS, 2), new Stop(), (n, a) -> {});
    assertThat(one.axes()).containsExactly("vms[0].processes[0].workload.footprint", "seed");
    assertThat(one.failed()).isFalse();
    assertThat(one.partial()).isFalse();
    for (int i = 0; i < 6; i++) {
      assertThat(two.results().get(i).vms().get(0).metrics()).isEqualTo(one.results().get(i).vms().get(0).metrics());
      assertThat(two.results().get(i).host()).isEqualTo(one.results().get(i).host());
    }
  }

  /** Another executor (here: one that runs the points last first, one at a time) gathers the same sweep. */
  @Test
  void anyExecutorThatRunsEachPointAsTheLocalOneGivesTheSameSweep() {
    StudyExecutor backwards = (points, stop, progress) -> {
      List<Sweep.Point> reversed = new ArrayList<>(points);
      Collections.reverse(reversed);
      List<PointOutcome> outcomes = new ArrayList<>();
      for (Sweep.Point p : reversed) {
        outcomes.add(new LocalExecutor(PLUGINS, 1).run(List.of(p), stop, progress).get(0));
      }
      Collections.reverse(outcomes);
      return outcomes;
    };
    SweepRun local = SweepStudy.run(sweep(), new LocalExecutor(PLUGINS, 2), new Stop(), (n, a) -> {});
    SweepRun other = SweepStudy.run(sweep(), backwards, new Stop(), (n, a) -> {});
    for (int i = 0; i < 6; i++) {
      assertThat(other.results().get(i).vms().get(0).metrics()).isEqualTo(local.results().get(i).vms().get(0).metrics());
    }
  }

  @Test
  void replicationsGroupTheSeedsOfEachSetting() {
    SweepRun run = SweepStudy.run(sweep(), new LocalExecutor(PLUGINS, 2), new Stop(), (n, a) -> {});
    Replications reps = new Replications(run);
    assertThat(reps.replicated()).isTrue();
    assertThat(reps.axes()).containsExactly("vms[0].processes[0].workload.footprint");
    assertThat(reps.groups()).hasSize(2);
    assertThat(reps.groups().get(0).points()).containsExactly(0, 1, 2);
    Replications.Estimate e = reps.estimate(reps.groups().get(1), "web", MetricNames.ACCESSES);
    assertThat(e.n()).isEqualTo(3);
    double mean = run.results().subList(3, 6).stream()
        .mapToLong(r -> r.vms().get(0).metrics().get(MetricNames.ACCESSES).longValue()).average().orElseThrow();
    assertThat(e.mean()).isEqualTo(mean);
    assertThat(reps.who(reps.groups().get(0), true)).containsExactly("web", Replications.HOST);
  }

  @Test
  void aStopBeforeTheStartRunsNoPoint() {
    Stop stop = new Stop();
    stop.request("stopped before it began");
    SweepRun run = SweepStudy.run(sweep(), new LocalExecutor(PLUGINS, 2), stop, (n, a) -> {});
    assertThat(run.results()).containsOnlyNulls();
    assertThat(run.partial()).isTrue();
    assertThat(stop.reason()).isEqualTo("stopped before it began");
  }

  /** A point whose machine cannot be made fails alone, in one line; the others run. */
  @Test
  void aPointThatFailsFailsAlone() {
    Sweep s = Experiments.parseSweep("""
        duration: 200ms
        host: {memory: 48MiB}
        vms:
          - name: web
            memory: 40MiB
            processes: [{workload: {type: sequential, footprint: [4MiB, 30MiB], writes: 1, stride: 4KiB, rate: 1M/s}}]
          - name: db
            memory: 40MiB
            processes: [{workload: {type: sequential, footprint: 30MiB, writes: 1, stride: 4KiB, rate: 1M/s}}]
        seed: [1, 2, 3]
        """, "fails.yaml");
    SweepRun run = SweepStudy.run(s, new LocalExecutor(PLUGINS, 2), new Stop(), (n, a) -> {});
    assertThat(run.failed()).isTrue();
    assertThat(run.failures().subList(0, 3)).containsOnlyNulls();
    assertThat(run.failures().subList(3, 6)).allSatisfy(f -> assertThat(f).startsWith("host out of memory").doesNotContain("\n"));
    RunResult first = run.results().get(0);
    assertThat(first.vms().get(0).metrics().get(MetricNames.ACCESSES).longValue()).isPositive();
  }
}
