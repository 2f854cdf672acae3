package dev.byok.core.audit;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.byok.core.AccessReason;
import dev.byok.core.EncryptionContext;
import java.time.Instant;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The audit record of one key use, or of a change in access (revocation, restoration, failed
 * revalidation). Written as one JSON object per line; the schema is documented in
 * {@code docs/audit-events.md}. Immutable; built with {@link #builder()}.
 *
 * <p>Events of KMS calls carry the KMS request ID, so the customer can join them with its
 * CloudTrail entries. No event ever contains key material or plaintext.
 */
public final class KeyUseEvent {
  /** What happened. */
  public enum Operation { ENCRYPT, DECRYPT, REVOKED, RESTORED, REVALIDATION_FAILED, PROBE }

  /** Where the data key came from. */
  public enum DataKeySource { CACHE, KMS, NONE }

  /** How it ended. */
  public enum Outcome { SUCCESS, FAILURE, DENIED }

  private static final ObjectMapper JSON = new ObjectMapper()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
      .setSerializationInclusion(JsonInclude.Include.NON_NULL);

  private final String eventId;
  private final Instant time;
  private final String tenant;
  private final Operation operation;
  private final String keyArn;
  private final String reasonCode;
  private final String reasonDetail;
  private final String actor;
  private final Map<String, String> encryptionContext;
  private final String messageId;
  private final DataKeySource dataKeySource;
  private final String kmsRequestId;
  private final Outcome outcome;
  private final String error;

  private KeyUseEvent(Builder b) {
    this.eventId = b.eventId != null ? b.eventId : newEventId();
    this.time = Objects.requireNonNull(b.time, "time");
    this.tenant = Objects.requireNonNull(b.tenant, "tenant");
    this.operation = Objects.requireNonNull(b.operation, "operation");
    this.keyArn = b.keyArn;
    this.reasonCode = b.reasonCode;
    this.reasonDetail = b.reasonDetail;
    this.actor = b.actor;
    this.encryptionContext = b.encryptionContext == null ? Collections.emptyMap()
        : b.contextImmutable ? b.encryptionContext
        : Collections.unmodifiableMap(new LinkedHashMap<>(b.encryptionContext));
    this.messageId = b.messageId;
    this.dataKeySource = b.dataKeySource == null ? DataKeySource.NONE : b.dataKeySource;
    this.kmsRequestId = b.kmsRequestId;
    this.outcome = b.outcome == null ? Outcome.SUCCESS : b.outcome;
    this.error = b.error;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * A random (version 4) UUID for an event. Event IDs need to be unique, not unpredictable, so this
   * draws from {@link ThreadLocalRandom} rather than {@link UUID#randomUUID()}, whose shared
   * {@code SecureRandom} would put a lock on every encrypt and decrypt.
   */
  static String newEventId() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    long msb = (r.nextLong() & ~0xF000L) | 0x4000L; // version 4
    long lsb = (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L; // IETF variant
    return new UUID(msb, lsb).toString();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.eventId = eventId;
    b.time = time;
    b.tenant = tenant;
    b.operation = operation;
    b.keyArn = keyArn;
    b.reasonCode = reasonCode;
    b.reasonDetail = reasonDetail;
    b.actor = actor;
    b.encryptionContext = encryptionContext;
    b.contextImmutable = true;
    b.messageId = messageId;
    b.dataKeySource = dataKeySource;
    b.kmsRequestId = kmsRequestId;
    b.outcome = outcome;
    b.error = error;
    return b;
  }

  public String eventId() { return eventId; }
  public Instant time() { return time; }
  public String tenant() { return tenant; }
  public Operation operation() { return operation; }
  public String keyArn() { return keyArn; }
  public String reasonCode() { return reasonCode; }
  public String reasonDetail() { return reasonDetail; }
  public String actor() { return actor; }
  public Map<String, String> encryptionContext() { return encryptionContext; }
  public String messageId() { return messageId; }
  public DataKeySource dataKeySource() { return dataKeySource; }
  public String kmsRequestId() { return kmsRequestId; }
  public Outcome outcome() { return outcome; }
  public String error() { return error; }

  /** One JSON object on one line (no trailing newline). */
  public String toJson() {
    ObjectNode n = JSON.createObjectNode();
    n.put("eventId", eventId);
    n.put("time", time.toString());
    n.put("tenant", tenant);
    n.put("operation", operation.name());
    putIf(n, "keyArn", keyArn);
    putIf(n, "reasonCode", reasonCode);
    putIf(n, "reasonDetail", reasonDetail);
    putIf(n, "actor", actor);
    ObjectNode ctx = n.putObject("encryptionContext");
    encryptionContext.forEach(ctx::put);
    putIf(n, "messageId", messageId);
    n.put("dataKeySource", dataKeySource.name());
    putIf(n, "kmsRequestId", kmsRequestId);
    n.put("outcome", outcome.name());
    putIf(n, "error", error);
    try {
      return JSON.writeValueAsString(n);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("audit event could not be written as JSON", e);
    }
  }

  private static void putIf(ObjectNode n, String field, String value) {
    if (value != null) {
      n.put(field, value);
    }
  }

  /**
   * Reads an event written by {@link #toJson()}.
   *
   * @throws IllegalArgumentException naming the field that is missing or malformed
   */
  public static KeyUseEvent fromJson(String json) {
    JsonNode n;
    try {
      n = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("audit event: not JSON: " + e.getOriginalMessage(), e);
    }
    if (n == null || !n.isObject()) {
      throw new IllegalArgumentException("audit event: expected a JSON object");
    }
    Builder b = builder();
    b.eventId = required(n, "eventId");
    try {
      b.time = Instant.parse(required(n, "time"));
      b.operation = Operation.valueOf(required(n, "operation"));
      b.dataKeySource = n.has("dataKeySource") ? DataKeySource.valueOf(n.get("dataKeySource").asText()) : null;
      b.outcome = n.has("outcome") ? Outcome.valueOf(n.get("outcome").asText()) : null;
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("audit event: malformed time, operation, dataKeySource or outcome: " + e.getMessage(), e);
    }
    b.tenant = required(n, "tenant");
    b.keyArn = text(n, "keyArn");
    b.reasonCode = text(n, "reasonCode");
    b.reasonDetail = text(n, "reasonDetail");
    b.actor = text(n, "actor");
    b.messageId = text(n, "messageId");
    b.kmsRequestId = text(n, "kmsRequestId");
    b.error = text(n, "error");
    JsonNode ctx = n.get("encryptionContext");
    if (ctx != null && ctx.isObject()) {
      Map<String, String> m = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = ctx.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        m.put(e.getKey(), e.getValue().asText());
      }
      b.encryptionContext = m;
    }
    return b.build();
  }

  private static String required(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      throw new IllegalArgumentException("audit event: missing field '" + field + "'");
    }
    return v.asText();
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KeyUseEvent && ((KeyUseEvent) o).toJson().equals(toJson());
  }

  @Override
  public int hashCode() {
    return eventId.hashCode();
  }

  @Override
  public String toString() {
    return toJson();
  }

  /** Builds a {@link KeyUseEvent}. {@code time}, {@code tenant} and {@code operation} are required. */
  public static final class Builder {
    private String eventId;
    private Instant time;
    private String tenant;
    private Operation operation;
    private String keyArn;
    private String reasonCode;
    private String reasonDetail;
    private String actor;
    private Map<String, String> encryptionContext;
    private boolean contextImmutable; // true when encryptionContext is already an unmodifiable snapshot
    private String messageId;
    private DataKeySource dataKeySource;
    private String kmsRequestId;
    private Outcome outcome;
    private String error;

    private Builder() {}

    /** A unique ID; a random UUID when not set. */
    public Builder eventId(String v) { this.eventId = v; return this; }
    public Builder time(Instant v) { this.time = v; return this; }
    public Builder tenant(String v) { this.tenant = v; return this; }
    public Builder operation(Operation v) { this.operation = v; return this; }
    public Builder keyArn(String v) { this.keyArn = v; return this; }
    /** Sets the reason code, detail and actor from {@code reason}. */
    public Builder reason(AccessReason reason) {
      this.reasonCode = reason.code().value();
      this.reasonDetail = reason.detail().orElse(null);
      this.actor = reason.actor().orElse(null);
      return this;
    }
    public Builder reasonCode(String v) { this.reasonCode = v; return this; }
    public Builder reasonDetail(String v) { this.reasonDetail = v; return this; }
    public Builder actor(String v) { this.actor = v; return this; }
    /** The context's pairs; {@link EncryptionContext#asMap()} is immutable, so no copy is made. */
    public Builder encryptionContext(EncryptionContext v) {
      this.encryptionContext = v == null ? null : v.asMap();
      this.contextImmutable = true;
      return this;
    }
    /** A copy of {@code v} is taken at {@link #build()}. */
    public Builder encryptionContext(Map<String, String> v) {
      this.encryptionContext = v;
      this.contextImmutable = false;
      return this;
    }
    public Builder messageId(String v) { this.messageId = v; return this; }
    public Builder dataKeySource(DataKeySource v) { this.dataKeySource = v; return this; }
    public Builder kmsRequestId(String v) { this.kmsRequestId = v; return this; }
    public Builder outcome(Outcome v) { this.outcome = v; return this; }
    public Builder error(String v) { this.error = v; return this; }

    public KeyUseEvent build() {
      return new KeyUseEvent(this);
    }
  }
}
