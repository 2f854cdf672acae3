package dev.byok.soak;

import dev.byok.core.AwsAccountId;
import dev.byok.core.KeyArn;
import dev.byok.core.TenantDirectory;
import dev.byok.core.audit.AuditSink;
import dev.byok.core.audit.KeyUseEvent;
import dev.byok.crypto.CachePolicy;
import dev.byok.crypto.RevocationPolicy;
import dev.byok.crypto.TenantCrypto;
import dev.byok.local.LocalKeyService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The embedded key service's world, in the harness's own JVM: the emulators do not evaluate key
 * policies, so the vendor Deny (the vendor's account taken off the key) and the scoped Deny (a Deny
 * rule on one {@code data-class}) are exercised here, on {@link LocalKeyService}, with their own
 * tenants and one worker. Its audit events are counted per tenant in memory.
 */
final class LocalWorld implements AutoCloseable {
  static final AwsAccountId VENDOR = AwsAccountId.of("444455556666");

  private final LocalKeyService keys = LocalKeyService.builder().build();
  private final Map<String, KeyArn> tenants = new LinkedHashMap<>();
  private final TenantCrypto crypto;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Map<String, AtomicLong> events = new ConcurrentHashMap<>();
  private final List<Thread> workers = new ArrayList<>();

  LocalWorld(int tenantCount, Duration revalidateAfter, Duration checkInterval, Oracle oracle) {
    TenantDirectory.Builder dir = TenantDirectory.builder();
    for (int i = 1; i <= tenantCount; i++) {
      String t = String.format("local%02d", i);
      KeyArn k = keys.createKey("soak tenant " + t);
      keys.allowAccount(k.toString(), VENDOR);
      tenants.put(t, k);
      dir.put(t, k);
    }
    AuditSink counting = (KeyUseEvent e) -> {
      if (e.operation() == KeyUseEvent.Operation.ENCRYPT || e.operation() == KeyUseEvent.Operation.DECRYPT) {
        events.computeIfAbsent(e.tenant(), x -> new AtomicLong()).incrementAndGet();
      }
    };
    TimedKeyService timed = new TimedKeyService(keys.clientFor(VENDOR),
        line -> {
          String[] f = line.split(" ");
          oracle.kms(new Oracle.KmsCall(Long.parseLong(f[1]), Long.parseLong(f[2]), f[3]));
        });
    crypto = TenantCrypto.builder().keyService(timed).tenants(dir.build()).auditSink(counting)
        .cachePolicy(CachePolicy.builder().revalidateAfter(revalidateAfter).build())
        .revocationPolicy(RevocationPolicy.builder().checkInterval(checkInterval).build()).build();
  }

  String keyArn(String tenant) {
    return tenants.get(tenant).toString();
  }

  List<String> tenants() {
    return List.copyOf(tenants.keySet());
  }

  void start(int threads, double ratePerWorker, long seed, Oracle oracle) {
    for (int i = 0; i < threads; i++) {
      Workload w = new Workload(crypto, tenants(), seed * 7919L + i, "local-worker-" + i, oracle::op);
      Thread t = new Thread(() -> Pacer.run(running, ratePerWorker, w::runOne), "soak-local-worker-" + i);
      t.setDaemon(true);
      t.start();
      workers.add(t);
    }
  }

  /** Applies a customer action ({@code deny-vendor}, {@code deny-scope}, {@code disable}) or undoes it. */
  void apply(String kind, String tenant, String scope, boolean revoke) {
    String key = tenants.get(tenant).toString();
    switch (kind) {
      case "deny-vendor" -> {
        if (revoke) {
          keys.removeAccount(key, VENDOR);
        } else {
          keys.allowAccount(key, VENDOR);
        }
      }
      case "deny-scope" -> {
        if (revoke) {
          keys.addDenyRule(key, Workload.SCOPE_KEY, scope);
        } else {
          keys.removeDenyRule(key, Workload.SCOPE_KEY, scope);
        }
      }
      case "disable" -> {
        if (revoke) {
          keys.disableKey(key);
        } else {
          keys.enableKey(key);
        }
      }
      default -> throw new IllegalArgumentException("local world: unknown action " + kind);
    }
  }

  /** Key-use events per tenant (encrypt and decrypt). */
  Map<String, Long> eventCounts() {
    Map<String, Long> m = new LinkedHashMap<>();
    events.forEach((k, v) -> m.put(k, v.get()));
    return m;
  }

  void stop() throws InterruptedException {
    running.set(false);
    for (Thread t : workers) {
      t.join(30_000);
    }
  }

  @Override
  public void close() {
    running.set(false);
    crypto.close();
  }
}
