package dev.byok.aws.events;

import dev.byok.core.KeyAccessActions;
import dev.byok.core.KeyArn;
import java.util.ArrayList;
import java.util.List;

/** {@link KeyAccessActions} that records each call, and can be told to fail. Thread-safe. */
public class RecordingActions implements KeyAccessActions {
  private final List<String> calls = new ArrayList<>();
  private volatile RuntimeException failure;

  /** Actions that succeed until told to fail. */
  public RecordingActions() {}

  /** Makes every later call throw {@code e} (null: succeed again). */
  public void failWith(RuntimeException e) {
    this.failure = e;
  }

  @Override
  public synchronized void revoke(KeyArn keyArn, String reason) {
    if (failure != null) {
      throw failure;
    }
    calls.add("revoke " + keyArn);
  }

  @Override
  public synchronized int checkNow(KeyArn keyArn) {
    if (failure != null) {
      throw failure;
    }
    calls.add("check " + keyArn);
    return 0;
  }

  /** The calls so far, {@code revoke ARN} or {@code check ARN}. */
  public synchronized List<String> calls() {
    return List.copyOf(calls);
  }
}
