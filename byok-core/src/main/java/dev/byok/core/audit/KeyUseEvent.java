package dev.byok.core.audit;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.byok.core.AccessReason;
import dev.byok.core.EncryptionContext;
import dev.byok.core.internal.EventIds;
import java.time.Instant;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The audit record of one key use, or of a change in access (revocation, restoration, failed
 * revalidation). Written as one JSON object per line; the schema is documented in
 * {@code docs/audit-events.md}. Immutable; built with {@link #builder()}.
 *
 * <p>Events of KMS calls carry the KMS request ID, so the customer can join them with its
 * CloudTrail entries. No event ever contains key material or plaintext.
 *
 * <pre>{@code
 * KeyUseEvent e = KeyUseEvent.builder().time(Instant.now()).tenant("acme")
 *     .operation(KeyUseEvent.Operation.DECRYPT).reason(AccessReason.of(ReasonCode.USER_REQUEST)).build();
 * }</pre>
 */
public final class KeyUseEvent {
  /** What happened. */
  public enum Operation {
    /** A message was encrypted. */
    ENCRYPT,
    /** A message was decrypted. */
    DECRYPT,
    /** Access to the key (or one context scope of it) was revoked. */
    REVOKED,
    /** Access came back. */
    RESTORED,
    /** A cached data key's re-confirmation with KMS failed. */
    REVALIDATION_FAILED,
    /** A revoked key or scope was probed. */
    PROBE
  }

  /** Where the data key came from. */
  public enum DataKeySource {
    /** The data-key cache: no KMS call for this event. */
    CACHE,
    /** A KMS call made for this event (its request ID is in the event). */
    KMS,
    /** No data key was used. */
    NONE
  }

  /** How it ended. */
  public enum Outcome {
    /** It succeeded. */
    SUCCESS,
    /** It failed (malformed message, outage, ...). */
    FAILURE,
    /** Access was refused: the customer revoked it. */
    DENIED
  }

  private static final ObjectMapper JSON = new ObjectMapper()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
      .setSerializationInclusion(JsonInclude.Include.NON_NULL);

  private final String eventId;
  private final Instant time;
  private final String tenant;
  private final Operation operation;
  private final @Nullable String keyArn;
  private final @Nullable String reasonCode;
  private final @Nullable String reasonDetail;
  private final @Nullable String actor;
  private final Map<String, String> encryptionContext;
  private final @Nullable String messageId;
  private final DataKeySource dataKeySource;
  private final @Nullable String kmsRequestId;
  private final Outcome outcome;
  private final @Nullable String error;
  private final boolean headerAuthenticated;

  private KeyUseEvent(Builder b, Instant time, String tenant, Operation operation) {
    this.eventId = b.eventId != null ? b.eventId : newEventId();
    this.time = time;
    this.tenant = tenant;
    this.operation = operation;
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
    this.headerAuthenticated = b.headerAuthenticated;
  }

  /** A builder; {@code time}, {@code tenant} and {@code operation} are required. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A random (version 4) UUID for an event, unique across copies restored from one snapshot; see
   * {@link EventIds}. Not {@link UUID#randomUUID()}, whose shared {@code SecureRandom} would put a lock
   * on every encrypt and decrypt.
   */
  static String newEventId() {
    return EventIds.next();
  }

  /** A builder holding this event's fields; each may be set once more, to a different value. */
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
    b.headerAuthenticated = headerAuthenticated;
    return b;
  }

  /** The event's unique ID (a random UUID unless one was given). */
  public String eventId() { return eventId; }
  /** When it happened. */
  public Instant time() { return time; }
  /** The tenant, or {@code *} for a key-access event of a key no tenant has used yet. */
  public String tenant() { return tenant; }
  /** What happened. */
  public Operation operation() { return operation; }
  /** The customer key's ARN, or {@code null}. */
  public @Nullable String keyArn() { return keyArn; }
  /** The reason code, or {@code null}. */
  public @Nullable String reasonCode() { return reasonCode; }
  /** The reason's free-text detail, or {@code null}. */
  public @Nullable String reasonDetail() { return reasonDetail; }
  /** Who or what asked, or {@code null}. */
  public @Nullable String actor() { return actor; }
  /** The encryption context without reserved pairs, unmodifiable; empty when there is none. */
  public Map<String, String> encryptionContext() { return encryptionContext; }
  /** The message ID in hex, or {@code null}. */
  public @Nullable String messageId() { return messageId; }
  /** Where the data key came from ({@link DataKeySource#NONE} when there was none). */
  public DataKeySource dataKeySource() { return dataKeySource; }
  /** The request ID of the KMS call made for this event, or {@code null}. */
  public @Nullable String kmsRequestId() { return kmsRequestId; }
  /** How it ended ({@link Outcome#SUCCESS} unless set). */
  public Outcome outcome() { return outcome; }
  /** The error of a failure, or {@code null}. */
  public @Nullable String error() { return error; }
  /**
   * False when {@link #encryptionContext()} and {@link #messageId()} were read from a message header
   * that was never authenticated (a decrypt that failed): they are what the message claimed, not
   * facts. Written to JSON only when false.
   */
  public boolean headerAuthenticated() { return headerAuthenticated; }

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
    if (!headerAuthenticated) {
      n.put("headerAuthenticated", false);
    }
    try {
      return JSON.writeValueAsString(n);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("audit event could not be written as JSON", e);
    }
  }

  private static void putIf(ObjectNode n, String field, @Nullable String value) {
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
    JsonNode authenticated = n.get("headerAuthenticated");
    b.headerAuthenticated = authenticated == null || authenticated.isNull() || authenticated.asBoolean(true);
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

  private static @Nullable String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  /** Equal when the JSON forms are equal. */
  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof KeyUseEvent && ((KeyUseEvent) o).toJson().equals(toJson());
  }

  @Override
  public int hashCode() {
    return eventId.hashCode();
  }

  /** {@link #toJson()}: an event holds no secret. */
  @Override
  public String toString() {
    return toJson();
  }

  /**
   * Builds a {@link KeyUseEvent}. {@code time}, {@code tenant} and {@code operation} are required;
   * each field may be set once ({@code null} sets an optional field to none). Not thread-safe.
   */
  public static final class Builder {
    private static final String[] FIELDS = {"eventId", "time", "tenant", "operation", "keyArn", "reasonCode",
        "reasonDetail", "actor", "encryptionContext", "messageId", "dataKeySource", "kmsRequestId", "outcome", "error",
        "headerAuthenticated"};
    private static final int EVENT_ID = 0;
    private static final int TIME = 1;
    private static final int TENANT = 2;
    private static final int OPERATION = 3;
    private static final int KEY_ARN = 4;
    private static final int REASON_CODE = 5;
    private static final int REASON_DETAIL = 6;
    private static final int ACTOR = 7;
    private static final int CONTEXT = 8;
    private static final int MESSAGE_ID = 9;
    private static final int DATA_KEY_SOURCE = 10;
    private static final int KMS_REQUEST_ID = 11;
    private static final int OUTCOME = 12;
    private static final int ERROR = 13;
    private static final int HEADER_AUTHENTICATED = 14;

    private @Nullable String eventId;
    private @Nullable Instant time;
    private @Nullable String tenant;
    private @Nullable Operation operation;
    private @Nullable String keyArn;
    private @Nullable String reasonCode;
    private @Nullable String reasonDetail;
    private @Nullable String actor;
    private @Nullable Map<String, String> encryptionContext;
    private boolean contextImmutable; // true when encryptionContext is already an unmodifiable snapshot
    private @Nullable String messageId;
    private @Nullable DataKeySource dataKeySource;
    private @Nullable String kmsRequestId;
    private @Nullable Outcome outcome;
    private @Nullable String error;
    private boolean headerAuthenticated = true;
    private int set; // one bit per field set on this builder

    private Builder() {}

    private void once(int field) {
      if ((set & (1 << field)) != 0) {
        throw new IllegalStateException("KeyUseEvent.Builder: " + FIELDS[field] + " was already set");
      }
      set |= 1 << field;
    }

    /** A unique ID; a random UUID when not set. */
    public Builder eventId(String v) {
      once(EVENT_ID);
      this.eventId = Objects.requireNonNull(v, "eventId");
      return this;
    }

    /** When it happened. Required. */
    public Builder time(Instant v) {
      once(TIME);
      this.time = Objects.requireNonNull(v, "time");
      return this;
    }

    /** The tenant. Required. */
    public Builder tenant(String v) {
      once(TENANT);
      this.tenant = Objects.requireNonNull(v, "tenant");
      return this;
    }

    /** What happened. Required. */
    public Builder operation(Operation v) {
      once(OPERATION);
      this.operation = Objects.requireNonNull(v, "operation");
      return this;
    }

    /** The customer key's ARN. */
    public Builder keyArn(@Nullable String v) {
      once(KEY_ARN);
      this.keyArn = v;
      return this;
    }

    /** Sets the reason code, detail and actor from {@code reason}. */
    public Builder reason(AccessReason reason) {
      once(REASON_CODE);
      once(REASON_DETAIL);
      once(ACTOR);
      this.reasonCode = reason.code().value();
      this.reasonDetail = reason.detail().orElse(null);
      this.actor = reason.actor().orElse(null);
      return this;
    }

    /** The reason code, e.g. {@code USER_REQUEST}. */
    public Builder reasonCode(@Nullable String v) {
      once(REASON_CODE);
      this.reasonCode = v;
      return this;
    }

    /** The reason's free-text detail. */
    public Builder reasonDetail(@Nullable String v) {
      once(REASON_DETAIL);
      this.reasonDetail = v;
      return this;
    }

    /** Who or what asked. */
    public Builder actor(@Nullable String v) {
      once(ACTOR);
      this.actor = v;
      return this;
    }

    /** The context's pairs; {@link EncryptionContext#asMap()} is immutable, so no copy is made. */
    public Builder encryptionContext(@Nullable EncryptionContext v) {
      once(CONTEXT);
      this.encryptionContext = v == null ? null : v.asMap();
      this.contextImmutable = true;
      return this;
    }

    /** A copy of {@code v} is taken at {@link #build()}. */
    public Builder encryptionContext(@Nullable Map<String, String> v) {
      once(CONTEXT);
      this.encryptionContext = v;
      this.contextImmutable = false;
      return this;
    }

    /** The message ID in hex. */
    public Builder messageId(@Nullable String v) {
      once(MESSAGE_ID);
      this.messageId = v;
      return this;
    }

    /** Where the data key came from (default {@link DataKeySource#NONE}). */
    public Builder dataKeySource(@Nullable DataKeySource v) {
      once(DATA_KEY_SOURCE);
      this.dataKeySource = v;
      return this;
    }

    /** The request ID of the KMS call made for this event. */
    public Builder kmsRequestId(@Nullable String v) {
      once(KMS_REQUEST_ID);
      this.kmsRequestId = v;
      return this;
    }

    /** How it ended (default {@link Outcome#SUCCESS}). */
    public Builder outcome(@Nullable Outcome v) {
      once(OUTCOME);
      this.outcome = v;
      return this;
    }

    /** The error of a failure. */
    public Builder error(@Nullable String v) {
      once(ERROR);
      this.error = v;
      return this;
    }

    /**
     * Whether the context and message ID of this event come from an authenticated message header
     * (default {@code true}); {@code false} for a decrypt that failed after reading a header.
     */
    public Builder headerAuthenticated(boolean v) {
      once(HEADER_AUTHENTICATED);
      this.headerAuthenticated = v;
      return this;
    }

    /**
     * Builds the event.
     *
     * @throws IllegalStateException naming {@code time}, {@code tenant} or {@code operation} when
     *     one is missing
     */
    public KeyUseEvent build() {
      Instant t = time;
      String tn = tenant;
      Operation op = operation;
      if (t == null || tn == null || op == null) {
        throw new IllegalStateException("KeyUseEvent.Builder: " + (t == null ? "time" : tn == null ? "tenant" : "operation")
            + " is required");
      }
      return new KeyUseEvent(this, t, tn, op);
    }
  }
}
