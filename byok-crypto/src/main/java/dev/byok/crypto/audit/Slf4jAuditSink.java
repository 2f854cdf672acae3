package dev.byok.crypto.audit;

import dev.byok.core.audit.AuditSink;
import dev.byok.core.audit.KeyUseEvent;
import dev.byok.core.internal.EventJson;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Writes each event as one line of JSON (always valid UTF-8) to an SLF4J logger, by default
 * {@code byok.audit} at INFO. The JSON is made only if the logger is enabled, and lazily, so an
 * asynchronous appender of the logging backend moves that work off the caller's thread; otherwise
 * {@link #emit} costs what the backend costs. Meant for development, or for shipping audit lines
 * with the application's logs. If the logger is disabled at that level when the sink is built, a
 * warning says so once: the logging configuration, not this sink, then discards the events.
 * Thread-safe.
 *
 * <p>The level is given as a {@link System.Logger.Level} (a JDK type, so that no SLF4J type is in
 * byok's API): {@code TRACE}, {@code DEBUG}, {@code INFO}, {@code WARNING} (SLF4J's {@code WARN})
 * or {@code ERROR}.
 *
 * <p>{@code AuditSink sink = Slf4jAuditSink.create();}
 */
public final class Slf4jAuditSink implements AuditSink {
  /** The default logger name. */
  public static final String DEFAULT_LOGGER = "byok.audit";

  private final Logger logger;
  private final Level level;

  private Slf4jAuditSink(Logger logger, Level level) {
    this.logger = logger;
    this.level = level;
    if (!logger.isEnabledForLevel(level)) {
      LoggerFactory.getLogger(Slf4jAuditSink.class).warn("audit events go to logger '{}' at {}, which the logging"
          + " configuration disables: they will not be recorded there", logger.getName(), level);
    }
  }

  /** Logs to {@value #DEFAULT_LOGGER} at INFO. */
  public static Slf4jAuditSink create() {
    return new Slf4jAuditSink(LoggerFactory.getLogger(DEFAULT_LOGGER), Level.INFO);
  }

  /**
   * Logs to the named logger at {@code level}.
   *
   * @throws IllegalArgumentException for {@code ALL} or {@code OFF}, which are not levels to log at
   */
  public static Slf4jAuditSink create(String loggerName, System.Logger.Level level) {
    Objects.requireNonNull(loggerName, "loggerName");
    Objects.requireNonNull(level, "level");
    return new Slf4jAuditSink(LoggerFactory.getLogger(loggerName), slf4jLevel(level));
  }

  private static Level slf4jLevel(System.Logger.Level level) {
    return switch (level) {
      case TRACE -> Level.TRACE;
      case DEBUG -> Level.DEBUG;
      case INFO -> Level.INFO;
      case WARNING -> Level.WARN;
      case ERROR -> Level.ERROR;
      case ALL, OFF -> throw new IllegalArgumentException("level: must be TRACE, DEBUG, INFO, WARNING or ERROR, got " + level);
    };
  }

  @Override
  public void emit(KeyUseEvent event) {
    Objects.requireNonNull(event, "event");
    if (logger.isEnabledForLevel(level)) {
      logger.atLevel(level).log("{}", new Line(event));
    }
  }

  /** Made into JSON only when the backend formats the message. */
  private static final class Line {
    private final KeyUseEvent event;

    Line(KeyUseEvent event) {
      this.event = event;
    }

    @Override
    public String toString() {
      return EventJson.write(event);
    }
  }

  @Override
  public String toString() {
    return "Slf4jAuditSink{" + logger.getName() + " at " + level + "}";
  }
}
