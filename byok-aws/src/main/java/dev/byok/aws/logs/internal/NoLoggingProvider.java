package dev.byok.aws.logs.internal;

import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.LoggerFactory;
import org.slf4j.helpers.NOPLoggerFactory;

/**
 * Without an SLF4J provider on the class path, every log line byok writes goes nowhere, among them
 * the errors that say audit events could not be delivered. Then byok says so on stderr, once per
 * JVM, and prints the lines that mean events are at risk (delivery to a tenant failing, events left
 * undelivered at close) on stderr too.
 */
public final class NoLoggingProvider {
  private static final AtomicBoolean SAID = new AtomicBoolean();

  private NoLoggingProvider() {}

  /** Whether SLF4J found no provider (it then discards everything). */
  public static boolean absent() {
    return LoggerFactory.getILoggerFactory() instanceof NOPLoggerFactory;
  }

  /** When there is no provider: says so on stderr, the first time only. */
  public static void noticeOnce() {
    if (absent() && SAID.compareAndSet(false, true)) {
      System.err.println("byok: no SLF4J logging provider is on the class path, so byok's warnings and errors are"
          + " logged nowhere; audit delivery problems are printed here on stderr instead. Add a provider (for"
          + " example org.slf4j:slf4j-simple, or logback-classic) to get them in your logs.");
    }
  }

  /** When there is no provider: prints {@code line} (a problem that puts audit events at risk) on stderr. */
  public static void important(String line) {
    if (absent()) {
      noticeOnce();
      System.err.println("byok: " + line);
    }
  }
}
