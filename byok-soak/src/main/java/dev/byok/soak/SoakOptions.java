package dev.byok.soak;

import java.util.Locale;

/**
 * The soak's command line: {@code [--minutes N] [--tenants N] [--threads N] [--seed S]}.
 *
 * @param minutes the run's length after set-up (a fault-free baseline, then the faults); may be
 *     fractional, e.g. 0.5
 * @param tenants tenants on the emulators, each with its own key, role and log group
 * @param threads the vendor's worker threads
 * @param seed the seed of every random choice (workload, faults, customer actions)
 */
record SoakOptions(double minutes, int tenants, int threads, long seed) {
  static final String USAGE = "usage: scripts/soak [--minutes N] [--tenants N] [--threads N] [--seed S]";

  SoakOptions {
    if (!(minutes >= 0.5 && minutes <= 24 * 60)) {
      throw new IllegalArgumentException("--minutes: expected 0.5 to 1440, got " + minutes);
    }
    if (tenants < 2 || tenants > 500) {
      throw new IllegalArgumentException("--tenants: expected 2 to 500, got " + tenants);
    }
    if (threads < 1 || threads > 64) {
      throw new IllegalArgumentException("--threads: expected 1 to 64, got " + threads);
    }
  }

  static SoakOptions parse(String... args) {
    double minutes = 30;
    int tenants = 50;
    int threads = 4;
    long seed = 1;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(a.startsWith("--") ? a + ": missing value" : "unexpected argument '" + a + "'");
      }
      String v = args[++i];
      try {
        switch (a) {
          case "--minutes" -> minutes = Double.parseDouble(v);
          case "--tenants" -> tenants = Integer.parseInt(v);
          case "--threads" -> threads = Integer.parseInt(v);
          case "--seed" -> seed = Long.parseLong(v);
          default -> throw new IllegalArgumentException("unknown option '" + a + "'");
        }
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(a + ": not a number: '" + v + "'");
      }
    }
    return new SoakOptions(minutes, tenants, threads, seed);
  }

  /** The minutes as the result line shows them: {@code 2}, {@code 0.5}. */
  String minutesText() {
    return minutes == Math.rint(minutes) ? Long.toString((long) minutes) : String.format(Locale.ROOT, "%.2f", minutes);
  }
}
