package dev.byok.provisioning.internal;

import dev.byok.core.ProvisioningException;
import dev.byok.provisioning.Change;
import dev.byok.provisioning.PropagationRetry;
import dev.byok.provisioning.internal.aws.AwsCallException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The call plumbing of one operation (apply, verify, revoke, restore, destroy): runs each AWS call,
 * records every write as a {@link Change}, collects notes, retries IAM's eventual consistency, and
 * turns a failed call into a {@link ProvisioningException} that names the call, the resource and
 * how many changes were made before it. Not thread-safe: one per operation.
 */
public final class Calls {
  private final String operation;
  private final PropagationRetry retry;
  private final List<Change> changes = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();

  /** Plumbing for {@code operation} ({@code apply}, {@code verify}, ...). */
  public Calls(String operation, PropagationRetry retry) {
    this.operation = operation;
    this.retry = retry;
  }

  /** The operation's name, for messages. */
  public String operation() {
    return operation;
  }

  /** Runs a call that changes nothing. */
  public <T> T read(String call, String resource, Supplier<T> action) {
    try {
      return action.get();
    } catch (AwsCallException e) {
      throw failure(call, resource, e);
    }
  }

  /** Runs a call that changes something and records it under {@code step}. */
  public void write(String step, String call, String resource, Runnable action) {
    write(step, call, resource, () -> {
      action.run();
      return null;
    });
  }

  /** Runs a call that changes something, records it under {@code step}, and returns its result. */
  public <T> T write(String step, String call, String resource, Supplier<T> action) {
    T result;
    try {
      result = action.get();
    } catch (AwsCallException e) {
      throw failure(call, resource, e);
    }
    changes.add(new Change(step, call, resource));
    return result;
  }

  /** Runs {@code action}, retrying IAM's eventual consistency (see {@link EventualConsistencyRetry}). */
  public <T> T retrying(String call, boolean notFoundToo, Supplier<T> action) {
    return EventualConsistencyRetry.call(retry, call, notFoundToo, action);
  }

  /** Like {@link #retrying(String, boolean, Supplier)} for a call without a result. */
  public void retrying(String call, boolean notFoundToo, Runnable action) {
    retrying(call, notFoundToo, () -> {
      action.run();
      return null;
    });
  }

  /** Adds a note to the report. */
  public void note(String note) {
    notes.add(note);
  }

  /** The writes made so far, in order. */
  public List<Change> changes() {
    return List.copyOf(changes);
  }

  /** The notes so far, in order. */
  public List<String> notes() {
    return List.copyOf(notes);
  }

  /** The error for a failed call; outside verify it says how to resume. */
  ProvisioningException failure(String call, String resource, AwsCallException e) {
    String resume = operation.equals("verify") ? "" : "; " + changes.size() + (changes.size() == 1 ? " change" : " changes")
        + " made before it; run " + operation + " again to resume";
    return new ProvisioningException(operation + " stopped at " + call + " " + resource + ": " + e.getMessage() + resume, e);
  }
}
