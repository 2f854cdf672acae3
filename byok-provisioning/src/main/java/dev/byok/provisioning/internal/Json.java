package dev.byok.provisioning.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** JSON helpers for policy documents: parse, pretty-print, normalize for comparison. Stateless. */
public final class Json {
  public static final ObjectMapper MAPPER = new ObjectMapper();
  private static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final Set<String> LIST_FIELDS = Set.of("Action", "NotAction", "Resource", "NotResource");

  private Json() {}

  /** Parses a policy as AWS returns it: IAM returns URL-encoded documents, KMS and S3 plain JSON. */
  public static JsonNode parsePolicy(String text) {
    String t = text.strip();
    if (!t.startsWith("{")) {
      t = URLDecoder.decode(t, StandardCharsets.UTF_8);
    }
    try {
      return MAPPER.readTree(t);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("AWS returned a policy that is not JSON: " + e.getOriginalMessage(), e);
    }
  }

  public static String pretty(JsonNode n) {
    try {
      return PRETTY.writeValueAsString(n);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A copy in which every list that IAM treats as a set (actions, resources, principals, condition
   * values) is a sorted array and the statements are sorted, so documents that mean the same compare equal.
   */
  public static JsonNode normalize(JsonNode policy) {
    if (policy == null || !policy.isObject()) {
      return policy;
    }
    ObjectNode out = policy.deepCopy();
    out.remove("Id");
    JsonNode st = out.get("Statement");
    if (st == null) {
      return out;
    }
    List<JsonNode> statements = new ArrayList<>();
    if (st.isObject()) {
      statements.add(normalizeStatement(st));
    } else {
      st.forEach(s -> statements.add(normalizeStatement(s)));
    }
    statements.sort(Comparator.comparing(Json::canonical)); // by content, whatever the order of their keys
    ArrayNode a = out.putArray("Statement");
    statements.forEach(a::add);
    return out;
  }

  /** Normalizes one statement like {@link #normalize}. */
  public static JsonNode normalizeStatement(JsonNode s) {
    if (!s.isObject()) {
      return s;
    }
    ObjectNode o = s.deepCopy();
    for (String f : LIST_FIELDS) {
      if (o.has(f)) {
        o.set(f, sortedArray(o.get(f)));
      }
    }
    for (String f : List.of("Principal", "NotPrincipal")) {
      JsonNode p = o.get(f);
      if (p != null && p.isObject()) {
        ObjectNode np = JsonNodeFactory.instance.objectNode();
        p.properties().forEach(e -> np.set(e.getKey(), sortedArray(e.getValue())));
        o.set(f, np);
      }
    }
    JsonNode c = o.get("Condition");
    if (c != null && c.isObject()) {
      ObjectNode nc = JsonNodeFactory.instance.objectNode();
      c.properties().forEach(op -> {
        ObjectNode kv = nc.putObject(op.getKey());
        op.getValue().properties().forEach(e -> kv.set(e.getKey(), sortedArray(e.getValue())));
      });
      o.set("Condition", nc);
    }
    return o;
  }

  private static ArrayNode sortedArray(JsonNode n) {
    List<String> v = new ArrayList<>();
    if (n.isArray()) {
      n.forEach(e -> v.add(e.asText()));
    } else {
      v.add(n.asText());
    }
    v.sort(null);
    ArrayNode a = JsonNodeFactory.instance.arrayNode();
    v.forEach(a::add);
    return a;
  }

  /** {@code n} as compact JSON with every object's keys sorted: equal for trees that differ only in key order. */
  static String canonical(JsonNode n) {
    if (n.isObject()) {
      List<String> keys = new ArrayList<>();
      n.fieldNames().forEachRemaining(keys::add);
      keys.sort(null);
      StringBuilder b = new StringBuilder("{");
      for (String k : keys) {
        if (b.length() > 1) {
          b.append(',');
        }
        b.append(JsonNodeFactory.instance.textNode(k)).append(':').append(canonical(n.get(k)));
      }
      return b.append('}').toString();
    }
    if (n.isArray()) {
      StringBuilder b = new StringBuilder("[");
      for (JsonNode e : n) {
        if (b.length() > 1) {
          b.append(',');
        }
        b.append(canonical(e));
      }
      return b.append(']').toString();
    }
    return n.toString();
  }

  /** Whether two policies mean the same after {@link #normalize}. */
  public static boolean samePolicy(JsonNode a, JsonNode b) {
    return normalize(a).equals(normalize(b));
  }

  public static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  public static ObjectNode object(Map<String, String> m) {
    ObjectNode o = object();
    m.forEach(o::put);
    return o;
  }
}
