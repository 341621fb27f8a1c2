package org.memvirt.engine.plugin;

import java.io.IOException;
import java.net.URL;
import java.util.Collections;
import java.util.Enumeration;

/**
 * Parent of every external plugin's class loader: it serves the JDK, the api and what the
 * api exposes (Guice, jakarta.inject) from the application, and nothing else, so a plugin
 * cannot reach engine classes and brings its own copies of any other library.
 */
final class ApiOnlyClassLoader extends ClassLoader {
  private static final String[] SHARED = {
    "org.memvirt.api.", "com.google.inject.", "jakarta.inject.", "javax.inject.",
    "com.google.auto.service.", "org.aopalliance."
  };
  private final ClassLoader application;

  ApiOnlyClassLoader(ClassLoader application) {
    super(null);
    this.application = application;
  }

  @Override
  protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
    for (String prefix : SHARED) {
      if (name.startsWith(prefix)) {
        return application.loadClass(name);
      }
    }
    return super.loadClass(name, resolve);
  }

  @Override
  public URL getResource(String name) {
    return null;
  }

  @Override
  public Enumeration<URL> getResources(String name) throws IOException {
    return Collections.emptyEnumeration();
  }
}
