package org.memvirt.engine.plugin;

/** A jar or provider the registry refused, and why (one line). */
public record RefusedPlugin(String source, String reason) {}
