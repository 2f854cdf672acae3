package dev.byok.benchmarks;

/** Whether a competitor caches data keys (where it can: raw JCA has no KMS, Tink has no cache). */
public enum CacheMode {
  /** Data keys cached (byok's data-key cache, the ESDK's caching materials manager). */
  WARM,
  /** No data-key cache: every message costs a KMS call on encrypt and on decrypt. */
  OFF
}
