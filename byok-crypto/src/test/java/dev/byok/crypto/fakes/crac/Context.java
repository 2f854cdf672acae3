package dev.byok.crypto.fakes.crac;

/** The fake CRaC implementation's context (the shape of {@code jdk.crac.Context}). */
public abstract class Context<R extends Resource> implements Resource {
  protected Context() {}

  public abstract void register(R resource);
}
