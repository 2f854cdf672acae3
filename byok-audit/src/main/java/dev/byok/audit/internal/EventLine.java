package dev.byok.audit.internal;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.byok.core.audit.KeyUseEvent;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One line of the vendor's audit log (the format of {@code docs/audit-events.md}), bound by
 * Jackson. Fields this reader does not know are collected, not refused: the format lets new
 * optional fields appear. {@link #parse} validates and turns a line into a {@link KeyUseEvent}.
 * Not thread-safe (a binding target); {@link #parse} is.
 */
@JsonIgnoreProperties(value = {"truncated"})
public final class EventLine {
  private static final ObjectReader READER = CloudTrailLogReader.MAPPER.readerFor(EventLine.class);

  public String eventId;
  public String time;
  public String tenant;
  public String operation;
  public String keyArn;
  public String reasonCode;
  public String reasonDetail;
  public String actor;
  public Map<String, String> encryptionContext;
  public String messageId;
  public String dataKeySource;
  public String kmsRequestId;
  public String outcome;
  public String error;
  private Set<String> unknown;

  @JsonAnySetter
  void unknownField(String name, Object value) {
    if (unknown == null) {
      unknown = new TreeSet<>();
    }
    unknown.add(name);
  }

  /** A line that is not an audit event, with the reason. */
  public static final class MalformedEventException extends Exception {
    private static final long serialVersionUID = 1L;

    MalformedEventException(String reason, Throwable cause) {
      super(reason, cause);
    }
  }

  /** A parsed event and the names of the fields of its line that this reader does not know. */
  public record Parsed(KeyUseEvent event, Set<String> unknownFields) {}

  /**
   * Parses one line.
   *
   * @throws MalformedEventException naming what is wrong: not JSON, not an object, a required field
   *     ({@code eventId}, {@code time}, {@code tenant}, {@code operation}) missing, or a value not of
   *     the format
   */
  public static Parsed parse(String line) throws MalformedEventException {
    EventLine l;
    try {
      l = READER.readValue(line);
    } catch (JsonProcessingException e) {
      throw new MalformedEventException("not an audit event (JSON object): " + e.getOriginalMessage(), e);
    }
    if (l == null) {
      throw new MalformedEventException("not an audit event: null", null);
    }
    KeyUseEvent.Builder b = KeyUseEvent.builder()
        .eventId(required(l.eventId, "eventId"))
        .tenant(required(l.tenant, "tenant"))
        .time(instant(required(l.time, "time")))
        .operation(enumValue(KeyUseEvent.Operation.class, required(l.operation, "operation"), "operation"))
        .keyArn(l.keyArn).reasonCode(l.reasonCode).reasonDetail(l.reasonDetail).actor(l.actor)
        .messageId(l.messageId).kmsRequestId(l.kmsRequestId).error(l.error);
    if (l.encryptionContext != null) {
      b.encryptionContext(l.encryptionContext);
    }
    if (l.dataKeySource != null) {
      b.dataKeySource(enumValue(KeyUseEvent.DataKeySource.class, l.dataKeySource, "dataKeySource"));
    }
    if (l.outcome != null) {
      b.outcome(enumValue(KeyUseEvent.Outcome.class, l.outcome, "outcome"));
    }
    return new Parsed(b.build(), l.unknown == null ? Set.of() : Set.copyOf(l.unknown));
  }

  private static String required(String v, String field) throws MalformedEventException {
    if (v == null || v.isEmpty()) {
      throw new MalformedEventException("audit event without '" + field + "'", null);
    }
    return v;
  }

  private static Instant instant(String v) throws MalformedEventException {
    try {
      return Instant.parse(v);
    } catch (DateTimeParseException e) {
      throw new MalformedEventException("audit event 'time' is not an ISO-8601 UTC time: '" + printable(v) + "'", e);
    }
  }

  private static <E extends Enum<E>> E enumValue(Class<E> type, String v, String field) throws MalformedEventException {
    try {
      return Enum.valueOf(type, v);
    } catch (IllegalArgumentException e) {
      throw new MalformedEventException("audit event '" + field + "' has an unknown value '" + printable(v) + "'", e);
    }
  }

  private static String printable(String s) {
    return s.length() > 60 ? s.substring(0, 60) + "..." : s;
  }
}
