package org.memvirt.api;

/**
 * One documented key of a technique's settings: its path in the technique's section (a dot
 * for a nested section: {@code sample.period}), the value the reference shows, what it
 * means (with the source of the default), and whether the reference shows it as a live key
 * (its default) or as a comment (a key without a default, or one of another mode, such as
 * KSM's keys beside ESX's). {@code memvirt validate --reference} assembles the experiment
 * reference from every installed technique's list.
 */
public record SettingInfo(String key, String value, String meaning, boolean live) {
  /** A key shown live with its default. */
  public SettingInfo(String key, String value, String meaning) {
    this(key, value, meaning, true);
  }

  /** A key shown as a comment, with an example value: no default, or another mode's. */
  public static SettingInfo example(String key, String value, String meaning) {
    return new SettingInfo(key, value, meaning, false);
  }
}
