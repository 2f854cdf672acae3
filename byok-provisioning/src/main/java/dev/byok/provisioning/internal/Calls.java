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

  /**
   * The error for a failed call. Before any write it says nothing was changed (and is retryable
   * when the service was unreachable or throttled); after writes it lists them and says how to
   * resume.
   */
  ProvisioningException failure(String call, String resource, AwsCallException e) {
    String head = operation + " stopped at " + call + " " + resource + ": " + e.getMessage();
    if (changes.isEmpty()) {
      return new ProvisioningException(head + (operation.equals("verify") ? "" : "; nothing was changed")
          + (e.transientFailure() ? "; the service could not be reached or was busy: try again later" : ""), e, e.transientFailure());
    }
    return new ProvisioningException(head + "; " + madeSoFar(), e);
  }

  /**
   * The error for an unexpected failure ({@code e} is not a failed AWS call): as {@link #failure},
   * naming what was being done.
   */
  public ProvisioningException unexpected(RuntimeException e) {
    String head = operation + " stopped: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    return new ProvisioningException(head + "; " + (changes.isEmpty() ? "nothing was changed" : madeSoFar()), e);
  }

  /** The writes made so far and the resume hint, for an error after writes. */
  public String madeSoFar() {
    StringBuilder b = new StringBuilder();
    b.append(changes.size()).append(changes.size() == 1 ? " change" : " changes").append(" made before it (");
    for (int i = 0; i < changes.size(); i++) {
      b.append(i == 0 ? "" : ", ").append(changes.get(i).call()).append(' ').append(changes.get(i).resource());
    }
    return b.append("); ").append(RESUME_HINT_PREFIX).append(operation).append(RESUME_HINT_SUFFIX).toString();
  }

  /** The resume hint of an error after writes reads {@code run OPERATION again to resume}. */
  public static final String RESUME_HINT_PREFIX = "run ";
  /** See {@link #RESUME_HINT_PREFIX}. */
  public static final String RESUME_HINT_SUFFIX = " again to resume";
}
