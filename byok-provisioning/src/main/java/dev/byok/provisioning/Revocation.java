package dev.byok.provisioning;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * How to cut the vendor off, and what {@code restore} undoes:
 *
 * <ul>
 *   <li>{@code disable}: DisableKey (every use fails; restore: EnableKey);</li>
 *   <li>{@code deny-vendor}: an explicit Deny of the profile's actions for the vendor's accounts in
 *       the key policy (restore: remove it);</li>
 *   <li>{@code deny-scope KEY=VALUE}: a Deny of the vendor's cryptographic actions when the request's
 *       encryption context has {@code KEY = VALUE} (one tenant or data class; restore: remove it);</li>
 *   <li>{@code schedule-deletion DAYS}: ScheduleKeyDeletion with a 7-30 day window (restore:
 *       CancelKeyDeletion, then EnableKey).</li>
 * </ul>
 *
 * <p>Immutable and thread-safe.
 */
public final class Revocation {
  /** The revocation modes. */
  public enum Mode {
    /** DisableKey; restore: EnableKey. */
    DISABLE("disable"),
    /** A Deny of the profile's actions for the vendor's accounts; restore removes it. */
    DENY_VENDOR("deny-vendor"),
    /** A Deny of the vendor's cryptographic actions for one encryption-context pair; restore removes it. */
    DENY_SCOPE("deny-scope"),
    /** ScheduleKeyDeletion; restore: CancelKeyDeletion, then EnableKey. */
    SCHEDULE_DELETION("schedule-deletion");

    private final String id;

    Mode(String id) {
      this.id = id;
    }

    /** The mode's name on the command line. */
    public String id() {
      return id;
    }

    /** Parses a mode name such as {@code deny-vendor}. */
    public static Mode parse(@Nullable String s) {
      for (Mode m : values()) {
        if (m.id.equals(s == null ? null : s.toLowerCase(Locale.ROOT))) {
          return m;
        }
      }
      throw new IllegalArgumentException("unknown revoke mode '" + s + "' (expected disable, deny-vendor, deny-scope or schedule-deletion)");
    }
  }

  /** The shortest waiting period KMS allows before deleting a key, in days. */
  public static final int MIN_DELETION_DAYS = 7;
  /** The longest waiting period KMS allows before deleting a key, in days. */
  public static final int MAX_DELETION_DAYS = 30;

  private final Mode mode;
  private final @Nullable String scopeKey;
  private final @Nullable String scopeValue;
  private final int deletionDays;

  private Revocation(Mode mode, @Nullable String scopeKey, @Nullable String scopeValue, int deletionDays) {
    this.mode = mode;
    this.scopeKey = scopeKey;
    this.scopeValue = scopeValue;
    this.deletionDays = deletionDays;
  }

  /** Disables the key. */
  public static Revocation disable() {
    return new Revocation(Mode.DISABLE, null, null, 0);
  }

  /** Denies the vendor's accounts the profile's actions in the key policy. */
  public static Revocation denyVendor() {
    return new Revocation(Mode.DENY_VENDOR, null, null, 0);
  }

  /** Denies the vendor's cryptographic use where the encryption context has {@code key = value}. */
  public static Revocation denyScope(String key, String value) {
    if (key == null || key.isEmpty() || value == null || value.isEmpty()) {
      throw new IllegalArgumentException("deny-scope needs KEY=VALUE with a non-empty key and value");
    }
    // Reuse the spec's rules for encryption-context conditions.
    ProvisioningSpec.builder().encryptionContextCondition(key, value);
    return new Revocation(Mode.DENY_SCOPE, key, value, 0);
  }

  /** Schedules deletion of the key after {@code days} (7-30). */
  public static Revocation scheduleDeletion(int days) {
    if (days < MIN_DELETION_DAYS || days > MAX_DELETION_DAYS) {
      throw new IllegalArgumentException("schedule-deletion needs 7-30 days (the KMS waiting period), got " + days);
    }
    return new Revocation(Mode.SCHEDULE_DELETION, null, null, days);
  }

  /**
   * Parses the command-line form: {@code disable}, {@code deny-vendor}, {@code deny-scope} with
   * {@code KEY=VALUE} (the CLI's {@code --context}), {@code schedule-deletion} with {@code DAYS}
   * (the CLI's {@code --days}). For {@code restore}, the argument of deny-scope and
   * schedule-deletion may be omitted ({@code allowMissingArgument}).
   */
  public static Revocation parse(String mode, @Nullable String argument, boolean allowMissingArgument) {
    Mode m = Mode.parse(mode);
    return switch (m) {
      case DISABLE, DENY_VENDOR -> {
        if (argument != null) {
          throw new IllegalArgumentException(m.id + " takes no argument, got '" + argument + "'");
        }
        yield m == Mode.DISABLE ? disable() : denyVendor();
      }
      case DENY_SCOPE -> {
        if (argument == null) {
          if (allowMissingArgument) {
            yield new Revocation(Mode.DENY_SCOPE, null, null, 0);
          }
          throw new IllegalArgumentException("deny-scope needs an encryption-context pair KEY=VALUE, such as --context tenant=T123");
        }
        int eq = argument.indexOf('=');
        if (eq <= 0 || eq == argument.length() - 1) {
          throw new IllegalArgumentException("deny-scope needs an encryption-context pair KEY=VALUE, such as --context tenant=T123, got '"
              + argument + "'");
        }
        yield denyScope(argument.substring(0, eq), argument.substring(eq + 1));
      }
      case SCHEDULE_DELETION -> {
        if (argument == null) {
          if (allowMissingArgument) {
            yield new Revocation(Mode.SCHEDULE_DELETION, null, null, 0);
          }
          throw new IllegalArgumentException("schedule-deletion needs the waiting period in days, 7-30, such as --days 30");
        }
        try {
          yield scheduleDeletion(Integer.parseInt(argument.strip()));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("schedule-deletion needs DAYS as a whole number 7-30, got '" + argument + "'", e);
        }
      }
    };
  }

  /** The mode. */
  public Mode mode() { return mode; }
  /** For deny-scope: the encryption-context key; empty for {@code restore deny-scope} of every scope. */
  public Optional<String> scopeKey() { return Optional.ofNullable(scopeKey); }
  /** For deny-scope: the encryption-context value; empty with {@link #scopeKey()}. */
  public Optional<String> scopeValue() { return Optional.ofNullable(scopeValue); }
  /** For schedule-deletion: the waiting period in days; 0 when parsed for restore without one. */
  public int deletionDays() { return deletionDays; }

  @Override
  public boolean equals(@Nullable Object o) {
    if (!(o instanceof Revocation)) {
      return false;
    }
    Revocation r = (Revocation) o;
    return mode == r.mode && Objects.equals(scopeKey, r.scopeKey) && Objects.equals(scopeValue, r.scopeValue) && deletionDays == r.deletionDays;
  }

  @Override
  public int hashCode() {
    return Objects.hash(mode, scopeKey, scopeValue, deletionDays);
  }

  /** The command-line form, such as {@code deny-scope tenant=T0042}. */
  @Override
  public String toString() {
    return switch (mode) {
      case DENY_SCOPE -> scopeKey == null ? "deny-scope (every scope)" : "deny-scope " + scopeKey + "=" + scopeValue;
      case SCHEDULE_DELETION -> deletionDays == 0 ? "schedule-deletion" : "schedule-deletion " + deletionDays;
      default -> mode.id;
    };
  }
}
