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
  private final OutputStream err;
  private final PrintWriter outText;
  private final PrintWriter errText;
  private final boolean errIsTerminal;
  private final boolean outIsTerminal;
  private final boolean processStreams;

  private Io(InputStream in, OutputStream out, OutputStream err, boolean errIsTerminal, boolean outIsTerminal,
      boolean processStreams) {
    this.in = Objects.requireNonNull(in, "in");
    this.out = Objects.requireNonNull(out, "out");
    this.err = Objects.requireNonNull(err, "err");
    this.outText = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true);
    this.errText = new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true);
    this.errIsTerminal = errIsTerminal;
    this.outIsTerminal = outIsTerminal;
    this.processStreams = processStreams;
  }

  /**
   * The process's standard streams. Standard error counts as a terminal when there is a console.
   * Standard output counts as one when there is a console (Java 17 has one only when standard input
   * and output are both terminals), or when the {@code byok} launcher, which can ask the shell
   * ({@code [ -t 1 ]}), set {@value #STDOUT_TERMINAL_ENV} to {@code 1}.
   */
  public static Io system() {
    PrintStream out = System.out;
    boolean console = System.console() != null;
    return new Io(System.in, out, System.err, console, console || "1".equals(System.getenv(STDOUT_TERMINAL_ENV)), true);
  }

  /** Set to {@code 1} by the launcher when standard output is a terminal, {@code 0} when it is not. */
  public static final String STDOUT_TERMINAL_ENV = "BYOK_STDOUT_IS_TERMINAL";

  /** Given streams, e.g. byte-array streams in tests; standard output is not a terminal. */
  public static Io of(InputStream in, OutputStream out, OutputStream err, boolean errIsTerminal) {
    return new Io(in, out, err, errIsTerminal, false, false);
  }

  /** The same streams, with standard output taken for a terminal (for tests). */
  public Io withOutTerminal() {
    return new Io(in, out, err, errIsTerminal, true, processStreams);
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

  /** Whether standard output is an interactive terminal, where binary output would garble the screen. */
  public boolean outIsTerminal() {
    return outIsTerminal;
  }

  /** Whether standard error is an interactive terminal, so a progress bar may be drawn on it. */
  public boolean errIsTerminal() {
    return errIsTerminal;
  }
}
