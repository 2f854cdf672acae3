package dev.byok.core;

import dev.byok.core.internal.Strings;
import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Why a key was used: an open value type with a standard vocabulary modelled on Google Cloud's Key
 * Access Justifications. Custom codes match {@code [A-Z][A-Z0-9_]{2,63}}. Immutable.
 *
 * <p>{@code ReasonCode.of("FRAUD_REVIEW")}
 *
 * @param value the code, e.g. {@code USER_REQUEST}
 */
public record ReasonCode(String value) {
  private static final Pattern FORM = Pattern.compile("[A-Z][A-Z0-9_]{2,63}");

  /** The customer itself asked for the data (e.g. its admin exported it). */
  public static final ReasonCode CUSTOMER_INITIATED_ACCESS = new ReasonCode("CUSTOMER_INITIATED_ACCESS");
  /** A user of the customer's organisation read or wrote their own data through the product. */
  public static final ReasonCode USER_REQUEST = new ReasonCode("USER_REQUEST");
  /** The product indexed the data for search. */
  public static final ReasonCode SEARCH_INDEXING = new ReasonCode("SEARCH_INDEXING");
  /** An automated system process (compaction, migration, scheduled jobs). */
  public static final ReasonCode SYSTEM_OPERATION = new ReasonCode("SYSTEM_OPERATION");
  /** Backup or restore of the customer's data. */
  public static final ReasonCode BACKUP_RESTORE = new ReasonCode("BACKUP_RESTORE");
  /** Export of the customer's data. */
  public static final ReasonCode DATA_EXPORT = new ReasonCode("DATA_EXPORT");
  /** A vendor employee accessed the data to support the customer. */
  public static final ReasonCode VENDOR_SUPPORT_ACCESS = new ReasonCode("VENDOR_SUPPORT_ACCESS");
  /** Access compelled by a legal request. */
  public static final ReasonCode LEGAL_REQUEST = new ReasonCode("LEGAL_REQUEST");
  /** Re-wrapping data under a rotated key. */
  public static final ReasonCode KEY_ROTATION_REWRAP = new ReasonCode("KEY_ROTATION_REWRAP");
  /** byok itself checking whether access to a key has returned. */
  public static final ReasonCode REVOCATION_CHECK = new ReasonCode("REVOCATION_CHECK");

  /** The standard vocabulary, in declaration order. */
  public static final List<ReasonCode> STANDARD = List.of(CUSTOMER_INITIATED_ACCESS, USER_REQUEST,
      SEARCH_INDEXING, SYSTEM_OPERATION, BACKUP_RESTORE, DATA_EXPORT, VENDOR_SUPPORT_ACCESS,
      LEGAL_REQUEST, KEY_ROTATION_REWRAP, REVOCATION_CHECK);

  /**
   * Validates the code.
   *
   * @throws IllegalArgumentException when {@code value} does not match {@code [A-Z][A-Z0-9_]{2,63}}
   */
  public ReasonCode {
    check(value);
  }

  /**
   * A standard code by name, or a custom one.
   *
   * @throws IllegalArgumentException when {@code value} does not match {@code [A-Z][A-Z0-9_]{2,63}}
   */
  public static ReasonCode of(@Nullable String value) {
    String v = check(value);
    for (ReasonCode c : STANDARD) {
      if (c.value.equals(v)) {
        return c;
      }
    }
    return new ReasonCode(v);
  }

  private static String check(@Nullable String value) {
    if (value == null || !FORM.matcher(value).matches()) {
      throw new IllegalArgumentException("reason code: '" + Strings.printable(value)
          + "' must match [A-Z][A-Z0-9_]{2,63} (e.g. USER_REQUEST)");
    }
    return value;
  }

  /** Whether this code is one of {@link #STANDARD}. */
  public boolean isStandard() {
    return STANDARD.contains(this);
  }

  /** The code itself, e.g. {@code USER_REQUEST}. */
  @Override
  public String toString() {
    return value;
  }
}
