package dev.byok.crypto.fakes;

import dev.byok.crypto.Ticker;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** A ticker that moves only when told to. Starts at an arbitrary non-zero value. Thread-safe. */
public final class FakeTicker implements Ticker {
  private final AtomicLong nanos = new AtomicLong(1_000_000_000_000L);

  @Override
  public long read() {
    return nanos.get();
  }

  public void advance(Duration d) {
    nanos.addAndGet(d.toNanos());
  }

  public void advanceNanos(long n) {
    nanos.addAndGet(n);
  }
}
