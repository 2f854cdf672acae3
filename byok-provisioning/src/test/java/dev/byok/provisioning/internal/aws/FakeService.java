package dev.byok.provisioning.internal.aws;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What every in-memory AWS service shares: the call log (every call, {@code service:Operation}, in
 * order, into a log shared by all the fakes of one {@link FakeAws}) and failures injected for chosen
 * calls. Not thread-safe: tests run an operation at a time.
 */
abstract class FakeService {
  /** What the fakes of one account share: the call log and a failure injected at the k-th write. */
  static final class Shared {
    final List<String> log = new ArrayList<>();
    int writes;
    int failAtWrite;
    @Nullable AwsCallException writeError;
  }

  private final String service;
  private final Shared shared;
  private final Map<String, Deque<AwsCallException>> failures = new HashMap<>();

  FakeService(String service, Shared shared) {
    this.service = service;
    this.shared = shared;
  }

  /** Makes the next {@code times} calls of {@code operation} (such as {@code CreateRole}) fail with {@code error}. */
  public void failNext(String operation, int times, AwsCallException error) {
    Deque<AwsCallException> q = failures.computeIfAbsent(operation, k -> new ArrayDeque<>());
    for (int i = 0; i < times; i++) {
      q.add(error);
    }
  }

  /** Logs the call and throws an injected failure, if one is due. */
  final void call(String operation) {
    shared.log.add(service + ":" + operation);
    Deque<AwsCallException> q = failures.get(operation);
    if (q != null && !q.isEmpty()) {
      throw q.poll();
    }
    if (isWrite(operation) && ++shared.writes == shared.failAtWrite && shared.writeError != null) {
      throw shared.writeError;
    }
  }

  /** Whether an operation changes something (it is not a Get, List, Describe or Head). */
  static boolean isWrite(String operation) {
    return !(operation.startsWith("Get") || operation.startsWith("List") || operation.startsWith("Describe") || operation.startsWith("Head"));
  }

  static AwsCallException error(String code, String message) {
    return AwsCallException.service(code, message);
  }
}
