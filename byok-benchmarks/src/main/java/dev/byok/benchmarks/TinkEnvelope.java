package dev.byok.benchmarks;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.KmsEnvelopeAead;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Map;
import java.util.TreeMap;

/**
 * Google Tink 1.18.0 {@code KmsEnvelopeAead} with an AES256_GCM data-key template whose remote
 * {@code Aead} calls the shared {@link FakeKms} (Encrypt / Decrypt), as Tink's AWS KMS extension
 * does. Tink generates a fresh data key per message and has no data-key cache, so every message
 * costs one KMS call whatever the {@link CacheMode}. The encryption context is passed as Tink's
 * associated data (sorted {@code k=v} lines), so it is authenticated as in the other competitors.
 * Thread-safe.
 */
final class TinkEnvelope implements Envelope {
  private final Aead aead;

  private final CryptoChoice choice;

  TinkEnvelope(FakeKms kms, CryptoChoice choice) {
    this.choice = choice;
    choice.installGlobal();
    try {
      AeadConfig.register();
      aead = KmsEnvelopeAead.create(PredefinedAeadParameters.AES256_GCM, new FakeKmsAead(kms, kms.keyArn()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("tink: cannot create KmsEnvelopeAead", e);
    }
  }

  @Override
  public byte[] encrypt(byte[] plaintext, Map<String, String> context) {
    try {
      return aead.encrypt(plaintext, associatedData(context));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("tink: encrypt failed", e);
    }
  }

  @Override
  public byte[] decrypt(byte[] message, Map<String, String> context) {
    try {
      return aead.decrypt(message, associatedData(context));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("tink: decrypt failed", e);
    }
  }

  private static byte[] associatedData(Map<String, String> context) {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, String> e : new TreeMap<>(context).entrySet()) {
      sb.append(e.getKey()).append('=').append(e.getValue()).append('\n');
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    choice.uninstallGlobal();
  }
}
