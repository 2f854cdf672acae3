package dev.byok.aws.logs;

/**
 * What an audit sink does when its in-memory queue is full. There is no "drop": an event is
 * either held (the producer waits) or written to disk.
 */
public enum OverflowPolicy {
  /**
   * The producer ({@code emit}, so the encrypt or decrypt that emits) waits until there is room.
   * Nothing is written to disk while running; events still undelivered at {@code close} go to the
   * spill directory when one is set, else they are logged at ERROR and counted.
   */
  BLOCK,
  /**
   * The event is appended to a JSON-lines file in the spill directory, on the producer's thread
   * (the slow path: JSON and a file write). Spill files are replayed when the sink is healthy and
   * has room again, and at the next start.
   */
  SPILL
}
