package org.memvirt.engine.plugin;

import com.google.inject.CreationException;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.Module;
import com.google.inject.ProvisionException;
import com.google.inject.Stage;
import com.google.inject.spi.Message;
import com.google.inject.util.Types;
import java.util.Map;
import java.util.TreeMap;
import org.memvirt.api.Techniques;
import org.memvirt.api.mmu.MmuFactory;
import org.memvirt.api.policy.AllocationPolicyFactory;
import org.memvirt.api.reclaim.ReclaimerFactory;
import org.memvirt.api.workload.WorkloadFactory;

/**
 * One plugin wired alone: its Guice module beside the api's empty maps of factories. What it
 * binds must be what its descriptor says it provides, under the name each factory gives
 * itself ({@code name()}): the three are one name, and a plugin where they disagree is
 * refused in one line. A module that throws, or a factory that cannot be made, is refused
 * the same way, with Guice's first message only.
 */
final class PluginWiring {
  /** The factories a plugin binds, by {@code kind:name}, or why it cannot be wired (and the exception, if any). */
  record Result(Map<String, Object> factories, String problem, Throwable cause) {}

  private PluginWiring() {}

  @SuppressWarnings("unchecked")
  static Result wire(LoadedPlugin plugin) {
    Injector injector;
    try {
      Module declarations = binder -> {
        Techniques.mmus(binder);
        Techniques.workloads(binder);
        Techniques.reclaimers(binder);
        Techniques.policies(binder);
      };
      injector = Guice.createInjector(Stage.PRODUCTION, declarations, plugin.module());
    } catch (CreationException e) {
      Message m = e.getErrorMessages().iterator().next();
      return failed("its Guice module could not be wired: " + first(m), m.getCause() != null ? m.getCause() : e);
    } catch (RuntimeException | LinkageError e) {
      return failed("its Guice module could not be wired: " + oneLine(e), e);
    }
    Map<String, Object> factories = new TreeMap<>();
    for (Techniques.Kind kind : Techniques.Kind.values()) {
      Map<String, ?> bound;
      try {
        bound = (Map<String, ?>) injector.getInstance(Key.get(Types.mapOf(String.class, kind.factoryType())));
      } catch (ProvisionException e) {
        Message m = e.getErrorMessages().iterator().next();
        return failed("a " + kind.word() + " factory could not be made: " + first(m),
            m.getCause() != null ? m.getCause() : e);
      } catch (RuntimeException | LinkageError e) {
        return failed("a " + kind.word() + " factory could not be made: " + oneLine(e), e);
      }
      for (Map.Entry<String, ?> b : bound.entrySet()) {
        String provides = kind.provides(b.getKey());
        if (!plugin.descriptor().provides().contains(provides)) {
          return failed("binds " + provides + " without listing it in its descriptor's provides");
        }
        String name;
        try {
          name = name(b.getValue());
        } catch (RuntimeException | LinkageError e) {
          return failed("the factory bound as " + provides + " failed in name(): " + oneLine(e), e);
        }
        if (!b.getKey().equals(name)) {
          return failed("binds " + provides + " to a factory whose name() is '" + name
              + "'; the binding key, the factory's name() and provides must be one name");
        }
        factories.put(provides, b.getValue());
      }
    }
    for (String p : plugin.descriptor().provides()) {
      if (!factories.containsKey(p)) {
        return failed("lists " + p + " in its descriptor's provides but binds no factory under that name");
      }
    }
    return new Result(factories, null, null);
  }

  private static String name(Object factory) {
    if (factory instanceof MmuFactory f) {
      return f.name();
    } else if (factory instanceof ReclaimerFactory f) {
      return f.name();
    } else if (factory instanceof AllocationPolicyFactory f) {
      return f.name();
    }
    return ((WorkloadFactory) factory).name();
  }

  private static Result failed(String why) {
    return new Result(Map.of(), why, null);
  }

  private static Result failed(String why, Throwable cause) {
    return new Result(Map.of(), why, cause);
  }

  private static String first(Message m) {
    return m.getCause() != null ? oneLine(m.getCause()) : m.getMessage().lines().findFirst().orElse("");
  }

  static String oneLine(Throwable e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return m.lines().findFirst().orElse(m);
  }
}
