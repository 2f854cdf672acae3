package dev.byok.crypto;

import dev.byok.core.KeyArn;
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
  public void revoked(KeyArn keyArn, boolean scoped) {}

  @Override
  public void restored(KeyArn keyArn) {}

  @Override
  public <T> void keyState(KeyArn keyArn, T stateHolder, ToDoubleFunction<T> state) {}

  @Override
  public void contextSpread(KeyArn keyArn, int distinctContexts) {}
}
