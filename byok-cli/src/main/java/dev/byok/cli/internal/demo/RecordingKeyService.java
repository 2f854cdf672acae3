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
 * call log; the customer's CloudTrail has the same calls under the same request IDs. Thread-safe.
 */
final class RecordingKeyService implements KeyService {
  private final KeyService delegate;
  private final Clock clock = Clock.systemUTC();
  private final List<World.Call> calls = new ArrayList<>();

  RecordingKeyService(KeyService delegate) {
    this.delegate = delegate;
  }

  synchronized List<World.Call> calls() {
    return List.copyOf(calls);
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
    return record("GenerateDataKey", context, () -> delegate.generateDataKey(keyArn, context), GeneratedDataKey::requestId);
  }

  @Override
  public DecryptedDataKey decryptDataKey(KeyArn keyArn, EncryptedDataKey edk, EncryptionContext context) {
    return record("Decrypt", context, () -> delegate.decryptDataKey(keyArn, edk, context), DecryptedDataKey::requestId);
  }

  @Override
  public KeyDescription describeKey(KeyArn keyArn) {
    return record("DescribeKey", EncryptionContext.empty(), () -> delegate.describeKey(keyArn), KeyDescription::requestId);
  }

  @Override
  public String toString() {
    return "RecordingKeyService{" + delegate + "}";
  }
}
