package dev.byok.crypto;

import dev.byok.core.KeyArn;
import dev.byok.core.TenantKey;
import dev.byok.crypto.internal.revocation.RevocationMonitor;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/** {@link KeyAccessControl} on the revocation monitor of one {@link TenantCrypto}. Thread-safe. */
final class RevocationKeyAccess implements KeyAccessControl {
  private final RevocationMonitor monitor;
  private final Function<String, TenantKey> tenants;

  /**
   * @param monitor the monitor
   * @param tenants the tenant's key, or an {@code IllegalArgumentException} for an unknown tenant
   */
  RevocationKeyAccess(RevocationMonitor monitor, Function<String, TenantKey> tenants) {
    this.monitor = monitor;
    this.tenants = tenants;
  }

  @Override
  public void revoke(KeyArn keyArn, @Nullable String reason) {
    monitor.revoke(Objects.requireNonNull(keyArn, "keyArn"), reason);
  }

  @Override
  public KeyAccessStatus status(String tenant) {
    KeyArn keyArn = tenants.apply(tenant).keyArn();
    return new KeyAccessStatus(tenant, keyArn, monitor.status(keyArn));
  }

  @Override
  public int checkNow() {
    return monitor.checkNow();
  }

  @Override
  public int checkNow(KeyArn keyArn) {
    return monitor.checkNow(Objects.requireNonNull(keyArn, "keyArn"));
  }

  @Override
  public String toString() {
    return "KeyAccessControl{" + monitor + "}";
  }
}
