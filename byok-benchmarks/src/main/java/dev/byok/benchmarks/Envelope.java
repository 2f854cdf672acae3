package dev.byok.benchmarks;

import java.util.Map;

/**
 * One competitor of the benchmarks, reduced to what they all do: encrypt a byte array under a
 * customer key with an encryption context, and decrypt the result. Implementations are
 * thread-safe, so a benchmark may call them from several threads.
 */
public interface Envelope extends AutoCloseable {

  /**
   * The encryption context of the warm-cache runs: one scope (tenant and data class), as the
   * library recommends: the context is the data-key cache partition, so never a per-record ID.
   */
  Map<String, String> SCOPE = Map.of("tenant", "acme", "data-class", "messages");

  /** Encrypts under {@link #SCOPE}. */
  default byte[] encrypt(byte[] plaintext) {
    return encrypt(plaintext, SCOPE);
  }

  /** Encrypts {@code plaintext} with {@code context}; returns the whole message. */
  byte[] encrypt(byte[] plaintext, Map<String, String> context);

  /** Decrypts a message made under {@link #SCOPE}. */
  default byte[] decrypt(byte[] message) {
    return decrypt(message, SCOPE);
  }

  /**
   * Decrypts {@code message}, which must have been made with {@code context}; throws on any
   * failure (the exception type is the competitor's own).
   */
  byte[] decrypt(byte[] message, Map<String, String> context);

  @Override
  default void close() {
    // most competitors hold nothing to release
  }
}
