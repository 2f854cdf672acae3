package dev.byok.cli.internal;

import dev.byok.core.AccessReason;
import dev.byok.core.ReasonCode;
import java.util.stream.Collectors;
import picocli.CommandLine.Option;

/**
 * The reason-code options of a command that uses a key: {@code --reason} (the standard
 * vocabulary), {@code --custom-reason} (any code of the form {@code [A-Z][A-Z0-9_]{2,63}}),
 * {@code --reason-detail} and {@code --actor}. Not thread-safe (filled by picocli).
 */
public final class ReasonOptions {
  /** The reason used when none is given. */
  public static final ReasonCode DEFAULT = ReasonCode.USER_REQUEST;

  @Option(names = "--reason", paramLabel = "CODE",
      description = "Why the key is used, a standard reason code: USER_REQUEST (default), "
          + "CUSTOMER_INITIATED_ACCESS, SEARCH_INDEXING, SYSTEM_OPERATION, BACKUP_RESTORE, DATA_EXPORT, "
          + "VENDOR_SUPPORT_ACCESS, LEGAL_REQUEST, KEY_ROTATION_REWRAP, REVOCATION_CHECK.")
  String reason;

  @Option(names = "--custom-reason", paramLabel = "CODE",
      description = "A reason code outside the standard vocabulary ([A-Z][A-Z0-9_]{2,63}).")
  String customReason;

  @Option(names = "--reason-detail", paramLabel = "TEXT", description = "Free-text detail, e.g. a ticket number (at most 1 KiB).")
  String detail;

  @Option(names = "--actor", paramLabel = "NAME", description = "Who asked, e.g. support:jdoe.")
  String actor;

  /**
   * The access reason of these options.
   *
   * @throws UsageException for an unknown standard code, a malformed custom code, both options at
   *     once, or a detail or actor that is too long
   */
  public AccessReason toAccessReason() {
    if (reason != null && customReason != null) {
      throw new UsageException("--reason and --custom-reason: give one, not both");
    }
    ReasonCode code = DEFAULT;
    if (reason != null) {
      code = standard(reason);
    } else if (customReason != null) {
      try {
        code = ReasonCode.of(customReason);
      } catch (IllegalArgumentException e) {
        throw new UsageException("--custom-reason: " + e.getMessage(), e);
      }
    }
    try {
      return AccessReason.of(code, detail, actor);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage(), e);
    }
  }

  /** The standard code named {@code name}; anything else is a usage error listing the vocabulary. */
  public static ReasonCode standard(String name) {
    for (ReasonCode c : ReasonCode.STANDARD) {
      if (c.value().equals(name)) {
        return c;
      }
    }
    throw new UsageException("--reason: unknown reason code '" + Errors.oneLine(name) + "'; standard codes are "
        + ReasonCode.STANDARD.stream().map(ReasonCode::value).collect(Collectors.joining(", "))
        + " (use --custom-reason for a code of your own)");
  }
}
