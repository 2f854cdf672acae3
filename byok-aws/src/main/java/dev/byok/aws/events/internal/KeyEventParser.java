package dev.byok.aws.events.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.byok.aws.events.IgnoredReason;
import dev.byok.core.AwsAccountId;
import dev.byok.core.KeyArn;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Reads one queue message into a {@link KeyEvent}, or says why it is ignored. The message is an
 * EventBridge event of detail type "AWS API Call via CloudTrail" from source {@code aws.kms}, as
 * EventBridge delivers it to an SQS queue or through SNS with raw message delivery; an SNS
 * notification envelope ({@code "Type":"Notification"}) around it is unwrapped once.
 *
 * <p>Everything in the message is untrusted except the top-level {@code account}, which
 * EventBridge sets to the account the event came from (a sender cannot choose it). The key is
 * taken from the CloudTrail record: {@code resources[].ARN}, {@code responseElements.keyId} and
 * {@code requestParameters.keyId} (a key ID there is completed with the event's region and
 * account); the event must name exactly one key. Lengths and nesting are capped before parsing.
 * Thread-safe.
 */
public final class KeyEventParser {
  /** The detail type of CloudTrail-recorded API calls on EventBridge. */
  public static final String DETAIL_TYPE = "AWS API Call via CloudTrail";
  /** The EventBridge source of KMS events. */
  public static final String SOURCE = "aws.kms";
  /** The CloudTrail event source of KMS calls. */
  public static final String EVENT_SOURCE = "kms.amazonaws.com";
  private static final int MAX_NESTING_DEPTH = 32;

  private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build()).build());

  private final int maxMessageBytes;

  /** A parser that ignores messages over {@code maxMessageBytes} (UTF-8) without reading them. */
  public KeyEventParser(int maxMessageBytes) {
    if (maxMessageBytes < 1) {
      throw new IllegalArgumentException("maxMessageBytes must be positive, got " + maxMessageBytes);
    }
    this.maxMessageBytes = maxMessageBytes;
  }

  /** Reads {@code body}. Never throws for bad input: that is an {@link Parsed.Ignored}. */
  public Parsed parse(String body) {
    if (body == null) {
      return ignored(IgnoredReason.MALFORMED, "empty message");
    }
    int bytes = utf8Length(body);
    if (bytes > maxMessageBytes) {
      return ignored(IgnoredReason.OVERSIZED, bytes + " bytes, limit " + maxMessageBytes);
    }
    JsonNode root = read(body);
    if (root == null) {
      return ignored(IgnoredReason.MALFORMED, "not a JSON object");
    }
    if ("Notification".equals(root.path("Type").asText(null)) && root.path("Message").isTextual()) {
      root = read(root.get("Message").asText());
      if (root == null) {
        return ignored(IgnoredReason.MALFORMED, "SNS notification whose Message is not a JSON object");
      }
    }
    return event(root);
  }

  private static JsonNode read(String text) {
    try {
      JsonNode n = JSON.readTree(text);
      return n != null && n.isObject() ? n : null;
    } catch (JsonProcessingException | RuntimeException e) {
      return null;
    }
  }

  private Parsed event(JsonNode e) {
    String detailType = text(e, "detail-type");
    String source = text(e, "source");
    JsonNode detail = e.get("detail");
    if (detailType == null || source == null || detail == null || !detail.isObject()) {
      return ignored(IgnoredReason.MALFORMED, "not an EventBridge event (detail-type, source or detail missing)");
    }
    if (!DETAIL_TYPE.equals(detailType) || !SOURCE.equals(source) || !EVENT_SOURCE.equals(text(detail, "eventSource"))) {
      return ignored(IgnoredReason.NOT_A_KMS_EVENT, "source=" + LogText.escape(source) + " detail-type="
          + LogText.escape(detailType) + " eventSource=" + LogText.escape(text(detail, "eventSource")));
    }
    AwsAccountId account;
    try {
      account = AwsAccountId.of(text(e, "account"));
    } catch (IllegalArgumentException x) {
      return ignored(IgnoredReason.MALFORMED, "the event's account is missing or not 12 digits");
    }
    String eventName = text(detail, "eventName");
    Optional<EventKind> kind = eventName == null ? Optional.empty() : EventKind.of(eventName);
    if (kind.isEmpty()) {
      return ignored(IgnoredReason.UNHANDLED_EVENT_NAME, "eventName=" + LogText.escape(eventName));
    }
    if (detail.hasNonNull("errorCode")) {
      return ignored(IgnoredReason.FAILED_CALL, eventName + " failed with " + LogText.escape(detail.get("errorCode").asText()));
    }
    String region = Optional.ofNullable(text(detail, "awsRegion")).orElse(text(e, "region"));
    Set<KeyArn> keys = new LinkedHashSet<>();
    for (JsonNode r : detail.path("resources")) {
      addKey(keys, text(r, "ARN"), region, account);
    }
    addKey(keys, text(detail.path("responseElements"), "keyId"), region, account);
    addKey(keys, text(detail.path("requestParameters"), "keyId"), region, account);
    if (keys.isEmpty()) {
      return ignored(IgnoredReason.NO_KEY, eventName + " names no KMS key");
    }
    if (keys.size() > 1) {
      return ignored(IgnoredReason.AMBIGUOUS_KEY, eventName + " names " + keys.size() + " different keys");
    }
    String id = Optional.ofNullable(text(detail, "eventID")).orElse(Optional.ofNullable(text(e, "id")).orElse(""));
    Optional<Instant> time = time(text(detail, "eventTime")).or(() -> time(text(e, "time")));
    return new Parsed.Event(new KeyEvent(account, eventName, kind.get(), keys.iterator().next(), id, time));
  }

  /** Adds the key an ARN or key ID names; aliases and anything unreadable add nothing. */
  private static void addKey(Set<KeyArn> keys, String value, String region, AwsAccountId account) {
    if (value == null || value.isEmpty()) {
      return;
    }
    try {
      KeyArn k = value.startsWith("arn:") ? KeyArn.parse(value)
          : region == null ? null : KeyArn.ofKey(partition(region), region, account, value);
      if (k != null && k.resourceType() == KeyArn.ResourceType.KEY) {
        keys.add(k);
      }
    } catch (IllegalArgumentException ignored) {
      // not a key: an alias name or junk
    }
  }

  private static String partition(String region) {
    if (region.startsWith("cn-")) {
      return "aws-cn";
    }
    return region.startsWith("us-gov-") ? "aws-us-gov" : "aws";
  }

  private static Optional<Instant> time(String s) {
    if (s == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.parse(s));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n == null ? null : n.get(field);
    return v != null && v.isTextual() ? v.asText() : null;
  }

  private static Parsed ignored(IgnoredReason reason, String detail) {
    return new Parsed.Ignored(reason, detail);
  }

  /** The UTF-8 length of {@code s}, counted without encoding it. */
  static int utf8Length(String s) {
    long n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n++;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        n += 4;
        i++;
      } else {
        n += 3;
      }
    }
    return (int) Math.min(Integer.MAX_VALUE, n);
  }
}
