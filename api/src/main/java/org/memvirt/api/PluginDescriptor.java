package org.memvirt.api;

import java.util.List;
import java.util.Objects;

/**
 * Identity of a plugin: its id, its own version, the api version it was compiled against
 * (pass {@link ApiVersion#COMPILED}) and the techniques it provides, each written
 * {@code kind:name} with a kind from {@link Techniques.Kind}, for example {@code mmu:ept}.
 */
public record PluginDescriptor(String id, String version, String apiVersion, List<String> provides) {
  public PluginDescriptor {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(apiVersion, "apiVersion");
    provides = List.copyOf(provides);
  }
}
