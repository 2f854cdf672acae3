package dev.byok.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The one file where the customer's set-up meets the vendor's library: what provisioning writes and
 * the vendor reads. Fields: key ARN (the guide's YOUR_CMK_ARN), region, log role ARN
 * (YOUR_ROLE_ARN), log group name, external ID, vendor. Immutable; validated at construction.
 *
 * <p>JSON form: {@code {"version":1,"keyArn":"arn:aws:kms:...","region":"us-east-1",
 * "roleArn":"arn:aws:iam::...:role/...","logGroupName":"ACME_SLACK_SANDBOX_LOG_GROUP",
 * "externalId":"...","vendor":"slack"}}. The external ID is not a secret in AWS's sense (it guards
 * against the confused deputy) but is shown in {@link #toString()} only in part.
 */
public final class HandoffBundle {
  public static final int VERSION = 1;
  private static final Pattern ROLE_ARN = Pattern.compile("arn:[a-z-]+:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]{1,512}");
  private static final Pattern LOG_GROUP = Pattern.compile("[A-Za-z0-9_./#-]{1,512}");
  private static final Pattern EXTERNAL_ID = Pattern.compile("[A-Za-z0-9+=,.@:/-]{2,1224}");
  private static final Pattern VENDOR = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final KeyArn keyArn;
  private final String region;
  private final String roleArn;
  private final String logGroupName;
  private final String externalId;
  private final String vendor;

  private HandoffBundle(Builder b) {
    requireAll(b);
    this.keyArn = require(b.keyArn, "keyArn");
    this.region = require(b.region, "region");
    this.roleArn = require(b.roleArn, "roleArn");
    this.logGroupName = require(b.logGroupName, "logGroupName");
    this.externalId = require(b.externalId, "externalId");
    this.vendor = require(b.vendor, "vendor");
    if (!keyArn.region().equals(region)) {
      throw new IllegalArgumentException("hand-off bundle: region '" + region + "' differs from the key ARN's region '" + keyArn.region() + "'");
    }
    check(ROLE_ARN, roleArn, "roleArn", "an IAM role ARN such as arn:aws:iam::111122223333:role/app-env-kms-logging");
    check(LOG_GROUP, logGroupName, "logGroupName", "1-512 of A-Z a-z 0-9 _ - / . #");
    check(EXTERNAL_ID, externalId, "externalId", "2-1224 of A-Z a-z 0-9 + = , . @ : / -");
    check(VENDOR, vendor, "vendor", "a lower-case vendor profile name such as slack");
  }

  /** Names every missing field at once, so a hand-written bundle is fixed in one go. */
  private static void requireAll(Builder b) {
    java.util.List<String> missing = new java.util.ArrayList<>();
    Object[] values = {b.keyArn, b.region, b.roleArn, b.logGroupName, b.externalId, b.vendor};
    String[] names = {"keyArn", "region", "roleArn", "logGroupName", "externalId", "vendor"};
    for (int i = 0; i < values.length; i++) {
      if (values[i] == null) {
        missing.add("'" + names[i] + "'");
      }
    }
    if (missing.size() > 1) {
      throw new IllegalArgumentException("hand-off bundle: missing fields " + String.join(", ", missing));
    }
  }

  private static <T> T require(T v, String field) {
    if (v == null) {
      throw new IllegalArgumentException("hand-off bundle: missing field '" + field + "'");
    }
    return v;
  }

  private static void check(Pattern p, String v, String field, String rule) {
    if (!p.matcher(v).matches()) {
      throw new IllegalArgumentException("hand-off bundle: field '" + field + "' must be " + rule + ", got '" + Strings.printable(v) + "'");
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder().keyArn(keyArn).region(region).roleArn(roleArn).logGroupName(logGroupName)
        .externalId(externalId).vendor(vendor);
  }

  public KeyArn keyArn() { return keyArn; }
  public String region() { return region; }
  public String roleArn() { return roleArn; }
  public String logGroupName() { return logGroupName; }
  public String externalId() { return externalId; }
  public String vendor() { return vendor; }

  /** The bundle as an indented JSON document. */
  public String toJson() {
    ObjectNode n = JSON.createObjectNode();
    n.put("version", VERSION);
    n.put("keyArn", keyArn.toString());
    n.put("region", region);
    n.put("roleArn", roleArn);
    n.put("logGroupName", logGroupName);
    n.put("externalId", externalId);
    n.put("vendor", vendor);
    try {
      return JSON.writeValueAsString(n);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Reads a bundle from JSON.
   *
   * @throws IllegalArgumentException naming the missing or invalid field
   */
  public static HandoffBundle fromJson(String json) {
    JsonNode n;
    try {
      n = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("hand-off bundle: not valid JSON: " + e.getOriginalMessage(), e);
    }
    if (n == null || !n.isObject()) {
      throw new IllegalArgumentException("hand-off bundle: expected a JSON object");
    }
    JsonNode v = n.get("version");
    if (v != null && (!v.isIntegralNumber() || v.asLong() != VERSION)) {
      throw new IllegalArgumentException("hand-off bundle: unsupported version " + v + " (this library reads version " + VERSION + ")");
    }
    String keyArn = text(n, "keyArn");
    Builder b = builder();
    if (keyArn != null) {
      try {
        b.keyArn(KeyArn.parse(keyArn));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("hand-off bundle: field 'keyArn': " + e.getMessage(), e);
      }
    }
    return b.region(text(n, "region")).roleArn(text(n, "roleArn")).logGroupName(text(n, "logGroupName"))
        .externalId(text(n, "externalId")).vendor(text(n, "vendor")).build();
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw new IllegalArgumentException("hand-off bundle: field '" + field + "' must be a string");
    }
    return v.asText();
  }

  /** Reads a bundle file; errors name the file. */
  public static HandoffBundle read(Path file) throws IOException {
    String json = Files.readString(file, StandardCharsets.UTF_8);
    try {
      return fromJson(json);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  /** Writes the bundle to {@code file}. */
  public void write(Path file) throws IOException {
    Files.writeString(file, toJson() + "\n", StandardCharsets.UTF_8);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof HandoffBundle)) {
      return false;
    }
    HandoffBundle h = (HandoffBundle) o;
    return keyArn.equals(h.keyArn) && region.equals(h.region) && roleArn.equals(h.roleArn)
        && logGroupName.equals(h.logGroupName) && externalId.equals(h.externalId) && vendor.equals(h.vendor);
  }

  @Override
  public int hashCode() {
    return Objects.hash(keyArn, region, roleArn, logGroupName, externalId, vendor);
  }

  @Override
  public String toString() {
    return "HandoffBundle{keyArn=" + keyArn + ", region=" + region + ", roleArn=" + roleArn
        + ", logGroupName=" + logGroupName + ", externalId=" + externalId.substring(0, Math.min(4, externalId.length()))
        + "..., vendor=" + vendor + "}";
  }

  /** Builds a {@link HandoffBundle}; every field is required. */
  public static final class Builder {
    private KeyArn keyArn;
    private String region;
    private String roleArn;
    private String logGroupName;
    private String externalId;
    private String vendor;

    private Builder() {}

    public Builder keyArn(KeyArn v) { this.keyArn = v; return this; }
    public Builder region(String v) { this.region = v; return this; }
    public Builder roleArn(String v) { this.roleArn = v; return this; }
    public Builder logGroupName(String v) { this.logGroupName = v; return this; }
    public Builder externalId(String v) { this.externalId = v; return this; }
    public Builder vendor(String v) { this.vendor = v; return this; }

    public HandoffBundle build() {
      return new HandoffBundle(this);
    }
  }
}
