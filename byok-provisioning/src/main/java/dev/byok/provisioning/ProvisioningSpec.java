package dev.byok.provisioning;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.byok.core.AwsAccountId;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What the customer wants set up: company, app and environment (which give every
 * {@linkplain ResourceNames name}), region, vendor profile, the vendor's AWS accounts, optional key
 * administrators, tags, encryption-context conditions, options, and optionally the vendor's
 * key-event bus (then the key's events are forwarded to it). Built with {@link #builder()},
 * read from a JSON file with {@link #fromJson}, or assembled from CLI flags.
 *
 * <pre>{@code
 * ProvisioningSpec spec = ProvisioningSpec.builder()
 *     .company("acme").app("slack").env("sandbox").region("us-east-1")
 *     .vendor(VendorProfile.builtIn("slack"))
 *     .addVendorAccount(AwsAccountId.of("111122223333"))
 *     .build();
 * }</pre>
 *
 * <p>Company, app and environment are lower-cased; each is letters and digits, optionally joined
 * by single hyphens. The external ID, when given, is kept out of {@link #toString()}.
 *
 * <p>Immutable and thread-safe.
 */
public final class ProvisioningSpec {
  private static final Pattern PART = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");
  private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-[0-9]{1,2}");
  private static final Pattern PRINCIPAL_ARN = Pattern.compile("arn:aws[a-z-]*:iam::[0-9]{12}:(root|(role|user)/[A-Za-z0-9+=,.@_/-]{1,512})");
  private static final Pattern EXTERNAL_ID = Pattern.compile("[A-Za-z0-9+=,.@:/-]{2,1224}");
  private static final Pattern CONTEXT_KEY = Pattern.compile("[A-Za-z0-9:_./-]{1,128}");
  private static final Pattern TAG = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+@-]*");
  /** Retention values CloudWatch Logs accepts, in days. */
  static final Set<Integer> RETENTION_DAYS = Set.of(1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731,
      1096, 1827, 2192, 2557, 2922, 3288, 3653);
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final String company;
  private final String app;
  private final String env;
  private final String region;
  private final VendorProfile vendor;
  private final List<AwsAccountId> vendorAccounts;
  private final @Nullable AwsAccountId account;
  private final List<String> keyAdministrators;
  private final boolean administratorsMayDeleteKey;
  private final Map<String, String> tags;
  private final Map<String, String> encryptionContext;
  private final boolean keyRotation;
  private final boolean multiRegionKey;
  private final @Nullable Integer logRetentionDays;
  private final @Nullable String externalId;
  private final boolean multiRegionTrail;
  private final boolean insights;
  private final @Nullable String bucketName;
  private final @Nullable String keyDescription;
  private final @Nullable String vendorEventBus;
  private final @Nullable String logGroupKmsKey;
  private final boolean namesOnly;

  private ProvisioningSpec(Builder b, boolean namesOnly) {
    this.namesOnly = namesOnly;
    this.company = b.company;
    this.app = b.app;
    this.env = b.env;
    this.region = b.region;
    this.vendor = b.vendor;
    this.vendorAccounts = List.copyOf(b.vendorAccounts);
    this.account = b.account;
    this.keyAdministrators = List.copyOf(b.keyAdministrators);
    this.administratorsMayDeleteKey = b.administratorsMayDeleteKey;
    this.tags = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.tags));
    this.encryptionContext = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(b.encryptionContext));
    this.keyRotation = b.keyRotation;
    this.multiRegionKey = b.multiRegionKey;
    this.logRetentionDays = b.logRetentionDays;
    this.externalId = b.externalId;
    this.multiRegionTrail = b.multiRegionTrail;
    this.insights = b.insights;
    this.bucketName = b.bucketName;
    this.keyDescription = b.keyDescription;
    this.vendorEventBus = b.vendorEventBus;
    this.logGroupKmsKey = b.logGroupKmsKey;
  }

  /** A new, empty builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this spec's values, each of which may be changed once. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.company = company;
    b.app = app;
    b.env = env;
    b.region = region;
    b.vendor = vendor;
    b.vendorAccounts.addAll(vendorAccounts);
    b.account = account;
    b.keyAdministrators.addAll(keyAdministrators);
    b.administratorsMayDeleteKey = administratorsMayDeleteKey;
    b.tags.putAll(tags);
    b.encryptionContext.putAll(encryptionContext);
    b.keyRotation = keyRotation;
    b.multiRegionKey = multiRegionKey;
    b.logRetentionDays = logRetentionDays;
    b.externalId = externalId;
    b.multiRegionTrail = multiRegionTrail;
    b.insights = insights;
    b.bucketName = bucketName;
    b.keyDescription = keyDescription;
    b.vendorEventBus = vendorEventBus;
    b.logGroupKmsKey = logGroupKmsKey;
    return b;
  }

  /**
   * Whether this spec was built from the names alone ({@link Builder#buildNamesOnly()}): its vendor
   * profile and accounts are stand-ins until revoke, restore, verify, destroy or bundle read the
   * vendor's part from the live set-up (the key policy's vendor statement, the log role, the
   * key-event rule). apply, plan and export refuse it.
   */
  public boolean namesOnly() { return namesOnly; }

  /**
   * The ARN of a KMS key of the customer's that encrypts the vendor's log group (its key policy must
   * allow {@code logs.<region>.amazonaws.com}); empty: CloudWatch Logs' own encryption.
   */
  public Optional<String> logGroupKmsKey() { return Optional.ofNullable(logGroupKmsKey); }

  /** The company, lower-case. */
  public String company() { return company; }
  /** The SaaS app, lower-case. */
  public String app() { return app; }
  /** The environment, lower-case. */
  public String env() { return env; }
  /** The region of every resource, such as {@code us-east-1}. */
  public String region() { return region; }
  /** The AWS partition of {@link #region()}: {@code aws}, {@code aws-cn} or {@code aws-us-gov}. */
  public String partition() {
    if (region.startsWith("cn-")) {
      return "aws-cn";
    }
    return region.startsWith("us-gov-") ? "aws-us-gov" : "aws";
  }
  /** The vendor's profile. */
  public VendorProfile vendor() { return vendor; }
  /** The vendor's AWS accounts, in the order given. */
  public List<AwsAccountId> vendorAccounts() { return vendorAccounts; }
  /** The customer's own account, when given; apply checks that the credentials belong to it. */
  public Optional<AwsAccountId> account() { return Optional.ofNullable(account); }
  /** IAM role or user ARNs that administer the key besides the account root. */
  public List<String> keyAdministrators() { return keyAdministrators; }
  /** Whether the key administrators may schedule and cancel key deletion. */
  public boolean administratorsMayDeleteKey() { return administratorsMayDeleteKey; }
  /** The tags of the key and the other resources, in the order given. */
  public Map<String, String> tags() { return tags; }
  /** {@code kms:EncryptionContext:KEY = VALUE} conditions on the vendor's use of the key (sorted). */
  public Map<String, String> encryptionContext() { return encryptionContext; }
  /** Whether the customer key rotates automatically. */
  public boolean keyRotation() { return keyRotation; }
  /** Whether the customer key is multi-Region. */
  public boolean multiRegionKey() { return multiRegionKey; }
  /** The log group's retention in days; empty means never expire. */
  public Optional<Integer> logRetentionDays() { return Optional.ofNullable(logRetentionDays); }
  /** The external ID to require in the log role's trust policy; empty means reuse the role's or generate one. */
  public Optional<String> externalId() { return Optional.ofNullable(externalId); }
  /** Whether the trail is multi-Region. */
  public boolean multiRegionTrail() { return multiRegionTrail; }
  /** Whether CloudTrail Insights (API call rate, API error rate) is on. */
  public boolean insights() { return insights; }
  /** The CloudTrail bucket name when the default ({@link ResourceNames#bucketName}) is not wanted. */
  public Optional<String> bucketName() { return Optional.ofNullable(bucketName); }
  /**
   * The vendor's key-event bus: the spec's, else the vendor profile's; empty when the key's events
   * are not forwarded. With one, apply, verify and destroy manage an EventBridge rule on the
   * customer's default bus that forwards this key's KMS events there, and the role it uses.
   */
  public Optional<String> vendorEventBus() {
    return vendorEventBus != null ? Optional.of(vendorEventBus) : vendor.eventBus();
  }
  /** The customer key's description: the one given, or one naming the company, vendor and accounts. */
  public String keyDescription() {
    return keyDescription != null ? keyDescription
        : "BYOK key of " + company + " for " + vendor.displayName() + " (" + app + ", " + env + "); used by the vendor's AWS accounts "
            + vendorAccounts + "; created by byok";
  }

  /**
   * Reads a spec from JSON. Unknown fields are rejected so a typo does not silently fall back to a default.
   *
   * @throws IllegalArgumentException naming the field that is missing or wrong
   */
  public static ProvisioningSpec fromJson(String json) {
    try {
      return parse(json);
    } catch (IllegalArgumentException e) {
      // Messages quote the input (the parser's message, field names and values): keep them one printable
      // line (ProvisioningSpecFuzzTest).
      String m = dev.byok.provisioning.internal.Text.oneLine(e.getMessage());
      if (m.equals(e.getMessage())) {
        throw e;
      }
      throw new IllegalArgumentException(m, e);
    }
  }

  private static ProvisioningSpec parse(String json) {
    JsonNode n;
    try {
      n = JSON.readTree(json);
    } catch (IOException e) {
      // The parser's sentence without its internals, and one printable line whatever the input held.
      throw new IllegalArgumentException("spec: not valid JSON: "
          + dev.byok.provisioning.internal.Text.oneLine(jsonProblem(e)), e);
    }
    if (n == null || !n.isObject()) {
      throw new IllegalArgumentException("spec: expected a JSON object");
    }
    Set<String> known = Set.of("company", "app", "env", "region", "vendor", "vendorProfile", "vendorAccounts", "account",
        "keyAdministrators", "administratorsMayDeleteKey", "tags", "encryptionContext", "keyRotation", "multiRegionKey",
        "logRetentionDays", "externalId", "multiRegionTrail", "insights", "bucketName", "keyDescription", "vendorEventBus",
        "logGroupKmsKey");
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!known.contains(f)) {
        throw new IllegalArgumentException("spec: unknown field '" + f + "' (known: " + new java.util.TreeSet<>(known) + ")");
      }
    }
    Builder b = builder();
    b.company(text(n, "company")).app(text(n, "app")).env(text(n, "env")).region(text(n, "region"));
    if (n.has("vendorProfile")) {
      b.vendor(VendorProfile.fromJson(n.get("vendorProfile").toString()));
    } else if (n.has("vendor")) {
      b.vendor(VendorProfile.builtIn(text(n, "vendor")));
    }
    for (String a : list(n, "vendorAccounts")) {
      b.addVendorAccount(account("vendorAccounts", a));
    }
    if (n.has("account")) {
      b.account(account("account", text(n, "account")));
    }
    for (String a : list(n, "keyAdministrators")) {
      b.addKeyAdministrator(a);
    }
    map(n, "tags").forEach(b::tag);
    map(n, "encryptionContext").forEach(b::encryptionContextCondition);
    if (n.has("administratorsMayDeleteKey")) b.administratorsMayDeleteKey(bool(n, "administratorsMayDeleteKey"));
    if (n.has("keyRotation")) b.keyRotation(bool(n, "keyRotation"));
    if (n.has("multiRegionKey")) b.multiRegionKey(bool(n, "multiRegionKey"));
    if (n.has("multiRegionTrail")) b.multiRegionTrail(bool(n, "multiRegionTrail"));
    if (n.has("insights")) b.insights(bool(n, "insights"));
    if (n.has("logRetentionDays")) {
      JsonNode d = n.get("logRetentionDays");
      if (!d.canConvertToInt() || !d.isIntegralNumber()) {
        throw new IllegalArgumentException("spec: field 'logRetentionDays' must be a whole number of days");
      }
      b.logRetentionDays(d.intValue());
    }
    if (n.has("externalId")) b.externalId(text(n, "externalId"));
    if (n.has("bucketName")) b.bucketName(text(n, "bucketName"));
    if (n.has("keyDescription")) b.keyDescription(text(n, "keyDescription"));
    if (n.has("vendorEventBus")) b.vendorEventBus(text(n, "vendorEventBus"));
    if (n.has("logGroupKmsKey")) b.logGroupKmsKey(text(n, "logGroupKmsKey"));
    try {
      return b.build();
    } catch (IllegalStateException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  /**
   * What is wrong with some JSON, for people: the parser's own sentence, without its internals
   * (character codes, the source description, the parser's advice), with the line and column.
   */
  static String jsonProblem(IOException e) {
    String m;
    String where = "";
    if (e instanceof com.fasterxml.jackson.core.JsonProcessingException j) {
      m = String.valueOf(j.getOriginalMessage());
      if (j.getLocation() != null && j.getLocation().getLineNr() > 0) {
        where = " (line " + j.getLocation().getLineNr() + ", column " + j.getLocation().getColumnNr() + ")";
      }
    } else {
      m = String.valueOf(e.getMessage());
    }
    m = m.replaceAll(" \\(code -?\\d+\\)", "").replaceAll("\\s*\\n.*", "").replaceAll(": was expecting .*$", "")
        .replaceAll("\\s+at \\[Source.*$", "").strip();
    return m + where;
  }

  /** Reads a spec file; errors name the file. */
  public static ProvisioningSpec read(Path file) throws IOException {
    String json = Files.readString(file, StandardCharsets.UTF_8);
    try {
      return fromJson(json);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  private static AwsAccountId account(String field, String v) {
    try {
      return AwsAccountId.of(v);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("spec: field '" + field + "': " + e.getMessage(), e);
    }
  }

  private static @Nullable String text(JsonNode n, String f) {
    JsonNode v = n.get(f);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw new IllegalArgumentException("spec: field '" + f + "' must be a string");
    }
    return v.asText();
  }

  private static boolean bool(JsonNode n, String f) {
    JsonNode v = n.get(f);
    if (!v.isBoolean()) {
      throw new IllegalArgumentException("spec: field '" + f + "' must be true or false");
    }
    return v.booleanValue();
  }

  private static List<String> list(JsonNode n, String f) {
    JsonNode v = n.get(f);
    List<String> out = new ArrayList<>();
    if (v == null || v.isNull()) {
      return out;
    }
    if (!v.isArray()) {
      throw new IllegalArgumentException("spec: field '" + f + "' must be an array of strings");
    }
    for (JsonNode e : v) {
      if (!e.isTextual()) {
        throw new IllegalArgumentException("spec: field '" + f + "' must be an array of strings");
      }
      out.add(e.asText());
    }
    return out;
  }

  private static Map<String, String> map(JsonNode n, String f) {
    JsonNode v = n.get(f);
    Map<String, String> out = new LinkedHashMap<>();
    if (v == null || v.isNull()) {
      return out;
    }
    if (!v.isObject()) {
      throw new IllegalArgumentException("spec: field '" + f + "' must be an object of string values");
    }
    v.properties().forEach(e -> {
      if (!e.getValue().isTextual()) {
        throw new IllegalArgumentException("spec: field '" + f + "." + e.getKey() + "' must be a string");
      }
      out.put(e.getKey(), e.getValue().asText());
    });
    return out;
  }

  /** The spec as JSON, in the form {@link #fromJson} reads (the vendor profile inline). */
  public String toJson() {
    ObjectNode n = JSON.createObjectNode();
    n.put("company", company).put("app", app).put("env", env).put("region", region);
    Map<String, Object> profile = new java.util.TreeMap<>(Map.of(
        "name", vendor.name(), "displayName", vendor.displayName(), "actions", vendor.actions(),
        "logsViaRole", vendor.logsViaRole(), "notes", vendor.notes()));
    vendor.eventBus().ifPresent(e -> profile.put("eventBus", e));
    n.set("vendorProfile", JSON.valueToTree(profile));
    ArrayNode va = n.putArray("vendorAccounts");
    vendorAccounts.forEach(a -> va.add(a.value()));
    if (account != null) {
      n.put("account", account.value());
    }
    ArrayNode ka = n.putArray("keyAdministrators");
    keyAdministrators.forEach(ka::add);
    n.put("administratorsMayDeleteKey", administratorsMayDeleteKey);
    n.set("tags", JSON.valueToTree(tags));
    n.set("encryptionContext", JSON.valueToTree(encryptionContext));
    n.put("keyRotation", keyRotation).put("multiRegionKey", multiRegionKey);
    if (logRetentionDays != null) {
      n.put("logRetentionDays", logRetentionDays);
    }
    if (externalId != null) {
      n.put("externalId", externalId);
    }
    n.put("multiRegionTrail", multiRegionTrail).put("insights", insights);
    if (bucketName != null) {
      n.put("bucketName", bucketName);
    }
    if (keyDescription != null) {
      n.put("keyDescription", keyDescription);
    }
    if (logGroupKmsKey != null) {
      n.put("logGroupKmsKey", logGroupKmsKey);
    }
    if (vendorEventBus != null) {
      n.put("vendorEventBus", vendorEventBus);
    }
    try {
      return JSON.writeValueAsString(n);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof ProvisioningSpec && ((ProvisioningSpec) o).toJson().equals(toJson());
  }

  @Override
  public int hashCode() {
    return toJson().hashCode();
  }

  @Override
  public String toString() {
    return "ProvisioningSpec{" + company + "-" + app + "-" + env + ", region=" + region + (namesOnly ? ", names only" : ", vendor=" + vendor.name())
        + ", vendorAccounts=" + vendorAccounts + ", externalId=" + (externalId == null ? "generated" : "given")
        + vendorEventBus().map(e -> ", vendorEventBus=" + e).orElse("") + "}";
  }

  /**
   * Builds a {@link ProvisioningSpec}. Each setter checks its value ({@link IllegalArgumentException}
   * naming the rule) and may be called once ({@link IllegalStateException} on a second call; a
   * builder from {@link ProvisioningSpec#toBuilder()} may change each value once). The same vendor
   * account, tag key or encryption-context key given twice is an {@link IllegalArgumentException}.
   * {@link #build()} names every missing required value and checks the derived names.
   */
  public static final class Builder {
    /** The stand-in vendor account of a names-only spec; it never reaches a document that is written. */
    static final AwsAccountId NAMES_ONLY_VENDOR_ACCOUNT = AwsAccountId.of("000000000000");
    private @Nullable String company;
    private @Nullable String app;
    private @Nullable String env;
    private @Nullable String region;
    private @Nullable VendorProfile vendor;
    private final Set<AwsAccountId> vendorAccounts = new LinkedHashSet<>();
    private @Nullable AwsAccountId account;
    private final Set<String> keyAdministrators = new LinkedHashSet<>();
    private boolean administratorsMayDeleteKey = true;
    private final Map<String, String> tags = new LinkedHashMap<>();
    private final Map<String, String> encryptionContext = new LinkedHashMap<>();
    private boolean keyRotation = true;
    private boolean multiRegionKey;
    private @Nullable Integer logRetentionDays;
    private @Nullable String externalId;
    private boolean multiRegionTrail = true;
    private boolean insights = true;
    private @Nullable String bucketName;
    private @Nullable String keyDescription;
    private @Nullable String vendorEventBus;
    private @Nullable String logGroupKmsKey;
    private final Once once = new Once("spec");
    /** Tag and context keys set on this builder (not copied by toBuilder), to refuse a second value. */
    private final Set<String> keysSet = new HashSet<>();

    private Builder() {}

    private static @Nullable String part(String field, @Nullable String v) {
      if (v == null) {
        return null;
      }
      String lower = v.strip().toLowerCase(Locale.ROOT);
      if (!PART.matcher(lower).matches()) {
        throw new IllegalArgumentException("spec: " + field + " must be letters and digits, optionally joined by single hyphens, got '" + v + "'");
      }
      return lower;
    }

    /** The company name; lower-cased. Required. */
    public Builder company(@Nullable String v) {
      String p = part("company", v);
      once.set("company");
      this.company = p;
      return this;
    }

    /** The SaaS app's name, such as {@code slack}; lower-cased. Required. */
    public Builder app(@Nullable String v) {
      String p = part("app", v);
      once.set("app");
      this.app = p;
      return this;
    }

    /** The environment, such as {@code sandbox} or {@code prod}; lower-cased. Required. */
    public Builder env(@Nullable String v) {
      String p = part("env", v);
      once.set("env");
      this.env = p;
      return this;
    }

    /** The region, such as {@code us-east-1}. Required. */
    public Builder region(@Nullable String v) {
      if (v != null && !REGION.matcher(v).matches()) {
        throw new IllegalArgumentException("spec: region must be a region name such as us-east-1, got '" + v + "'");
      }
      once.set("region");
      this.region = v;
      return this;
    }

    /** The vendor's profile. Required. */
    public Builder vendor(VendorProfile v) {
      Objects.requireNonNull(v, "vendor");
      once.set("vendor");
      this.vendor = v;
      return this;
    }

    /** Adds one of the vendor's AWS accounts (at least one is required). */
    public Builder addVendorAccount(AwsAccountId a) {
      Objects.requireNonNull(a, "vendor account");
      if (!vendorAccounts.add(a)) {
        throw new IllegalArgumentException("spec: vendor account " + a + " is given twice");
      }
      return this;
    }

    /** Sets the vendor's accounts, replacing any added before. */
    public Builder vendorAccounts(List<AwsAccountId> accounts) {
      once.set("vendorAccounts");
      vendorAccounts.clear();
      accounts.forEach(this::addVendorAccount);
      return this;
    }

    /** The customer's own account; apply then checks that the credentials belong to it. */
    public Builder account(@Nullable AwsAccountId a) {
      once.set("account");
      this.account = a;
      return this;
    }

    /** Adds an IAM role or user ARN (or an account root ARN) that may administer the key. */
    public Builder addKeyAdministrator(String arn) {
      if (arn == null || !PRINCIPAL_ARN.matcher(arn).matches()) {
        throw new IllegalArgumentException("spec: key administrator must be an IAM role, user or root ARN such as arn:aws:iam::111122223333:role/KeyAdmins, got '" + arn + "'");
      }
      keyAdministrators.add(arn);
      return this;
    }

    /** Whether the key administrators may schedule and cancel key deletion; default true. */
    public Builder administratorsMayDeleteKey(boolean v) {
      once.set("administratorsMayDeleteKey");
      this.administratorsMayDeleteKey = v;
      return this;
    }

    /** Adds a tag for the key and the other resources. */
    public Builder tag(String key, String value) {
      if (key == null || key.isEmpty() || key.length() > 128 || !TAG.matcher(key).matches() || key.startsWith("aws:")) {
        throw new IllegalArgumentException("spec: tag key must be 1-128 letters, digits, spaces or _ . : / = + - @ and not start with aws:, got '" + key + "'");
      }
      if (value == null || value.length() > 256 || !TAG.matcher(value).matches()) {
        throw new IllegalArgumentException("spec: tag value for '" + key + "' must be 0-256 letters, digits, spaces or _ . : / = + - @");
      }
      if (!keysSet.add("tag:" + key)) {
        throw new IllegalArgumentException("spec: tag '" + key + "' is given twice");
      }
      tags.put(key, value);
      return this;
    }

    /** Requires {@code kms:EncryptionContext:KEY = VALUE} on the vendor's cryptographic use of the key. */
    public Builder encryptionContextCondition(String key, String value) {
      if (key == null || !CONTEXT_KEY.matcher(key).matches()) {
        throw new IllegalArgumentException("spec: encryption-context key must be 1-128 of A-Z a-z 0-9 : _ . / -, got '" + key + "'");
      }
      if (value == null || value.isEmpty() || value.length() > 1024) {
        throw new IllegalArgumentException("spec: encryption-context value for '" + key + "' must be 1-1024 characters");
      }
      if (!keysSet.add("context:" + key)) {
        throw new IllegalArgumentException("spec: encryption-context key '" + key + "' is given twice");
      }
      encryptionContext.put(key, value);
      return this;
    }

    /** Automatic yearly rotation of the customer key; default true. */
    public Builder keyRotation(boolean v) {
      once.set("keyRotation");
      this.keyRotation = v;
      return this;
    }

    /** A multi-Region customer key; default false. */
    public Builder multiRegionKey(boolean v) {
      once.set("multiRegionKey");
      this.multiRegionKey = v;
      return this;
    }

    /** The log group's retention, one of the values CloudWatch Logs accepts; default none (never expire). */
    public Builder logRetentionDays(@Nullable Integer days) {
      if (days != null && !RETENTION_DAYS.contains(days)) {
        throw new IllegalArgumentException("spec: logRetentionDays must be one of " + new java.util.TreeSet<>(RETENTION_DAYS) + ", got " + days);
      }
      once.set("logRetentionDays");
      this.logRetentionDays = days;
      return this;
    }

    /** The external ID the log role's trust policy requires; default: the role's existing one, else generated. */
    public Builder externalId(@Nullable String v) {
      if (v != null && !EXTERNAL_ID.matcher(v).matches()) {
        throw new IllegalArgumentException("spec: external ID must be 2-1224 of A-Z a-z 0-9 + = , . @ : / - (value not shown)");
      }
      once.set("externalId");
      this.externalId = v;
      return this;
    }

    /** A multi-Region trail; default true. */
    public Builder multiRegionTrail(boolean v) {
      once.set("multiRegionTrail");
      this.multiRegionTrail = v;
      return this;
    }

    /** CloudTrail Insights (API call rate, API error rate); default true. */
    public Builder insights(boolean v) {
      once.set("insights");
      this.insights = v;
      return this;
    }

    /** The trail bucket's name; default {@code <company>-<app>-<env>-cloudtrail-<account>}. */
    public Builder bucketName(@Nullable String v) {
      if (v != null) {
        ResourceNames.checkBucketName(v);
      }
      once.set("bucketName");
      this.bucketName = v;
      return this;
    }

    /** The customer key's description; default one naming the company, vendor and accounts. */
    public Builder keyDescription(@Nullable String v) {
      if (v != null && v.length() > 8192) {
        throw new IllegalArgumentException("spec: key description must be at most 8192 characters");
      }
      once.set("keyDescription");
      this.keyDescription = v;
      return this;
    }

    /**
     * A KMS key of the customer's to encrypt the vendor's log group with: its ARN,
     * {@code arn:PARTITION:kms:REGION:ACCOUNT:key/ID}. Its key policy must let
     * {@code logs.<region>.amazonaws.com} use it; byok does not make or change that key.
     *
     * @throws IllegalArgumentException when it is not a KMS key ARN
     */
    public Builder logGroupKmsKey(@Nullable String arn) {
      if (arn != null && !arn.matches("arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[A-Za-z0-9-]+")) {
        throw new IllegalArgumentException("spec: logGroupKmsKey must be a KMS key ARN, arn:aws:kms:REGION:ACCOUNT:key/ID, got '" + arn + "'");
      }
      once.set("logGroupKmsKey");
      this.logGroupKmsKey = arn;
      return this;
    }

    /**
     * The vendor's key-event bus, {@code arn:PARTITION:events:REGION:ACCOUNT:event-bus/NAME}; default
     * the vendor profile's, if any.
     */
    public Builder vendorEventBus(@Nullable String arn) {
      if (arn != null) {
        try {
          ResourceNames.checkEventBusArn(arn);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("spec: " + e.getMessage(), e);
        }
      }
      once.set("vendorEventBus");
      this.vendorEventBus = arn;
      return this;
    }

    /**
     * Builds the spec.
     *
     * @throws IllegalStateException naming every missing required value
     * @throws IllegalArgumentException naming the derived name that breaks a rule, or the customer's
     *     own account given as a vendor account
     */
    public ProvisioningSpec build() {
      List<String> missing = new ArrayList<>();
      if (company == null) missing.add("company");
      if (app == null) missing.add("app");
      if (env == null) missing.add("env");
      if (region == null) missing.add("region");
      if (vendor == null) missing.add("vendor");
      if (vendorAccounts.isEmpty()) missing.add("vendorAccounts (at least one vendor AWS account ID)");
      if (!missing.isEmpty()) {
        throw new IllegalStateException("spec: missing " + String.join(", ", missing));
      }
      if (account != null && vendorAccounts.contains(account)) {
        throw new IllegalArgumentException("spec: vendor account " + account + " is the customer's own account");
      }
      ProvisioningSpec spec = new ProvisioningSpec(this, false);
      ResourceNames.of(spec); // validates every derived name
      return spec;
    }

    /**
     * Builds a spec from the names alone (company, app, env, region, and the bucket name if it is
     * not the default), for the operations that can read the vendor's part from the live set-up:
     * revoke, restore, verify, destroy and bundle ({@link ProvisioningSpec#namesOnly()}). With the
     * vendor and its accounts given, this is {@link #build()}.
     *
     * @throws IllegalStateException naming every missing name
     */
    public ProvisioningSpec buildNamesOnly() {
      if (vendor != null && !vendorAccounts.isEmpty()) {
        return build();
      }
      List<String> missing = new ArrayList<>();
      if (company == null) missing.add("company");
      if (app == null) missing.add("app");
      if (env == null) missing.add("env");
      if (region == null) missing.add("region");
      if (!missing.isEmpty()) {
        throw new IllegalStateException("spec: missing " + String.join(", ", missing));
      }
      if (vendor == null) {
        vendor = VendorProfile.builtIn("generic");
      }
      if (vendorAccounts.isEmpty()) {
        vendorAccounts.add(NAMES_ONLY_VENDOR_ACCOUNT);
      }
      ProvisioningSpec spec = new ProvisioningSpec(this, true);
      ResourceNames.of(spec);
      return spec;
    }
  }
}
