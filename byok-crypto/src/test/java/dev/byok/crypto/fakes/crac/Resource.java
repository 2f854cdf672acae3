package dev.byok.crypto.fakes.crac;

/** The fake CRaC implementation's resource (the shape of {@code jdk.crac.Resource}). */
public interface Resource {
  void beforeCheckpoint(Context<? extends Resource> context) throws Exception;

  void afterRestore(Context<? extends Resource> context) throws Exception;
}
