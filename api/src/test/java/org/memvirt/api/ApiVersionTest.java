package org.memvirt.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ApiVersionTest {
  @Test
  void aPluginFitsWhenMajorsMatchAndItsMinorIsNotNewer() {
    assertThat(ApiVersion.incompatibility("0.1.0", "0.1.0")).isNull();
    assertThat(ApiVersion.incompatibility("1.2.0", "1.5.3")).isNull();
    assertThat(ApiVersion.incompatibility("1.6.0", "1.5.3")).contains("newer than the runtime's api 1.5.3");
    assertThat(ApiVersion.incompatibility("2.0.0", "1.5.3")).contains("major versions differ");
    assertThat(ApiVersion.incompatibility("x", "1.5.3")).contains("not of the form");
  }

  @Test
  void theRuntimeVersionIsTheCompiledOne() {
    assertThat(ApiVersion.runtime()).isEqualTo(ApiVersion.COMPILED);
  }
}
