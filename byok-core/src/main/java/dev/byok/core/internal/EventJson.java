package dev.byok.core.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.byok.core.audit.KeyUseEvent;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a {@link KeyUseEvent} as one line of JSON that is always valid UTF-8 and, when asked, at
 * most a given number of UTF-8 bytes. Same field names and order as {@link KeyUseEvent#toJson()}.
 *
 * <p>Two deviations from {@code toJson()}, both documented in {@code docs/audit-events.md}:
 * <ul>
 *   <li>an unpaired UTF-16 surrogate (which has no UTF-8 form) becomes U+FFFD;
 *   <li>an event over the size limit has its free-text fields cut, largest first, each cut field
 *       ending in {@link #TRUNCATION_SUFFIX}, and gains {@code "truncated":{"field":originalBytes}}.
 *       The identifying fields (eventId, time, tenant, operation, reasonCode, dataKeySource,
 *       kmsRequestId, outcome) are not cut, except as a last resort when the event still does not
 *       fit: then the encryption context is left out and each identifying field over 1 KiB is cut.
 * </ul>
 * Stateless and thread-safe.
 */
public final class EventJson {
  /** Appended to a cut field. */
  public static final String TRUNCATION_SUFFIX = "...[truncated]";

  private static final JsonFactory FACTORY = new JsonFactory();
  private static final char REPLACEMENT = '\uFFFD';
  private static final int MAX_TRUNCATION_ROUNDS = 32;
  private static final int MAX_IDENTIFYING_BYTES = 1024;

  private EventJson() {}

  /**
   * One serialized event.
   *
   * @param json the JSON text
   * @param utf8Bytes its exact UTF-8 length
   * @param truncated field name to its original UTF-8 size, for each field that was cut; empty when none
   */
  public record Line(String json, int utf8Bytes, Map<String, Integer> truncated) {}

  /** The full event, never truncated (for local files and spill files). */
  public static String write(KeyUseEvent e) {
    return render(Fields.of(e), Map.of());
  }

  /**
   * The event in at most {@code maxUtf8Bytes} bytes of UTF-8, cutting free-text fields if needed.
   *
   * @throws IllegalArgumentException if {@code maxUtf8Bytes} is too small for the identifying fields
   */
  public static Line write(KeyUseEvent e, int maxUtf8Bytes) {
    Fields f = Fields.of(e);
    String json = render(f, Map.of());
    int size = utf8Length(json);
    if (size <= maxUtf8Bytes) {
      return new Line(json, size, Map.of());
    }
    Map<String, Integer> truncated = new LinkedHashMap<>();
    for (int round = 0; round < MAX_TRUNCATION_ROUNDS && size > maxUtf8Bytes; round++) {
      Cuttable largest = f.largest();
      if (largest == null) {
        break;
      }
      // Reserve room for the marker object; cut the largest field by the excess.
      int markerReserve = 48 + 32 * (truncated.size() + 1);
      long keep = (long) largest.bytes() - (size - maxUtf8Bytes) - markerReserve - TRUNCATION_SUFFIX.length();
      truncated.putIfAbsent(largest.name, largest.bytes());
      largest.set(prefixWithin(largest.get(), Math.max(0, keep)) + TRUNCATION_SUFFIX);
      json = render(f, truncated);
      size = utf8Length(json);
    }
    if (size > maxUtf8Bytes) {
      // Only the context's keys or the identifying fields can still be this large: last resort.
      int contextBytes = 0;
      for (int i = 0; i < f.contextKeys.size(); i++) {
        contextBytes += utf8Length(f.contextKeys.get(i)) + f.contextValues.get(i).bytes();
      }
      truncated.putIfAbsent("encryptionContext", contextBytes);
      f.contextKeys.clear();
      f.contextValues.clear();
      f.tenant = cutIdentifying(f.tenant, "tenant", truncated);
      f.eventId = cutIdentifying(f.eventId, "eventId", truncated);
      f.reasonCode = cutIdentifying(f.reasonCode, "reasonCode", truncated);
      f.kmsRequestId = cutIdentifying(f.kmsRequestId, "kmsRequestId", truncated);
      json = render(f, truncated);
      size = utf8Length(json);
    }
    if (size > maxUtf8Bytes) {
      throw new IllegalArgumentException("audit event " + printable(e.eventId())
          + ": its identifying fields alone take more than " + maxUtf8Bytes + " bytes of UTF-8");
    }
    return new Line(json, size, Map.copyOf(truncated));
  }

  /** The exact UTF-8 length of {@code s}, which must have no unpaired surrogates. */
  public static int utf8Length(CharSequence s) {
    int n = 0;
    for (int i = 0, len = s.length(); i < len; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n++;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(s.charAt(i + 1))) {
        n += 4;
        i++;
      } else {
        n += 3;
      }
    }
    return n;
  }

  /** {@code s} with every unpaired surrogate replaced by U+FFFD; {@code s} itself when it has none. */
  public static String wellFormed(String s) {
    if (s == null) {
      return null;
    }
    char[] out = null;
    for (int i = 0, len = s.length(); i < len; i++) {
      char c = s.charAt(i);
      if (!Character.isSurrogate(c)) {
        continue;
      }
      if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
        continue;
      }
      if (out == null) {
        out = s.toCharArray();
      }
      out[i] = REPLACEMENT;
    }
    return out == null ? s : new String(out);
  }

  /** The longest prefix of {@code s} whose JSON-escaped UTF-8 form is at most {@code maxBytes}. */
  static String prefixWithin(String s, long maxBytes) {
    long n = 0;
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      int width;
      int chars = 1;
      if (c == '"' || c == '\\') {
        width = 2;
      } else if (c < 0x20) {
        width = 6;
      } else if (c < 0x80) {
        width = 1;
      } else if (c < 0x800) {
        width = 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        width = 4;
        chars = 2;
      } else {
        width = 3;
      }
      if (n + width > maxBytes) {
        break;
      }
      n += width;
      i += chars;
    }
    return s.substring(0, i);
  }

  private static String render(Fields f, Map<String, Integer> truncated) {
    StringWriter w = new StringWriter(256);
    try (JsonGenerator g = FACTORY.createGenerator(w)) {
      g.writeStartObject();
      g.writeStringField("eventId", f.eventId);
      g.writeStringField("time", f.time);
      g.writeStringField("tenant", f.tenant);
      g.writeStringField("operation", f.operation);
      putIf(g, "keyArn", f.keyArn.value);
      putIf(g, "reasonCode", f.reasonCode);
      putIf(g, "reasonDetail", f.reasonDetail.value);
      putIf(g, "actor", f.actor.value);
      g.writeObjectFieldStart("encryptionContext");
      for (int i = 0; i < f.contextKeys.size(); i++) {
        g.writeStringField(f.contextKeys.get(i), f.contextValues.get(i).value);
      }
      g.writeEndObject();
      putIf(g, "messageId", f.messageId.value);
      g.writeStringField("dataKeySource", f.dataKeySource);
      putIf(g, "kmsRequestId", f.kmsRequestId);
      g.writeStringField("outcome", f.outcome);
      putIf(g, "error", f.error.value);
      if (!f.headerAuthenticated) {
        g.writeBooleanField("headerAuthenticated", false);
      }
      if (!truncated.isEmpty()) {
        g.writeObjectFieldStart("truncated");
        for (Map.Entry<String, Integer> t : truncated.entrySet()) {
          g.writeNumberField(t.getKey(), t.getValue());
        }
        g.writeEndObject();
      }
      g.writeEndObject();
    } catch (IOException ex) {
      throw new UncheckedIOException("audit event could not be written as JSON", ex);
    }
    return w.toString();
  }

  private static String cutIdentifying(String v, String name, Map<String, Integer> truncated) {
    if (v == null || utf8Length(v) <= MAX_IDENTIFYING_BYTES) {
      return v;
    }
    truncated.put(name, utf8Length(v));
    return prefixWithin(v, MAX_IDENTIFYING_BYTES) + TRUNCATION_SUFFIX;
  }

  private static void putIf(JsonGenerator g, String field, String value) throws IOException {
    if (value != null) {
      g.writeStringField(field, value);
    }
  }

  private static String printable(String s) {
    String w = wellFormed(s);
    return w.length() > 80 ? w.substring(0, 80) + "..." : w;
  }

  /** A free-text field that may be cut. */
  private static final class Cuttable {
    final String name;
    String value;
    int bytes;

    Cuttable(String name, String value) {
      this.name = name;
      this.value = value;
      this.bytes = value == null ? 0 : utf8Length(value);
    }

    String get() { return value; }
    int bytes() { return bytes; }

    void set(String v) {
      value = v;
      bytes = utf8Length(v);
    }
  }

  /** The event's fields, made well-formed, with the cuttable ones separately held. */
  private static final class Fields {
    String eventId;
    String time;
    String tenant;
    String operation;
    Cuttable keyArn;
    String reasonCode;
    Cuttable reasonDetail;
    Cuttable actor;
    List<String> contextKeys;
    List<Cuttable> contextValues;
    Cuttable messageId;
    String dataKeySource;
    String kmsRequestId;
    String outcome;
    Cuttable error;
    boolean headerAuthenticated;

    static Fields of(KeyUseEvent e) {
      Fields f = new Fields();
      f.eventId = wellFormed(e.eventId());
      f.time = e.time().toString();
      f.tenant = wellFormed(e.tenant());
      f.operation = e.operation().name();
      f.keyArn = new Cuttable("keyArn", wellFormed(e.keyArn()));
      f.reasonCode = wellFormed(e.reasonCode());
      f.reasonDetail = new Cuttable("reasonDetail", wellFormed(e.reasonDetail()));
      f.actor = new Cuttable("actor", wellFormed(e.actor()));
      Map<String, String> ctx = e.encryptionContext();
      f.contextKeys = new ArrayList<>(ctx.size());
      f.contextValues = new ArrayList<>(ctx.size());
      for (Map.Entry<String, String> c : ctx.entrySet()) {
        String key = wellFormed(c.getKey());
        f.contextKeys.add(key);
        f.contextValues.add(new Cuttable("encryptionContext." + key, wellFormed(c.getValue())));
      }
      f.messageId = new Cuttable("messageId", wellFormed(e.messageId()));
      f.dataKeySource = e.dataKeySource().name();
      f.kmsRequestId = wellFormed(e.kmsRequestId());
      f.outcome = e.outcome().name();
      f.error = new Cuttable("error", wellFormed(e.error()));
      f.headerAuthenticated = e.headerAuthenticated();
      return f;
    }

    Cuttable largest() {
      Cuttable best = null;
      for (Cuttable c : all()) {
        if (c.value != null && c.bytes > TRUNCATION_SUFFIX.length() && (best == null || c.bytes > best.bytes)) {
          best = c;
        }
      }
      return best;
    }

    private List<Cuttable> all() {
      List<Cuttable> all = new ArrayList<>(5 + contextValues.size());
      all.add(keyArn);
      all.add(reasonDetail);
      all.add(actor);
      all.add(messageId);
      all.add(error);
      all.addAll(contextValues);
      return all;
    }
  }
}
