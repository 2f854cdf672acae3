package dev.byok.local;

import dev.byok.core.keys.DecryptedDataKey;
import dev.byok.core.keys.EncryptedDataKey;
import dev.byok.core.keys.GeneratedDataKey;
import dev.byok.core.keys.KeyDescription;
import dev.byok.core.keys.KeyService;
import dev.byok.core.keys.KeyServiceException;
import dev.byok.core.keys.KeyState;
import dev.byok.core.keys.PlaintextDataKey;
import dev.byok.core.AwsAccountId;
import dev.byok.core.ByokException;
import dev.byok.core.EncryptionContext;
import dev.byok.core.KeyArn;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An embedded, KMS-like key service: AES-256 master keys held in memory or in a JSON keystore file,
 * for development, demos and tests. <strong>Not for production:</strong> the master keys sit in
 * plaintext in memory and, in keystore-file mode, in the file; there is no HSM, no key policy
 * language, no rotation and no durability beyond one file on one disk.
 *
 * <p>Two sides, as with AWS KMS:
 * <ul>
 *   <li>The customer side (the key owner) administers keys through this class: {@link #createKey},
 *       {@link #disableKey}, {@link #enableKey}, {@link #scheduleKeyDeletion} (7-30 days) and
 *       {@link #cancelKeyDeletion} (back to Disabled, as in KMS), {@link #allowAccount} /
 *       {@link #removeAccount} (the per-key access list; the owner account is always allowed),
 *       {@link #addDenyRule} / {@link #removeDenyRule} (scoped revocation by encryption context),
 *       and reads the {@link #callLog()} — the stand-in for its CloudTrail.
 *   <li>The vendor side uses the {@link KeyService} view for its account, {@link #clientFor}. Every
 *       call is checked, in this order: the key exists (else {@code NotFoundException}), the caller
 *       is the owner or on the key's access list (else {@code AccessDeniedException}), no Deny rule
 *       matches the encryption context (else {@code AccessDeniedException}), the key is enabled
 *       (else {@code DisabledException}, or {@code KMSInvalidStateException} when pending
 *       deletion); on decrypt then the data key itself ({@code IncorrectKeyException} when it was
 *       made under another key, {@code InvalidCiphertextException} when it is malformed, tampered
 *       or bound to another context). All of these are {@link KeyServiceException}s with the AWS
 *       KMS error code and class; every result and error carries a fresh request ID, and every call
 *       is logged. {@code DescribeKey} checks existence and the access list only, and reports
 *       disabled and pending-deletion keys, as KMS does.
 * </ul>
 *
 * <p>Keys are named by ARNs the service mints, {@code arn:aws:kms:REGION:OWNER:key/UUID}; the
 * {@link KeyService} calls take a key ARN or an alias ARN, the customer-side methods also a key ID
 * or an alias ({@code alias/NAME}). A key whose deletion
 * date has passed (by the injected {@link Clock}) no longer exists.
 *
 * <p><b>Wire format.</b> Data keys are wrapped exactly as the AWS Encryption SDK's raw AES keyring
 * wraps them, so an ESDK raw AES keyring with key namespace {@link #keyNamespace()}, key name =
 * the key ARN and the key's material (which this module's tests export) reads messages made under
 * a local key:
 * <pre>
 * provider ID   = key namespace (default "byok-local")
 * provider info = key ARN (UTF-8) ‖ UInt32 128 (tag bits) ‖ UInt32 12 (IV bytes) ‖ 12-byte random IV
 * ciphertext    = AES-256-GCM(master key, IV, AAD = serialized encryption context, data key) ‖ 16-byte tag
 * </pre>
 *
 * <p><b>Keystore file.</b> {@link #open(Path)} loads the file, or creates it when absent. Every
 * admin change is written at once, atomically (temporary file in the same folder, then rename),
 * owner-only ({@code rw-------}) where the file system has POSIX permissions. A corrupt or
 * truncated file fails with a {@link ByokException} naming the file and the problem, and is not
 * overwritten. One process at a time may use a keystore file. The call log is in memory only.
 *
 * <pre>{@code
 * LocalKeyService keys = LocalKeyService.builder().ownerAccount(AwsAccountId.of("111122223333")).build();
 * KeyArn arn = keys.createKey("acme data", "acme-slack-prod");
 * keys.allowAccount(arn.toString(), AwsAccountId.of("444455556666"));
 * KeyService vendor = keys.clientFor(AwsAccountId.of("444455556666"));
 * GeneratedDataKey dk = vendor.generateDataKey(arn, EncryptionContext.of("tenant", "acme"));
 * }</pre>
 *
 * <p>Thread-safe. Admin changes are serialized; the data path reads an immutable snapshot of the
 * keys without locking (only the call-log append takes a short lock).
 */
public final class LocalKeyService {
  /** The default provider ID of the encrypted data keys this service writes. */
  public static final String DEFAULT_KEY_NAMESPACE = "byok-local";
  /** The default owner account: the example account of the AWS documentation. */
  public static final AwsAccountId DEFAULT_OWNER_ACCOUNT = AwsAccountId.of("111122223333");
  /** The default region of the keys' ARNs. */
  public static final String DEFAULT_REGION = "us-east-1";
  /** The default partition of the keys' ARNs. */
  public static final String DEFAULT_PARTITION = "aws";
  /** How many call-log entries are kept by default; older ones are dropped first. */
  public static final int DEFAULT_CALL_LOG_CAPACITY = 100_000;
  /** The shortest waiting period of a scheduled deletion, as in KMS. */
  public static final int MIN_PENDING_WINDOW_IN_DAYS = 7;
  /** The longest waiting period of a scheduled deletion, as in KMS. */
  public static final int MAX_PENDING_WINDOW_IN_DAYS = 30;
  /** The length of a master key (AES-256). */
  public static final int MASTER_KEY_LENGTH_IN_BYTES = 32;
  /** The length of the data keys generated (256 bits). */
  public static final int DATA_KEY_LENGTH_IN_BYTES = RawAesKeyWrap.DATA_KEY_LENGTH_IN_BYTES;
  static final int MAX_DESCRIPTION_LENGTH = 8192;

  private static final Logger LOG = LoggerFactory.getLogger(LocalKeyService.class);

  private final String partition;
  private final String region;
  private final AwsAccountId ownerAccount;
  private final String keyNamespace;
  private final Clock clock;
  private final SecureRandom random;
  private final @Nullable Path file;
  private final CallLog callLog;
  private final Object adminLock = new Object();
  /** The owner's successful key changes, for {@link #writeCloudTrailRecords}; guarded by {@link #adminLock}. */
  private final java.util.ArrayDeque<CloudTrailRecords.AdminCall> adminLog = new java.util.ArrayDeque<>();
  private final int adminLogCapacity;
  private volatile KeyTable keys;

  private LocalKeyService(Builder b, KeystoreFile.Header header, List<LocalKey> loaded) {
    this.partition = header.partition();
    this.region = header.region();
    this.ownerAccount = header.ownerAccount();
    this.keyNamespace = header.keyNamespace();
    this.clock = b.clock != null ? b.clock : Clock.systemUTC();
    this.random = b.random != null ? b.random : new SecureRandom();
    this.file = b.file;
    this.callLog = new CallLog(b.callLogCapacity != null ? b.callLogCapacity : DEFAULT_CALL_LOG_CAPACITY);
    this.adminLogCapacity = b.callLogCapacity != null ? b.callLogCapacity : DEFAULT_CALL_LOG_CAPACITY;
    this.keys = new KeyTable(loaded);
  }

  /** A builder; every setting has a default. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Opens the keystore {@code file} with default settings, creating it (and its folder) when it does
   * not exist. Same as {@code builder().keystore(file).build()}.
   *
   * @throws ByokException naming the file when it is corrupt, truncated or cannot be read or written
   */
  public static LocalKeyService open(Path file) {
    return builder().keystore(file).build();
  }

  // ---------------------------------------------------------------- vendor side

  /**
   * The {@link KeyService} view of this service for {@code caller}: every call is checked against
   * the key's state, access list and Deny rules, and logged with {@code caller} as the account.
   * Views are cheap, stateless and thread-safe.
   */
  public KeyService clientFor(AwsAccountId caller) {
    return new Client(Objects.requireNonNull(caller, "caller"));
  }

  /** {@code clientFor(ownerAccount())}. */
  public KeyService ownerClient() {
    return clientFor(ownerAccount);
  }

  private final class Client implements KeyService {
    private final AwsAccountId caller;

    Client(AwsAccountId caller) {
      this.caller = caller;
    }

    @Override
    public String providerId() {
      return keyNamespace;
    }

    /** Whether {@code edk} is in this service's namespace and names one of its existing keys. */
    @Override
    public boolean canDecrypt(EncryptedDataKey edk) {
      if (!keyNamespace.equals(edk.providerId())) {
        return false;
      }
      byte[] name = RawAesKeyWrap.keyName(edk.providerInfo());
      if (name == null) {
        return false;
      }
      LocalKey k = keys.byArn(new String(name, StandardCharsets.UTF_8));
      return k != null && !k.isDeleted(clock.instant());
    }

    @Override
    public GeneratedDataKey generateDataKey(KeyArn keyArn, EncryptionContext context) {
      Objects.requireNonNull(keyArn, "keyArn");
      Objects.requireNonNull(context, "context");
      Call call = new Call(LocalKeyCall.Operation.GENERATE_DATA_KEY, caller, keyArn, context);
      try {
        LocalKey k = authorize(call, true);
        byte[] dataKey = new byte[DATA_KEY_LENGTH_IN_BYTES];
        random.nextBytes(dataKey);
        EncryptedDataKey edk;
        try {
          edk = RawAesKeyWrap.wrap(keyNamespace, k.keyName, k.wrappingKey, dataKey, context, random);
        } catch (GeneralSecurityException e) {
          Arrays.fill(dataKey, (byte) 0);
          throw call.internalError(e);
        }
        call.succeeded();
        return new GeneratedDataKey(PlaintextDataKey.wrap(dataKey), edk, k.arn, call.requestId);
      } catch (KeyServiceException e) {
        call.failed(e);
        throw e;
      }
    }

    @Override
    public DecryptedDataKey decryptDataKey(KeyArn keyArn, EncryptedDataKey edk, EncryptionContext context) {
      Objects.requireNonNull(keyArn, "keyArn");
      Objects.requireNonNull(edk, "edk");
      Objects.requireNonNull(context, "context");
      Call call = new Call(LocalKeyCall.Operation.DECRYPT, caller, keyArn, context);
      try {
        LocalKey k = authorize(call, true);
        byte[] dataKey;
        try {
          dataKey = RawAesKeyWrap.unwrap(keyNamespace, k.keyName, k.wrappingKey, edk, context);
        } catch (RawAesKeyWrap.UnwrapException e) {
          if (e.failure == RawAesKeyWrap.Failure.WRONG_KEY) {
            throw call.error(KeyServiceException.ErrorClass.BAD_INPUT, "IncorrectKeyException",
                "The key ID in the request does not identify the key that encrypted this data key.");
          }
          throw call.error(KeyServiceException.ErrorClass.BAD_INPUT, "InvalidCiphertextException",
              "The data key is not a ciphertext of this key service, or was tampered with, or was made "
              + "with a different encryption context.");
        } catch (GeneralSecurityException e) {
          throw call.internalError(e);
        }
        call.succeeded();
        return new DecryptedDataKey(PlaintextDataKey.wrap(dataKey), k.arn, call.requestId);
      } catch (KeyServiceException e) {
        call.failed(e);
        throw e;
      }
    }

    @Override
    public KeyDescription describeKey(KeyArn keyArn) {
      Objects.requireNonNull(keyArn, "keyArn");
      Call call = new Call(LocalKeyCall.Operation.DESCRIBE_KEY, caller, keyArn, EncryptionContext.empty());
      try {
        LocalKey k = authorize(call, false);
        call.succeeded();
        return new KeyDescription(k.arn, k.state, call.requestId);
      } catch (KeyServiceException e) {
        call.failed(e);
        throw e;
      }
    }

    @Override
    public String toString() {
      return "LocalKeyService.Client{caller=" + caller + ", namespace=" + keyNamespace + "}";
    }
  }

  /** One data-plane call in flight: its request ID, what to log, and its errors. */
  private final class Call {
    final LocalKeyCall.Operation operation;
    final AwsAccountId caller;
    final KeyArn requested;
    final EncryptionContext context;
    final String requestId = newUuid();
    final Instant time = clock.instant();
    /** The ARN text to log: the requested key or alias ARN, then the key it resolved to. */
    String keyArn;

    Call(LocalKeyCall.Operation operation, AwsAccountId caller, KeyArn requested, EncryptionContext context) {
      this.operation = operation;
      this.caller = caller;
      this.requested = requested;
      this.keyArn = requested.toString();
      this.context = context;
    }

    KeyServiceException error(KeyServiceException.ErrorClass cls, String code, String message) {
      return new KeyServiceException(cls, code, keyArn, requestId, message, null);
    }

    KeyServiceException internalError(GeneralSecurityException e) {
      return new KeyServiceException(KeyServiceException.ErrorClass.TRANSIENT, "KMSInternalException", keyArn,
          requestId, "the local key service's cryptography failed: " + e.getClass().getSimpleName(), e);
    }

    void succeeded() {
      callLog.add(new LocalKeyCall(time, operation, keyArn, caller, context, requestId,
          LocalKeyCall.Outcome.SUCCESS, null));
    }

    void failed(KeyServiceException e) {
      callLog.add(new LocalKeyCall(time, operation, keyArn, caller, context, requestId,
          LocalKeyCall.Outcome.FAILURE, e.errorCode()));
    }
  }

  private LocalKey authorize(Call call, boolean useKey) {
    LocalKey k = resolve(keys, call.requested, call.time);
    if (k == null) {
      throw call.error(KeyServiceException.ErrorClass.DEFINITIVE, "NotFoundException",
          "Key '" + call.keyArn + "' does not exist");
    }
    call.keyArn = k.arnText;
    String action = "kms:" + call.operation.kmsName();
    if (!k.allows(call.caller)) {
      throw call.error(KeyServiceException.ErrorClass.DEFINITIVE, "AccessDeniedException",
          "User: " + call.caller.rootArn(partition) + " is not authorized to perform: " + action
          + " on resource: " + k.arnText + " because no resource-based policy allows the " + action + " action");
    }
    if (!useKey) {
      return k;
    }
    for (ContextDenyRule rule : k.denyRules) {
      if (rule.matches(call.context)) {
        throw call.error(KeyServiceException.ErrorClass.DEFINITIVE, "AccessDeniedException",
            "User: " + call.caller.rootArn(partition) + " is not authorized to perform: " + action
            + " on resource: " + k.arnText + " with an explicit deny in a resource-based policy"
            + " (encryption context " + rule + ")");
      }
    }
    if (k.state == KeyState.DISABLED) {
      throw call.error(KeyServiceException.ErrorClass.DEFINITIVE, "DisabledException", k.arnText + " is disabled.");
    }
    if (k.state == KeyState.PENDING_DELETION) {
      throw call.error(KeyServiceException.ErrorClass.DEFINITIVE, "KMSInvalidStateException",
          k.arnText + " is pending deletion.");
    }
    return k;
  }

  /** The existing key {@code arn} names (a key ARN or an alias ARN of this service), or {@code null}. */
  private @Nullable LocalKey resolve(KeyTable table, KeyArn arn, Instant now) {
    if (!arn.partition().equals(partition) || !arn.region().equals(region) || !arn.account().equals(ownerAccount)) {
      return null;
    }
    LocalKey k = arn.resourceType() == KeyArn.ResourceType.KEY ? table.byId(arn.resourceId())
        : table.byAlias("alias/" + arn.resourceId());
    return k == null || k.isDeleted(now) ? null : k;
  }

  /** The existing key {@code ref} names (key ARN, key ID, alias or alias ARN), or {@code null}. */
  private @Nullable LocalKey resolve(KeyTable table, @Nullable String ref, Instant now) {
    if (ref == null || ref.isEmpty()) {
      return null;
    }
    LocalKey k;
    if (ref.startsWith("arn:")) {
      KeyArn arn;
      try {
        arn = KeyArn.parse(ref);
      } catch (IllegalArgumentException e) {
        return null;
      }
      return resolve(table, arn, now);
    } else if (ref.startsWith("alias/")) {
      k = table.byAlias(ref);
    } else {
      k = table.byId(ref);
    }
    return k == null || k.isDeleted(now) ? null : k;
  }

  // ---------------------------------------------------------------- customer side

  /** {@code createKey(description, null)}. */
  public KeyArn createKey(@Nullable String description) {
    return createKey(description, null);
  }

  /**
   * Creates an enabled AES-256 key with a fresh random master key and returns its ARN.
   *
   * @param description free text, at most 8,192 characters; {@code null} for none
   * @param alias {@code alias/NAME} or {@code NAME} (A-Z a-z 0-9 / _ -, not starting with
   *     {@code aws/}); {@code null} for none
   * @throws IllegalArgumentException if the description or alias is malformed
   * @throws KeyServiceException {@code AlreadyExistsException} if the alias is taken
   * @throws ByokException if the keystore file cannot be written (the key is then not created)
   */
  public KeyArn createKey(@Nullable String description, @Nullable String alias) {
    String desc = description == null ? "" : description;
    if (desc.length() > MAX_DESCRIPTION_LENGTH) {
      throw new IllegalArgumentException("key description: at most " + MAX_DESCRIPTION_LENGTH
          + " characters, got " + desc.length());
    }
    String aliasName = alias == null ? null : normalizeAlias(partition, region, ownerAccount, alias);
    synchronized (adminLock) {
      Instant now = clock.instant();
      KeyTable table = keys.purged(now);
      if (aliasName != null && table.byAlias(aliasName) != null) {
        throw adminError(KeyServiceException.ErrorClass.BAD_INPUT, "AlreadyExistsException", aliasName,
            "An alias with the name " + aliasName + " already exists");
      }
      KeyArn arn = KeyArn.ofKey(partition, region, ownerAccount, newUuid());
      byte[] material = new byte[MASTER_KEY_LENGTH_IN_BYTES];
      random.nextBytes(material);
      SecretKeySpec spec = new SecretKeySpec(material, "AES");
      Arrays.fill(material, (byte) 0);
      LocalKey key = new LocalKey(arn, desc, now, KeyState.ENABLED, null, spec,
          aliasName == null ? List.of() : List.of(aliasName), Set.of(), List.of());
      commit(table.with(key));
      logAdmin("CreateKey", arn.toString(), null, now);
      LOG.debug("created local key {}", arn);
      return arn;
    }
  }

  /** The existing keys, in creation order. */
  public List<LocalKeyInfo> listKeys() {
    Instant now = clock.instant();
    List<LocalKeyInfo> out = new ArrayList<>();
    for (LocalKey k : keys.keys()) {
      if (!k.isDeleted(now)) {
        out.add(k.info());
      }
    }
    return List.copyOf(out);
  }

  /**
   * Describes a key for its owner: state, deletion date, aliases, access list and Deny rules.
   *
   * @throws KeyServiceException {@code NotFoundException} if there is no such key
   */
  public LocalKeyInfo describe(String keyRef) {
    return requireKey(keys, keyRef, clock.instant()).info();
  }

  /**
   * Disables a key: every GenerateDataKey and Decrypt then fails with {@code DisabledException}.
   * Does nothing if it is already disabled.
   *
   * @throws KeyServiceException {@code NotFoundException}; {@code KMSInvalidStateException} if the
   *     key is pending deletion
   */
  public void disableKey(String keyRef) {
    changeState(keyRef, KeyState.DISABLED, "DisableKey");
  }

  /**
   * Enables a disabled key. Does nothing if it is already enabled.
   *
   * @throws KeyServiceException {@code NotFoundException}; {@code KMSInvalidStateException} if the
   *     key is pending deletion (cancel the deletion first)
   */
  public void enableKey(String keyRef) {
    changeState(keyRef, KeyState.ENABLED, "EnableKey");
  }

  private void changeState(String keyRef, KeyState target, String operation) {
    update(keyRef, operation, null, (k, now) -> {
      if (k.state == KeyState.PENDING_DELETION) {
        throw adminError(KeyServiceException.ErrorClass.DEFINITIVE, "KMSInvalidStateException", k.arnText,
            k.arnText + " is pending deletion; " + operation + " is not allowed (cancel the deletion first)");
      }
      return k.state == target ? k : k.withState(target, null);
    });
  }

  /**
   * Schedules a key for deletion after a waiting period, as KMS does: it is unusable at once
   * ({@code KMSInvalidStateException}) and gone ({@code NotFoundException}) at the returned instant.
   *
   * @param pendingWindow whole days, from 7 to 30
   * @return the deletion date
   * @throws IllegalArgumentException if {@code pendingWindow} is not 7-30 whole days
   * @throws KeyServiceException {@code NotFoundException}; {@code KMSInvalidStateException} if it is
   *     already pending deletion
   */
  public Instant scheduleKeyDeletion(String keyRef, Duration pendingWindow) {
    Objects.requireNonNull(pendingWindow, "pendingWindow");
    long days = pendingWindow.toDays();
    if (!pendingWindow.equals(Duration.ofDays(days)) || days < MIN_PENDING_WINDOW_IN_DAYS
        || days > MAX_PENDING_WINDOW_IN_DAYS) {
      throw new IllegalArgumentException("pending window: must be whole days from " + MIN_PENDING_WINDOW_IN_DAYS
          + " to " + MAX_PENDING_WINDOW_IN_DAYS + ", got " + pendingWindow);
    }
    return update(keyRef, "ScheduleKeyDeletion", (int) days, (k, now) -> {
      if (k.state == KeyState.PENDING_DELETION) {
        throw adminError(KeyServiceException.ErrorClass.DEFINITIVE, "KMSInvalidStateException", k.arnText,
            k.arnText + " is already pending deletion (on " + k.deletionDate + ")");
      }
      return k.withState(KeyState.PENDING_DELETION, now.plus(pendingWindow));
    }).orElseThrow().deletionDate;
  }

  /** {@link #scheduleKeyDeletion(String, Duration)} with {@code days} days. */
  public Instant scheduleKeyDeletion(String keyRef, int days) {
    return scheduleKeyDeletion(keyRef, Duration.ofDays(days));
  }

  /**
   * Cancels a scheduled deletion. The key becomes Disabled, as in KMS; enable it to use it again.
   *
   * @throws KeyServiceException {@code NotFoundException}; {@code KMSInvalidStateException} if it is
   *     not pending deletion
   */
  public void cancelKeyDeletion(String keyRef) {
    update(keyRef, "CancelKeyDeletion", null, (k, now) -> {
      if (k.state != KeyState.PENDING_DELETION) {
        throw adminError(KeyServiceException.ErrorClass.DEFINITIVE, "KMSInvalidStateException", k.arnText,
            k.arnText + " is not pending deletion");
      }
      return k.withState(KeyState.DISABLED, null);
    });
  }

  /**
   * Lets {@code account} use the key (GenerateDataKey, Decrypt, DescribeKey).
   *
   * @return whether the access list changed ({@code false} if the account was already allowed or is
   *     the owner)
   */
  public boolean allowAccount(String keyRef, AwsAccountId account) {
    Objects.requireNonNull(account, "account");
    return update(keyRef, "PutKeyPolicy", null, (k, now) -> {
      if (account.equals(ownerAccount) || k.allowedAccounts.contains(account)) {
        return k;
      }
      Set<AwsAccountId> accounts = new TreeSet<>(k.allowedAccounts);
      accounts.add(account);
      return k.withAllowedAccounts(accounts);
    }).isPresent();
  }

  /**
   * Removes {@code account} from the key's access list: its later calls fail with
   * {@code AccessDeniedException}.
   *
   * @return whether the access list changed
   * @throws IllegalArgumentException for the owner account, which is always allowed
   */
  public boolean removeAccount(String keyRef, AwsAccountId account) {
    Objects.requireNonNull(account, "account");
    if (account.equals(ownerAccount)) {
      throw new IllegalArgumentException("account " + account + " owns the key and is always allowed; "
          + "disable the key or add a Deny rule instead");
    }
    return update(keyRef, "PutKeyPolicy", null, (k, now) -> {
      if (!k.allowedAccounts.contains(account)) {
        return k;
      }
      Set<AwsAccountId> accounts = new TreeSet<>(k.allowedAccounts);
      accounts.remove(account);
      return k.withAllowedAccounts(accounts);
    }).isPresent();
  }

  /**
   * Adds a Deny rule: GenerateDataKey and Decrypt calls whose encryption context has {@code key}
   * with {@code value} fail with {@code AccessDeniedException}, for every caller including the owner
   * (scoped revocation, e.g. of one tenant).
   *
   * @return whether the rules changed ({@code false} if the rule existed)
   */
  public boolean addDenyRule(String keyRef, String key, String value) {
    ContextDenyRule rule = ContextDenyRule.of(key, value);
    return update(keyRef, "PutKeyPolicy", null, (k, now) -> {
      if (k.denyRules.contains(rule)) {
        return k;
      }
      List<ContextDenyRule> rules = new ArrayList<>(k.denyRules);
      rules.add(rule);
      return k.withDenyRules(rules);
    }).isPresent();
  }

  /**
   * Removes a Deny rule added by {@link #addDenyRule}.
   *
   * @return whether the rules changed ({@code false} if there was no such rule)
   */
  public boolean removeDenyRule(String keyRef, String key, String value) {
    ContextDenyRule rule = ContextDenyRule.of(key, value);
    return update(keyRef, "PutKeyPolicy", null, (k, now) -> {
      if (!k.denyRules.contains(rule)) {
        return k;
      }
      List<ContextDenyRule> rules = new ArrayList<>(k.denyRules);
      rules.remove(rule);
      return k.withDenyRules(rules);
    }).isPresent();
  }

  /**
   * The plaintext master key of {@code keyRef}. <strong>For this module's tests and interoperability
   * checks only</strong> (e.g. to give an AWS Encryption SDK raw AES keyring the same wrapping key):
   * it defeats the point of a key service, so it is not public. The caller owns the returned copy and should zero it.
   * Works in every key state, as long as the key exists.
   *
   * @throws KeyServiceException {@code NotFoundException} if there is no such key
   */
  byte[] exportKeyMaterialForTesting(String keyRef) {
    return requireKey(keys, keyRef, clock.instant()).wrappingKey.getEncoded();
  }

  /**
   * The calls made through {@link #clientFor} views, oldest first: the newest
   * {@link Builder#callLogCapacity} of them. A snapshot.
   */
  public List<LocalKeyCall> callLog() {
    return callLog.snapshot();
  }

  /** How many call-log entries have been dropped because the log was full. */
  public long callLogDropped() {
    return callLog.dropped();
  }

  /** Empties the call log (and the record of key changes {@link #writeCloudTrailRecords} adds). */
  public void clearCallLog() {
    callLog.clear();
    synchronized (adminLock) {
      adminLog.clear();
    }
  }

  /**
   * Writes the call log as one CloudTrail log file, {@code {"Records":[...]}}, in AWS's documented
   * format for KMS records (gzip-compressed, as CloudTrail delivers them, when the name ends in
   * {@code .gz}), so that the customer-side tools that read a trail (such as {@code byok audit
   * report}) read the embedded key service's calls the same way. The records are the data-plane
   * calls of {@link #callLog()} (GenerateDataKey, Decrypt, DescribeKey, with their encryption
   * context, request ID and error code) and the owner's key changes made through this service
   * (CreateKey, DisableKey, EnableKey, ScheduleKeyDeletion, CancelKeyDeletion, and PutKeyPolicy for
   * access-list and Deny-rule changes), oldest first. The caller of a call made through
   * {@link #clientFor} another account is that account ({@code userIdentity.type} {@code AWSAccount});
   * the owner is {@code Root}. Times keep their milliseconds (CloudTrail writes whole seconds).
   * Holds no key material. Writes to a temporary file beside {@code file}, then renames it.
   *
   * @param file where to write; its folder must exist
   * @throws java.io.IOException if the file cannot be written
   */
  public void writeCloudTrailRecords(Path file) throws java.io.IOException {
    List<CloudTrailRecords.AdminCall> admin;
    synchronized (adminLock) {
      admin = List.copyOf(adminLog);
    }
    CloudTrailRecords.write(file, callLog.snapshot(), admin, ownerAccount, partition, region);
  }

  /** The account that owns the keys. */
  public AwsAccountId ownerAccount() {
    return ownerAccount;
  }

  /** The region of the keys' ARNs. */
  public String region() {
    return region;
  }

  /** The partition of the keys' ARNs. */
  public String partition() {
    return partition;
  }

  /** The provider ID of the encrypted data keys this service writes (the raw AES key namespace). */
  public String keyNamespace() {
    return keyNamespace;
  }

  /** The keystore file, or empty when the keys are in memory only. */
  public Optional<Path> keystoreFile() {
    return Optional.ofNullable(file);
  }

  @Override
  public String toString() {
    return "LocalKeyService{owner=" + ownerAccount + ", region=" + region + ", namespace=" + keyNamespace
        + ", keys=" + keys.keys().size() + (file == null ? ", in memory" : ", file=" + file) + "}";
  }

  /**
   * One admin change, under the admin lock: purges deleted keys, finds {@code keyRef} (else
   * {@code NotFoundException}), and commits what {@code change} returns unless it is the same key.
   * Whatever {@code change} throws leaves the keys as they were.
   *
   * @return the committed key, or empty if {@code change} returned its argument (nothing changed)
   */
  private Optional<LocalKey> update(String keyRef, String eventName, Integer pendingWindowInDays, KeyChange change) {
    synchronized (adminLock) {
      Instant now = clock.instant();
      KeyTable table = keys.purged(now);
      LocalKey k = requireKey(table, keyRef, now);
      LocalKey changed = change.apply(k, now);
      if (changed == k) {
        logAdmin(eventName, k.arnText, pendingWindowInDays, now);
        return Optional.empty();
      }
      commit(table.with(changed));
      logAdmin(eventName, k.arnText, pendingWindowInDays, now);
      return Optional.of(changed);
    }
  }

  /** Records a successful key change for {@link #writeCloudTrailRecords}; called under the admin lock. */
  private void logAdmin(String eventName, String keyArn, Integer pendingWindowInDays, Instant now) {
    if (adminLog.size() == adminLogCapacity) {
      adminLog.removeFirst();
    }
    adminLog.addLast(new CloudTrailRecords.AdminCall(now, eventName, keyArn, newUuid(), pendingWindowInDays));
  }

  /** A change to one key for {@link #update}: the key itself when nothing changes. */
  @FunctionalInterface
  private interface KeyChange {
    LocalKey apply(LocalKey key, Instant now);
  }

  private LocalKey requireKey(KeyTable table, @Nullable String keyRef, Instant now) {
    LocalKey k = resolve(table, keyRef, now);
    if (k == null) {
      throw adminError(KeyServiceException.ErrorClass.DEFINITIVE, "NotFoundException", keyRef,
          "Key '" + keyRef + "' does not exist");
    }
    return k;
  }

  private KeyServiceException adminError(KeyServiceException.ErrorClass cls, String code, @Nullable String keyArn,
      String msg) {
    return new KeyServiceException(cls, code, keyArn, newUuid(), msg, null);
  }

  /** Writes the file (if any) first, so a failed write leaves memory and file as they were. */
  private void commit(KeyTable table) {
    if (file != null) {
      KeystoreFile.write(file, header(), table.keys());
    }
    keys = table;
  }

  private KeystoreFile.Header header() {
    return new KeystoreFile.Header(partition, region, ownerAccount, keyNamespace);
  }

  /** A random (version 4) UUID from this service's {@link SecureRandom}. */
  private String newUuid() {
    byte[] b = new byte[16];
    random.nextBytes(b);
    b[6] = (byte) ((b[6] & 0x0f) | 0x40);
    b[8] = (byte) ((b[8] & 0x3f) | 0x80);
    long hi = 0;
    long lo = 0;
    for (int i = 0; i < 8; i++) {
      hi = (hi << 8) | (b[i] & 0xff);
      lo = (lo << 8) | (b[i + 8] & 0xff);
    }
    return new UUID(hi, lo).toString();
  }

  static void checkKeyNamespace(@Nullable String namespace) {
    if (namespace == null || namespace.isEmpty()) {
      throw new IllegalArgumentException("key namespace: must be a non-empty string");
    }
    if (namespace.startsWith(EncryptedDataKey.AWS_KMS_PROVIDER_ID)) {
      throw new IllegalArgumentException("key namespace: '" + namespace + "' must not start with 'aws-kms', "
          + "which the AWS Encryption SDK reserves for AWS KMS");
    }
    if (namespace.getBytes(StandardCharsets.UTF_8).length > 0xFFFF) {
      throw new IllegalArgumentException("key namespace: longer than 65,535 bytes of UTF-8");
    }
  }

  static void checkRegion(String partition, @Nullable String region) {
    if (region == null) {
      throw new IllegalArgumentException("region: must not be null");
    }
    try {
      KeyArn.ofKey(partition, region, DEFAULT_OWNER_ACCOUNT, "00000000-0000-4000-8000-000000000000");
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("region: '" + region + "' is not a region name such as us-east-1", e);
    }
  }

  /** {@code alias/NAME} for {@code alias/NAME} or {@code NAME}, validated like an alias ARN. */
  static String normalizeAlias(String partition, String region, AwsAccountId owner, String alias) {
    String name = alias.startsWith("alias/") ? alias.substring("alias/".length()) : alias;
    try {
      KeyArn.parse("arn:" + partition + ":kms:" + region + ":" + owner.value() + ":alias/" + name);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("alias '" + alias + "': must be alias/NAME with NAME 1-250 of "
          + "A-Z a-z 0-9 / _ - and not starting with aws/", e);
    }
    return "alias/" + name;
  }

  /**
   * Builds a {@link LocalKeyService}. Each setter fails fast on a bad value or when called twice.
   * Defaults: owner account {@code 111122223333}, region {@code us-east-1}, partition {@code aws},
   * key namespace {@code byok-local}, the UTC system clock, a new {@link SecureRandom}, a call log
   * of 100,000 entries, keys in memory. With a keystore file that exists, the owner account, region, partition
   * and namespace come from the file; setting a different one is an error. Not thread-safe.
   */
  public static final class Builder {
    private @Nullable AwsAccountId ownerAccount;
    private @Nullable String region;
    private @Nullable String partition;
    private @Nullable String keyNamespace;
    private @Nullable Clock clock;
    private @Nullable SecureRandom random;
    private @Nullable Integer callLogCapacity;
    private @Nullable Path file;

    private Builder() {}

    private static void once(@Nullable Object current, String what) {
      if (current != null) {
        throw new IllegalStateException("LocalKeyService.Builder: " + what + " was already set");
      }
    }

    /** The account that owns the keys (in their ARNs); it may always use them. */
    public Builder ownerAccount(AwsAccountId account) {
      once(ownerAccount, "ownerAccount");
      this.ownerAccount = Objects.requireNonNull(account, "ownerAccount");
      return this;
    }

    /** The region in the key ARNs, e.g. {@code eu-west-1}. */
    public Builder region(String region) {
      once(this.region, "region");
      checkRegion(DEFAULT_PARTITION, region);
      this.region = region;
      return this;
    }

    /** The partition in the key ARNs, one of {@link KeyArn#PARTITIONS}. */
    public Builder partition(String partition) {
      once(this.partition, "partition");
      if (!KeyArn.PARTITIONS.contains(partition)) {
        throw new IllegalArgumentException("partition: '" + partition + "' is not one of "
            + new TreeSet<>(KeyArn.PARTITIONS));
      }
      this.partition = partition;
      return this;
    }

    /**
     * The provider ID written into encrypted data keys (the raw AES keyring's key namespace); must
     * not start with {@code aws-kms}.
     */
    public Builder keyNamespace(String namespace) {
      once(this.keyNamespace, "keyNamespace");
      checkKeyNamespace(namespace);
      this.keyNamespace = namespace;
      return this;
    }

    /** The clock for call-log times, creation and deletion dates. */
    public Builder clock(Clock clock) {
      once(this.clock, "clock");
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** The source of master keys, data keys, IVs, key IDs and request IDs. */
    public Builder secureRandom(SecureRandom random) {
      once(this.random, "secureRandom");
      this.random = Objects.requireNonNull(random, "secureRandom");
      return this;
    }

    /** How many call-log entries to keep (at least 1); the oldest are dropped first. */
    public Builder callLogCapacity(int capacity) {
      once(this.callLogCapacity, "callLogCapacity");
      if (capacity < 1) {
        throw new IllegalArgumentException("callLogCapacity: must be at least 1, got " + capacity);
      }
      this.callLogCapacity = capacity;
      return this;
    }

    /**
     * Keeps the keys in this JSON file (loaded if it exists, created otherwise) instead of in
     * memory only. The file holds the master keys in plaintext: for development and tests only.
     */
    public Builder keystore(Path file) {
      once(this.file, "keystore");
      this.file = Objects.requireNonNull(file, "keystore file");
      return this;
    }

    /**
     * Builds the service; with a keystore file, loads or creates it.
     *
     * @throws IllegalArgumentException if the region is not valid in the partition
     * @throws ByokException naming the file when the keystore is corrupt, truncated, unreadable,
     *     unwritable, or was made for a different owner, region, partition or namespace
     */
    public LocalKeyService build() {
      KeystoreFile.Header wanted = new KeystoreFile.Header(
          partition != null ? partition : DEFAULT_PARTITION,
          region != null ? region : DEFAULT_REGION,
          ownerAccount != null ? ownerAccount : DEFAULT_OWNER_ACCOUNT,
          keyNamespace != null ? keyNamespace : DEFAULT_KEY_NAMESPACE);
      checkRegion(wanted.partition(), wanted.region());
      if (file == null) {
        return new LocalKeyService(this, wanted, List.of());
      }
      KeystoreFile.Contents contents = KeystoreFile.read(file);
      if (contents == null) {
        KeystoreFile.write(file, wanted, List.of());
        LOG.info("created keystore file {}: development/test only, its key material is stored in plaintext", file);
        return new LocalKeyService(this, wanted, List.of());
      }
      KeystoreFile.Header h = contents.header();
      mismatch("owner account", ownerAccount, h.ownerAccount());
      mismatch("region", region, h.region());
      mismatch("partition", partition, h.partition());
      mismatch("key namespace", keyNamespace, h.keyNamespace());
      return new LocalKeyService(this, h, new ArrayList<>(new LinkedHashSet<>(contents.keys())));
    }

    private void mismatch(String what, @Nullable Object set, Object inFile) {
      if (set != null && !set.equals(inFile)) {
        throw new ByokException("keystore file '" + file + "' belongs to " + what + " '" + inFile
            + "', but the builder was given '" + set + "'");
      }
    }
  }
}
