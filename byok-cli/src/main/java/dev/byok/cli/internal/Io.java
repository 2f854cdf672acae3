package dev.byok.cli.internal;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The streams one run of the command uses: standard input and output as bytes (for ciphertext and
 * plaintext), text writers on standard output and error, and whether standard error is a terminal
 * (for progress bars). {@link #system()} for the real process, {@link #of} for tests.
 *
 * <p>Not thread-safe: one run uses it from one thread.
 */
public final class Io {
  private final InputStream in;
  private final OutputStream out;
  private final PrintWriter outText;
  private final PrintWriter errText;
  private final boolean errIsTerminal;
  private final boolean processStreams;

  private Io(InputStream in, OutputStream out, OutputStream err, boolean errIsTerminal, boolean processStreams) {
    this.in = Objects.requireNonNull(in, "in");
    this.out = Objects.requireNonNull(out, "out");
    this.outText = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true);
    this.errText = new PrintWriter(new OutputStreamWriter(Objects.requireNonNull(err, "err"), StandardCharsets.UTF_8), true);
    this.errIsTerminal = errIsTerminal;
    this.processStreams = processStreams;
  }

  /** The process's standard streams; standard error counts as a terminal when there is a console. */
  public static Io system() {
    PrintStream out = System.out;
    return new Io(System.in, out, System.err, System.console() != null, true);
  }

  /** Given streams, e.g. byte-array streams in tests. */
  public static Io of(InputStream in, OutputStream out, OutputStream err, boolean errIsTerminal) {
    return new Io(in, out, err, errIsTerminal, false);
  }

  /** Standard input as bytes. */
  public InputStream in() {
    return in;
  }

  /** Standard output as bytes; {@link #out()} is flushed first so text and bytes keep their order. */
  public OutputStream bytesOut() {
    outText.flush();
    return out;
  }

  /** Standard output as text (auto-flushing on println). */
  public PrintWriter out() {
    return outText;
  }

  /** Standard error as text (auto-flushing on println). */
  public PrintWriter err() {
    return errText;
  }

  /** Whether these are the process's own standard streams (a child process may then inherit them). */
  public boolean isProcessStreams() {
    return processStreams;
  }

  /** Whether standard error is an interactive terminal, so a progress bar may be drawn on it. */
  public boolean errIsTerminal() {
    return errIsTerminal;
  }
}
