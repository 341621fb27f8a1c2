package org.memvirt.engine.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UnitsTest {
  @Test
  void sizesAsPeopleWriteThem() {
    assertThat(Units.bytes("4096")).isEqualTo(4096L);
    assertThat(Units.bytes("4KiB")).isEqualTo(4096L);
    assertThat(Units.bytes("512MiB")).isEqualTo(512L << 20);
    assertThat(Units.bytes("8GiB")).isEqualTo(8L << 30);
    assertThat(Units.bytes("1.5GiB")).isEqualTo(3L << 29);
    assertThat(Units.bytes("2 GB")).isEqualTo(2_000_000_000L);
    assertThat(Units.bytes("12XB")).isNull();
    assertThat(Units.bytes("-1GiB")).isNull();
    assertThat(Units.bytes("0.3B")).isNull();
  }

  @Test
  void durationsRatesAndCounts() {
    assertThat(Units.durationNanos("30s")).isEqualTo(30_000_000_000L);
    assertThat(Units.durationNanos("15ms")).isEqualTo(15_000_000L);
    assertThat(Units.durationNanos("2min")).isEqualTo(120_000_000_000L);
    assertThat(Units.durationNanos("30")).isNull();
    assertThat(Units.ratePerSecond("100M/s")).isEqualTo(1e8);
    assertThat(Units.ratePerSecond("250/s")).isEqualTo(250.0);
    assertThat(Units.ratePerSecond("2K/ms")).isEqualTo(2e6);
    assertThat(Units.ratePerSecond("100M")).isNull();
    assertThat(Units.count("10M")).isEqualTo(10_000_000L);
    assertThat(Units.count("1.5")).isNull();
  }

  @Test
  void formatsExactUnits() {
    assertThat(Units.formatBytes(2L << 30)).isEqualTo("2GiB");
    assertThat(Units.formatBytes(3L << 19)).isEqualTo("1536KiB");
    assertThat(Units.formatDuration(15_000_000L)).isEqualTo("15ms");
  }
}
