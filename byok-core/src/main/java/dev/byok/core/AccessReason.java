package dev.byok.core;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Why one encrypt or decrypt happens: a {@link ReasonCode}, an optional free-text detail (at most
 * {@value #MAX_DETAIL_BYTES} bytes of UTF-8) and an optional actor (who or what asked, at most
 * {@value #MAX_ACTOR_BYTES} bytes). It goes into the audit event of that use, not into the stored
 * encryption context. Immutable.
 *
 * <p>{@code AccessReason.of(ReasonCode.VENDOR_SUPPORT_ACCESS, "ticket 4711", "support:jdoe")}
 */
public final class AccessReason {
  /** The longest detail, in bytes of UTF-8. */
  public static final int MAX_DETAIL_BYTES = 1024;
  /** The longest actor, in bytes of UTF-8. */
  public static final int MAX_ACTOR_BYTES = 256;

  private final ReasonCode code;
  private final @Nullable String detail;
  private final @Nullable String actor;

  private AccessReason(ReasonCode code, @Nullable String detail, @Nullable String actor) {
    this.code = code;
    this.detail = detail;
    this.actor = actor;
  }

  /** A reason with a code only. */
  public static AccessReason of(ReasonCode code) {
    return of(code, null, null);
  }

  /**
   * A reason with a code, and optional detail and actor ({@code null} for none).
   *
   * @throws IllegalArgumentException if the detail or actor is too long
   */
  public static AccessReason of(ReasonCode code, @Nullable String detail, @Nullable String actor) {
    Objects.requireNonNull(code, "reason code");
    check("detail", detail, MAX_DETAIL_BYTES);
    check("actor", actor, MAX_ACTOR_BYTES);
    return new AccessReason(code, detail, actor);
  }

  private static void check(String what, @Nullable String s, int max) {
    if (s != null && s.getBytes(StandardCharsets.UTF_8).length > max) {
      throw new IllegalArgumentException("access reason: " + what + " is "
          + s.getBytes(StandardCharsets.UTF_8).length + " bytes of UTF-8, more than the limit of " + max);
    }
  }

  /** The reason code. */
  public ReasonCode code() {
    return code;
  }

  /** The free-text detail, if any. */
  public Optional<String> detail() {
    return Optional.ofNullable(detail);
  }

  /** Who or what asked, if given. */
  public Optional<String> actor() {
    return Optional.ofNullable(actor);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (!(o instanceof AccessReason)) {
      return false;
    }
    AccessReason r = (AccessReason) o;
    return code.equals(r.code) && Objects.equals(detail, r.detail) && Objects.equals(actor, r.actor);
  }

  @Override
  public int hashCode() {
    return Objects.hash(code, detail, actor);
  }

  @Override
  public String toString() {
    return "AccessReason{" + code + (detail == null ? "" : ", detail=" + detail)
        + (actor == null ? "" : ", actor=" + actor) + "}";
  }
}
