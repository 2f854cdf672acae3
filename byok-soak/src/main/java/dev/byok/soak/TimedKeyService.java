package dev.byok.soak;

import dev.byok.core.EncryptionContext;
import dev.byok.core.KeyArn;
import dev.byok.core.keys.DecryptedDataKey;
import dev.byok.core.keys.EncryptedDataKey;
import dev.byok.core.keys.GeneratedDataKey;
import dev.byok.core.keys.KeyDescription;
import dev.byok.core.keys.KeyService;
import java.util.function.Supplier;

/**
 * Reports every KMS call of the vendor ({@code kms <startMs> <endMs> <key> <call> <outcome>}), so
 * the oracle knows the round trip of the calls in flight when a customer acted. Thread-safe.
 */
final class TimedKeyService implements KeyService {
  private final KeyService delegate;
  private final java.util.function.Consumer<String> proto;

  /** @param lines takes each {@code kms ...} line (the vendor's protocol, or the oracle directly) */
  TimedKeyService(KeyService delegate, java.util.function.Consumer<String> lines) {
    this.delegate = delegate;
    this.proto = lines;
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
    return timed(keyArn, "GenerateDataKey", () -> delegate.generateDataKey(keyArn, context));
  }

  @Override
  public DecryptedDataKey decryptDataKey(KeyArn keyArn, EncryptedDataKey edk, EncryptionContext context) {
    return timed(keyArn, "Decrypt", () -> delegate.decryptDataKey(keyArn, edk, context));
  }

  @Override
  public KeyDescription describeKey(KeyArn keyArn) {
    return timed(keyArn, "DescribeKey", () -> delegate.describeKey(keyArn));
  }

  private <T> T timed(KeyArn key, String call, Supplier<T> body) {
    long start = System.currentTimeMillis();
    String outcome = "ok";
    try {
      return body.get();
    } catch (RuntimeException e) {
      outcome = Workload.classify(e);
      throw e;
    } finally {
      proto.accept("kms " + start + " " + System.currentTimeMillis() + " " + key + " " + call + " " + outcome);
    }
  }
}
