package dev.byok.crypto;

import java.util.function.ToDoubleFunction;

/** {@link CryptoMetrics} that record nothing. Stateless. */
enum NoopMetrics implements CryptoMetrics {
  INSTANCE;

  @Override
  public void cacheHit(Side side) {}

  @Override
  public void cacheMiss(Side side) {}

  @Override
  public void keyServiceCall(String operation, String outcome) {}

  @Override
  public void revoked(String keyArn, boolean scoped) {}

  @Override
  public void restored(String keyArn) {}

  @Override
  public <T> void keyState(String keyArn, T stateHolder, ToDoubleFunction<T> state) {}

  @Override
  public void contextSpread(String keyArn, int distinctContexts) {}
}
