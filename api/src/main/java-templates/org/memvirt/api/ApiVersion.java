package org.memvirt.api;

/**
 * The version of this SPI, the compatibility contract between the engine and plugins.
 *
 * <p>{@link #COMPILED} is a compile-time constant, so a plugin that writes it into its
 * {@link PluginDescriptor} records the api version it was <em>compiled</em> against.
 * {@link #runtime()} reads the version of the api on the class path at run time. The
 * engine refuses a plugin whose major version differs, or whose minor version is newer
 * than the runtime's.
 */
public final class ApiVersion {
  /** The api version (this module's, filled in by the build), inlined into every class compiled against it. */
  public static final String COMPILED = "${project.version}";

  private static final String RUNTIME = String.valueOf(COMPILED.toCharArray());

  private ApiVersion() {}

  /** The version of the api that is loaded now (never inlined into callers). */
  public static String runtime() {
    return RUNTIME;
  }

  /**
   * Why a plugin compiled against {@code pluginApi} cannot run on {@code runtimeApi}, or
   * {@code null} when it can.
   */
  public static String incompatibility(String pluginApi, String runtimeApi) {
    int[] p = parse(pluginApi);
    int[] r = parse(runtimeApi);
    if (p == null) {
      return "api version '" + pluginApi + "' is not of the form MAJOR.MINOR.PATCH";
    }
    if (p[0] != r[0]) {
      return "built for api " + pluginApi + ", the runtime has api " + runtimeApi
          + " (major versions differ)";
    }
    if (p[1] > r[1]) {
      return "built for api " + pluginApi + ", newer than the runtime's api " + runtimeApi;
    }
    return null;
  }

  private static int[] parse(String v) {
    if (v == null || !v.matches("[0-9]+\\.[0-9]+(\\.[0-9]+)?")) {
      return null;
    }
    String[] parts = v.split("\\.");
    if (parts.length < 2 || parts.length > 3) {
      return null;
    }
    int[] out = new int[3];
    try {
      for (int i = 0; i < parts.length; i++) {
        out[i] = Integer.parseInt(parts[i]);
      }
    } catch (NumberFormatException e) {
      return null;
    }
    return out;
  }
}
