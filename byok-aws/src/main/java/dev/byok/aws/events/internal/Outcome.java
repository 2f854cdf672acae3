package dev.byok.aws.events.internal;

import dev.byok.aws.events.IgnoredReason;
import dev.byok.core.KeyArn;
import java.util.Objects;

/** What the listener did with one message it handled (a failure is an exception instead). */
public sealed interface Outcome {

  /**
   * The event was acted on.
   *
   * @param kind revoke or check
   * @param keyArn the key
   * @param tenants how many tenants use the key
   */
  record Acted(EventKind kind, KeyArn keyArn, int tenants) implements Outcome {
    /** Checks the fields. */
    public Acted {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(keyArn, "keyArn");
    }
  }

  /**
   * The message was ignored.
   *
   * @param reason why
   */
  record Ignored(IgnoredReason reason) implements Outcome {
    /** Checks the reason. */
    public Ignored {
      Objects.requireNonNull(reason, "reason");
    }
  }
}
