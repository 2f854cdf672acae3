package dev.byok.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.byok.core.internal.Strings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

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
  /** The version of the JSON form this library writes and reads. */
  public static final int VERSION = 1;
  private static final Pattern ROLE_ARN = Pattern.compile("arn:[a-z-]+:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]{1,512}");
  private static final Pattern LOG_GROUP = Pattern.compile("[A-Za-z0-9_./#-]{1,512}");
  private static final Pattern EXTERNAL_ID = Pattern.compile("[A-Za-z0-9+=,.@:/-]{2,1224}");
  private static final Pattern VENDOR = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private static final String[] FIELDS = {"keyArn", "region", "roleArn", "logGroupName", "externalId", "vendor"};

  private final KeyArn keyArn;
  private final String region;
  private final String roleArn;
  private final String logGroupName;
  private final String externalId;
  private final String vendor;

  private HandoffBundle(KeyArn keyArn, String region, String roleArn, String logGroupName, String externalId,
      String vendor) {
    if (!keyArn.region().equals(region)) {
      throw new IllegalArgumentException("hand-off bundle: region '" + region + "' differs from the key ARN's region '" + keyArn.region() + "'");
    }
    this.keyArn = keyArn;
    this.region = region;
    this.roleArn = roleArn;
    this.logGroupName = logGroupName;
    this.externalId = externalId;
    this.vendor = vendor;
  }

  /** "missing field 'x'" or "missing fields 'x', 'y'" for the null entries of {@code values}, or null. */
  private static @Nullable String missing(@Nullable Object... values) {
    java.util.List<String> missing = new java.util.ArrayList<>();
    for (int i = 0; i < values.length; i++) {
      if (values[i] == null) {
        missing.add("'" + FIELDS[i] + "'");
      }
    }
    return missing.isEmpty() ? null
        : "hand-off bundle: missing field" + (missing.size() > 1 ? "s " : " ") + String.join(", ", missing);
  }

  private static String check(Pattern p, String v, String field, String rule) {
    Objects.requireNonNull(v, field);
    if (!p.matcher(v).matches()) {
      throw new IllegalArgumentException("hand-off bundle: field '" + field + "' must be " + rule + ", got '" + Strings.printable(v) + "'");
    }
    return v;
  }

  /** A builder; every field is required. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this bundle's fields; each may be set once more, to a different value. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.keyArn = keyArn;
    b.region = region;
    b.roleArn = roleArn;
    b.logGroupName = logGroupName;
    b.externalId = externalId;
    b.vendor = vendor;
    return b;
  }

  /** The customer key (the guide's YOUR_CMK_ARN). */
  public KeyArn keyArn() {
    return keyArn;
  }

  /** The region of the key and the log group. */
  public String region() {
    return region;
  }

  /** The customer's role the vendor assumes to write audit events (YOUR_ROLE_ARN). */
  public String roleArn() {
    return roleArn;
  }

  /** The customer's CloudWatch Logs group for the vendor's audit events. */
  public String logGroupName() {
    return logGroupName;
  }

  /** The external ID the vendor passes when it assumes the role. */
  public String externalId() {
    return externalId;
  }

  /** The vendor profile name, e.g. {@code slack}. */
  public String vendor() {
    return vendor;
  }

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
    try {
      return parse(json);
    } catch (IllegalArgumentException e) {
      // Messages quote the input (the parser's own message, a field's value): keep them one printable
      // line (HandoffBundleFuzzTest).
      String m = Strings.oneLine(e.getMessage());
      if (m.equals(e.getMessage())) {
        throw e;
      }
      throw new IllegalArgumentException(m, e);
    }
  }

  private static HandoffBundle parse(String json) {
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
    String keyArnText = text(n, "keyArn");
    KeyArn keyArn = null;
    if (keyArnText != null) {
      try {
        keyArn = KeyArn.parse(keyArnText);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("hand-off bundle: field 'keyArn': " + e.getMessage(), e);
      }
    }
    String region = text(n, "region");
    String roleArn = text(n, "roleArn");
    String logGroupName = text(n, "logGroupName");
    String externalId = text(n, "externalId");
    String vendor = text(n, "vendor");
    String missing = missing(keyArn, region, roleArn, logGroupName, externalId, vendor);
    if (missing != null) {
      throw new IllegalArgumentException(missing);
    }
    return builder().keyArn(keyArn).region(region).roleArn(roleArn).logGroupName(logGroupName)
        .externalId(externalId).vendor(vendor).build();
  }

  private static @Nullable String text(JsonNode n, String field) {
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

  /**
   * Writes the bundle to {@code file}, readable and writable by its owner only where the file
   * system has POSIX permissions (the bundle holds the external ID); an existing file is narrowed
   * to owner-only before it is rewritten.
   */
  public void write(Path file) throws IOException {
    java.util.Set<java.nio.file.attribute.PosixFilePermission> ownerOnly = java.nio.file.attribute.PosixFilePermissions.fromString("rw-------");
    boolean posix = Files.getFileStore(file.toAbsolutePath().getParent()).supportsFileAttributeView("posix");
    if (posix) {
      if (Files.exists(file)) {
        Files.setPosixFilePermissions(file, ownerOnly);
      } else {
        Files.createFile(file, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(ownerOnly));
      }
    }
    Files.writeString(file, toJson() + "\n", StandardCharsets.UTF_8);
  }

  @Override
  public boolean equals(@Nullable Object o) {
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

  /**
   * Builds a {@link HandoffBundle}; every field is required. Each setter checks its value at once
   * and may be called once; {@link #build()} checks that the region is the key's. Not thread-safe.
   */
  public static final class Builder {
    private @Nullable KeyArn keyArn;
    private @Nullable String region;
    private @Nullable String roleArn;
    private @Nullable String logGroupName;
    private @Nullable String externalId;
    private @Nullable String vendor;
    private int set; // one bit per field of FIELDS set on this builder

    private Builder() {}

    private void once(int field) {
      if ((set & (1 << field)) != 0) {
        throw new IllegalStateException("hand-off bundle: " + FIELDS[field] + " was already set");
      }
      set |= 1 << field;
    }

    /** The customer key. */
    public Builder keyArn(KeyArn v) {
      once(0);
      this.keyArn = Objects.requireNonNull(v, "keyArn");
      return this;
    }

    /** The region of the key, e.g. {@code us-east-1}. */
    public Builder region(String v) {
      once(1);
      this.region = Objects.requireNonNull(v, "region");
      return this;
    }

    /** An IAM role ARN such as {@code arn:aws:iam::111122223333:role/app-env-kms-logging}. */
    public Builder roleArn(String v) {
      once(2);
      this.roleArn = check(ROLE_ARN, v, "roleArn", "an IAM role ARN such as arn:aws:iam::111122223333:role/app-env-kms-logging");
      return this;
    }

    /** A log group name: 1-512 of {@code A-Z a-z 0-9 _ - / . #}. */
    public Builder logGroupName(String v) {
      once(3);
      this.logGroupName = check(LOG_GROUP, v, "logGroupName", "1-512 of A-Z a-z 0-9 _ - / . #");
      return this;
    }

    /** The external ID: 2-1224 of {@code A-Z a-z 0-9 + = , . @ : / -}. */
    public Builder externalId(String v) {
      once(4);
      this.externalId = check(EXTERNAL_ID, v, "externalId", "2-1224 of A-Z a-z 0-9 + = , . @ : / -");
      return this;
    }

    /** A lower-case vendor profile name such as {@code slack}. */
    public Builder vendor(String v) {
      once(5);
      this.vendor = check(VENDOR, v, "vendor", "a lower-case vendor profile name such as slack");
      return this;
    }

    /**
     * Builds the bundle.
     *
     * @throws IllegalStateException naming every missing field
     * @throws IllegalArgumentException if the region differs from the key ARN's
     */
    public HandoffBundle build() {
      String missing = missing(keyArn, region, roleArn, logGroupName, externalId, vendor);
      if (missing != null) {
        throw new IllegalStateException(missing);
      }
      return new HandoffBundle(keyArn, region, roleArn, logGroupName, externalId, vendor);
    }
  }
}
