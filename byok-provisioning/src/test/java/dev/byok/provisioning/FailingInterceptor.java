package dev.byok.provisioning;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Test hook: an SDK interceptor that fails chosen calls before they are sent, to prove apply
 * resumes after a failure part-way and retries IAM's eventual consistency. Counts only writes
 * (operations not starting with Get, List, Describe or Head). Thread-safe.
 */
final class FailingInterceptor implements ExecutionInterceptor {
  private final AtomicInteger writes = new AtomicInteger();
  private final List<String> seen = java.util.Collections.synchronizedList(new ArrayList<>());
  private final int failAtWrite;
  private final String operation;
  private final int operationFailures;
  private final Supplier<? extends SdkException> error;
  private final AtomicInteger operationCalls = new AtomicInteger();

  private FailingInterceptor(int failAtWrite, String operation, int operationFailures, Supplier<? extends SdkException> error) {
    this.failAtWrite = failAtWrite;
    this.operation = operation;
    this.operationFailures = operationFailures;
    this.error = error;
  }

  /** Fails the {@code k}-th write (1-based) with {@code error}; every other call passes. */
  static FailingInterceptor failWrite(int k, Supplier<? extends SdkException> error) {
    return new FailingInterceptor(k, null, 0, error);
  }

  /** Fails the first {@code times} calls of {@code operation} (such as CreateRole) with {@code error}. */
  static FailingInterceptor failOperation(String operation, int times, Supplier<? extends SdkException> error) {
    return new FailingInterceptor(0, operation, times, error);
  }

  @Override
  public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
    String op = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
    String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
    boolean read = op.startsWith("Get") || op.startsWith("List") || op.startsWith("Describe") || op.startsWith("Head");
    if (operation != null) {
      if (op.equals(operation) && operationCalls.incrementAndGet() <= operationFailures) {
        seen.add("FAILED " + service + ":" + op);
        throw error.get();
      }
      return;
    }
    if (!read && writes.incrementAndGet() == failAtWrite) {
      seen.add("FAILED " + service + ":" + op);
      throw error.get();
    }
    seen.add(service + ":" + op);
  }

  /** The operations seen, failed ones marked. */
  List<String> seen() {
    synchronized (seen) {
      return List.copyOf(seen);
    }
  }

  int operationCalls() {
    return operationCalls.get();
  }
}
