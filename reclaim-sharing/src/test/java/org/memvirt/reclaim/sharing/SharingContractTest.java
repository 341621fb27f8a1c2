package org.memvirt.reclaim.sharing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.memvirt.testkit.MapSettings;
import org.memvirt.testkit.ReclaimerContract;

/** Sharing keeps the contract every technique keeps, with either scanner, salted or not; bad settings are refused. */
class SharingContractTest {
  static java.util.stream.Stream<Map<String, Object>> settings() {
    return java.util.stream.Stream.of(
        Map.of(),
        Map.of("salt", "vm", "scan_vm", "5000", "scan_total", "10000"),
        Map.of("scanner", "ksm"),
        Map.of("scanner", "ksm", "use_zero_pages", "true", "max_page_sharing", "2", "pages_to_scan", "1000"));
  }

  @ParameterizedTest
  @MethodSource("settings")
  void keepsTheContract(Map<String, Object> settings) {
    ReclaimerContract.Report r = ReclaimerContract.verify(new SharingReclaimerFactory(), settings);
    // Sharing frees on its own time, never on demand.
    assertThat(r.freed()).isZero();
    assertThat(r.pagesChecked()).isPositive();
  }

  @org.junit.jupiter.api.Test
  void refusesBadSettingsWithOneLine() {
    assertThatThrownBy(() -> SharingSettings.read(new MapSettings(Map.of("scanner", "tps"))))
        .hasMessageContaining("scanner");
    assertThatThrownBy(() -> SharingSettings.read(new MapSettings(Map.of("pages_to_scan", "10"))))
        .hasMessageContaining("pages_to_scan").hasMessageContaining("scanner: ksm");
    assertThatThrownBy(() -> SharingSettings.read(new MapSettings(Map.of("scanner", "ksm", "scan_vm", "10"))))
        .hasMessageContaining("scan_vm").hasMessageContaining("scanner: esx");
    assertThatThrownBy(() -> SharingSettings.read(new MapSettings(Map.of("scanner", "ksm", "max_page_sharing", "1"))))
        .hasMessageContaining("max_page_sharing");
    assertThatThrownBy(() -> SharingSettings.read(new MapSettings(Map.of("scan_total", "0"))))
        .hasMessageContaining("scan_total");
    assertThatThrownBy(() -> SharingSettings.read(new MapSettings(Map.of("scanner", "ksm", "sleep_millisecs", "0"))))
        .hasMessageContaining("sleep_millisecs");
    assertThatThrownBy(() -> new Rig(1, 8, Map.of("salt", "per-vm"))).hasMessageContaining("salt");
  }
}
