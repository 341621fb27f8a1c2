package org.memvirt.study;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.memvirt.api.BadInputException;

/**
 * A service objective on a metric, as written on the command line: {@code METRIC<=X},
 * {@code METRIC>=X}, {@code METRIC<X} or {@code METRIC>X}. A VM metric holds for a run when
 * it holds for every VM; {@code host.METRIC} is the host's.
 */
public record Objective(String metric, boolean host, String op, double bound) {
  private static final Pattern FORM = Pattern.compile("\\s*([A-Za-z_.][A-Za-z0-9_.]*)\\s*(<=|>=|<|>)\\s*([-+0-9.eE]+)\\s*");

  public static Objective parse(String text) {
    Matcher m = FORM.matcher(text);
    if (!m.matches()) {
      throw new BadInputException("--objective " + text + ": expected METRIC<=VALUE, METRIC>=VALUE, METRIC<VALUE "
          + "or METRIC>VALUE, e.g. elapsed_slowdown<=1.2 or host.pswpin<=0");
    }
    double bound;
    try {
      bound = Double.parseDouble(m.group(3));
    } catch (NumberFormatException e) {
      throw new BadInputException("--objective " + text + ": expected a number after " + m.group(2) + ", got '"
          + m.group(3) + "'");
    }
    String metric = m.group(1);
    boolean host = metric.startsWith("host.");
    return new Objective(host ? metric.substring(5) : metric, host, m.group(2), bound);
  }

  public boolean holds(double value) {
    return switch (op) {
      case "<=" -> value <= bound;
      case ">=" -> value >= bound;
      case "<" -> value < bound;
      default -> value > bound;
    };
  }

  /** Whether {@code a} is worse than {@code b} for this objective (further from holding). */
  public boolean worse(double a, double b) {
    return op.startsWith("<") ? a > b : a < b;
  }

  @Override
  public String toString() {
    return (host ? "host." : "") + metric + " " + op + " " + String.format(Locale.ROOT, "%s", trim(bound));
  }

  public static String trim(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(Locale.ROOT, "%.4g", v);
  }
}
