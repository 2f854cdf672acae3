package dev.byok.aws.events.internal;

import dev.byok.aws.events.IgnoredReason;
import java.util.Objects;

/**
 * The result of reading one message: a {@link KeyEvent} to check and act on, or the reason it is
 * ignored with the few escaped details a log line may show.
 */
public sealed interface Parsed {

  /** A key event. */
  record Event(KeyEvent event) implements Parsed {
    /** Checks the event is not null. */
    public Event {
      Objects.requireNonNull(event, "event");
    }
  }

  /**
   * A message to ignore.
   *
   * @param reason why
   * @param detail what a log line may show: values from the message only through {@link LogText#escape}
   */
  record Ignored(IgnoredReason reason, String detail) implements Parsed {
    /** Checks neither field is null. */
    public Ignored {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(detail, "detail");
    }
  }
}
