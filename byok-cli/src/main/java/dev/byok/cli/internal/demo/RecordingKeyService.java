package dev.byok.cli.internal.demo;

import dev.byok.core.EncryptionContext;
import dev.byok.core.KeyArn;
import dev.byok.core.keys.DecryptedDataKey;
import dev.byok.core.keys.EncryptedDataKey;
import dev.byok.core.keys.GeneratedDataKey;
import dev.byok.core.keys.KeyDescription;
import dev.byok.core.keys.KeyService;
import dev.byok.core.keys.KeyServiceException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A {@link KeyService} that records each call (operation, encryption context, request ID, outcome)
 * on its way to the real one: on AWS the demo shows these where the embedded key service shows its
 * call log; the customer's CloudTrail has the same calls under the same request IDs.
 *
 * <p>local-kms sends no request ID, where AWS KMS always does. So that the customer's report can
 * join the calls with the vendor's audit events as on AWS, a successful call without one gets a
 * stand-in, {@code emulator-N}, in its result (hence in the audit event) and in the record; {@link
 * #standIns()} counts them and the demo says so. Thread-safe.
 */
final class RecordingKeyService implements KeyService {
  private final KeyService delegate;
  private final Clock clock = Clock.systemUTC();
  private final List<World.Call> calls = new ArrayList<>();
  private final java.util.concurrent.atomic.AtomicLong standIns = new java.util.concurrent.atomic.AtomicLong();

  RecordingKeyService(KeyService delegate) {
    this.delegate = delegate;
  }

  synchronized List<World.Call> calls() {
    return List.copyOf(calls);
  }

  /** How many calls got a stand-in request ID because the key service sent none. */
  long standIns() {
    return standIns.get();
  }

  private String standIn() {
    return "emulator-" + standIns.incrementAndGet();
  }

  private synchronized void add(World.Call c) {
    calls.add(c);
  }

  private <T> T record(String op, EncryptionContext context, Supplier<T> call, java.util.function.Function<T, String> requestId) {
    java.time.Instant t = clock.instant();
    Map<String, String> ctx = context.withoutReserved().asMap();
    try {
      T r = call.get();
      add(new World.Call(t, op, ctx, requestId.apply(r), true, null));
      return r;
    } catch (KeyServiceException e) {
      add(new World.Call(t, op, ctx, String.valueOf(e.requestId()), false, e.errorCode()));
      throw e;
    }
  }

  @Override
  public String providerId() {
    return delegate.providerId();
  }

  @Override
  public boolean canDecrypt(EncryptedDataKey edk) {
    return delegate.canDecrypt(edk);
  }

  @Override
  public boolean canDecrypt(KeyArn keyArn, EncryptedDataKey edk) {
    return delegate.canDecrypt(keyArn, edk);
  }

  @Override
  public GeneratedDataKey generateDataKey(KeyArn keyArn, EncryptionContext context) {
    return record("GenerateDataKey", context, () -> {
      GeneratedDataKey r = delegate.generateDataKey(keyArn, context);
      return r.requestId() != null ? r : new GeneratedDataKey(r.plaintext(), r.encrypted(), r.keyArn(), standIn());
    }, GeneratedDataKey::requestId);
  }

  @Override
  public DecryptedDataKey decryptDataKey(KeyArn keyArn, EncryptedDataKey edk, EncryptionContext context) {
    return record("Decrypt", context, () -> {
      DecryptedDataKey r = delegate.decryptDataKey(keyArn, edk, context);
      return r.requestId() != null ? r : new DecryptedDataKey(r.plaintext(), r.keyArn(), standIn());
    }, DecryptedDataKey::requestId);
  }

  @Override
  public KeyDescription describeKey(KeyArn keyArn) {
    return record("DescribeKey", EncryptionContext.empty(), () -> {
      KeyDescription r = delegate.describeKey(keyArn);
      return r.requestId() != null ? r : new KeyDescription(r.keyArn(), r.state(), standIn());
    }, KeyDescription::requestId);
  }

  @Override
  public String toString() {
    return "RecordingKeyService{" + delegate + "}";
  }
}
