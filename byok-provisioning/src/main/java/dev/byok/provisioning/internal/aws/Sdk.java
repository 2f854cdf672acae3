package dev.byok.provisioning.internal.aws;

import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;

/** Runs an SDK call and turns its {@link SdkException} into an {@link AwsCallException}. Stateless. */
final class Sdk {
  private Sdk() {}

  static <T> T call(Supplier<T> action) {
    try {
      return action.get();
    } catch (SdkException e) {
      throw AwsCallException.of(e);
    }
  }

  static void run(Runnable action) {
    try {
      action.run();
    } catch (SdkException e) {
      throw AwsCallException.of(e);
    }
  }
}
