package dev.byok.core;

import dev.byok.core.internal.Strings;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The ARN of an AWS KMS key or alias: {@code arn:PARTITION:kms:REGION:ACCOUNT:key/ID} or
 * {@code arn:PARTITION:kms:REGION:ACCOUNT:alias/NAME}. Multi-Region keys have IDs starting with
 * {@code mrk-}. Immutable; validated at construction; thread-safe.
 *
 * <p>Parse once (from the tenant directory or the hand-off bundle) and pass the value down: the
 * ARN text and the hash code are computed once, so {@link #toString()}, {@link #equals} and
 * {@link #hashCode()} are cheap enough for cache keys on the encrypt and decrypt path.
 *
 * <p>{@code KeyArn.parse("arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab")}
 */
public final class KeyArn {
  /** Partitions AWS KMS runs in. */
  public static final Set<String> PARTITIONS =
      Set.of("aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f", "aws-eusc");

  // Two to four letters first: "eusc-de-east-1" (partition aws-eusc) has four.
  private static final Pattern REGION = Pattern.compile("[a-z]{2,4}(-[a-z]+)+-[0-9]{1,2}");
  private static final Pattern KEY_ID = Pattern.compile("(mrk-[0-9a-f]{32}|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|[A-Za-z0-9-]{1,128})");
  private static final Pattern ALIAS_NAME = Pattern.compile("[A-Za-z0-9/_-]{1,250}");
  private static final int MAX_ARN_LENGTH = 2048;

  /** Whether the ARN names a key or an alias. */
  public enum ResourceType {
    /** {@code key/ID}. */
    KEY,
    /** {@code alias/NAME}. */
    ALIAS
  }

  private final String partition;
  private final String region;
  private final AwsAccountId account;
  private final ResourceType resourceType;
  private final String resourceId;
  /** The ARN text, which determines every other field. */
  private final String text;
  private final int hash;

  private KeyArn(String partition, String region, AwsAccountId account, ResourceType type, String id) {
    this.partition = partition;
    this.region = region;
    this.account = account;
    this.resourceType = type;
    this.resourceId = id;
    this.text = "arn:" + partition + ":kms:" + region + ":" + account.value() + ":"
        + (type == ResourceType.KEY ? "key/" : "alias/") + id;
    this.hash = text.hashCode();
  }

  /**
   * Parses a KMS key or alias ARN.
   *
   * @throws IllegalArgumentException naming the part that is wrong (partition, service, region,
   *     account, resource) and the value given
   */
  public static KeyArn parse(@Nullable String arn) {
    if (arn == null) {
      throw new IllegalArgumentException("KMS key ARN: must not be null");
    }
    if (arn.length() > MAX_ARN_LENGTH) {
      throw new IllegalArgumentException("KMS key ARN: longer than " + MAX_ARN_LENGTH + " characters");
    }
    String shown = Strings.printable(arn);
    String[] parts = arn.split(":", 6);
    if (parts.length != 6 || !parts[0].equals("arn")) {
      throw new IllegalArgumentException("KMS key ARN: expected arn:PARTITION:kms:REGION:ACCOUNT:key/ID, got '" + shown + "'");
    }
    if (!PARTITIONS.contains(parts[1])) {
      throw new IllegalArgumentException("KMS key ARN: unknown partition '" + Strings.printable(parts[1]) + "' in '" + shown + "' (expected one of " + new java.util.TreeSet<>(PARTITIONS) + ")");
    }
    if (!parts[2].equals("kms")) {
      throw new IllegalArgumentException("KMS key ARN: service must be 'kms', got '" + Strings.printable(parts[2]) + "' in '" + shown + "'");
    }
    if (!REGION.matcher(parts[3]).matches()) {
      throw new IllegalArgumentException("KMS key ARN: region '" + Strings.printable(parts[3]) + "' is not a region name such as us-east-1, in '" + shown + "'");
    }
    AwsAccountId account;
    try {
      account = AwsAccountId.of(parts[4]);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("KMS key ARN: account in '" + shown + "': " + e.getMessage(), e);
    }
    String resource = parts[5];
    if (resource.startsWith("key/")) {
      String id = resource.substring(4);
      if (!KEY_ID.matcher(id).matches()) {
        throw new IllegalArgumentException("KMS key ARN: key ID '" + Strings.printable(id) + "' is not a key ID, in '" + shown + "'");
      }
      return new KeyArn(parts[1], parts[3], account, ResourceType.KEY, id);
    }
    if (resource.startsWith("alias/")) {
      String name = resource.substring(6);
      if (!ALIAS_NAME.matcher(name).matches() || name.startsWith("aws/")) {
        throw new IllegalArgumentException("KMS key ARN: alias name '" + Strings.printable(name) + "' must be 1-250 of A-Z a-z 0-9 / _ - and not start with aws/, in '" + shown + "'");
      }
      return new KeyArn(parts[1], parts[3], account, ResourceType.ALIAS, name);
    }
    throw new IllegalArgumentException("KMS key ARN: resource must be key/ID or alias/NAME, got '" + Strings.printable(resource) + "' in '" + shown + "'");
  }

  /**
   * Builds a key ARN from its parts; validated like {@link #parse}.
   *
   * @throws IllegalArgumentException naming the part that is wrong
   */
  public static KeyArn ofKey(String partition, String region, AwsAccountId account, String keyId) {
    return parse("arn:" + partition + ":kms:" + region + ":" + account.value() + ":key/" + keyId);
  }

  /** The partition, e.g. {@code aws}. */
  public String partition() {
    return partition;
  }

  /** The region, e.g. {@code us-east-1}. */
  public String region() {
    return region;
  }

  /** The account that owns the key. */
  public AwsAccountId account() {
    return account;
  }

  /** Whether this names a key or an alias. */
  public ResourceType resourceType() {
    return resourceType;
  }

  /** The key ID (for a key ARN) or alias name without {@code alias/} (for an alias ARN). */
  public String resourceId() {
    return resourceId;
  }

  /** Whether this is a multi-Region key ({@code mrk-} key ID). */
  public boolean isMultiRegion() {
    return resourceType == ResourceType.KEY && resourceId.startsWith("mrk-");
  }

  /** Equal when the ARN text is equal (a cached hash is compared first). */
  @Override
  public boolean equals(@Nullable Object o) {
    return o == this || o instanceof KeyArn && ((KeyArn) o).hash == hash && ((KeyArn) o).text.equals(text);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  /** The ARN text, computed once. */
  @Override
  public String toString() {
    return text;
  }
}
