package dev.byok.cli.internal;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * A progress bar on standard error for a long input: an input stream that counts what is read and
 * redraws one line ({@code \r}) at most every 100 ms. Drawn only when standard error is a terminal
 * and the input is larger than {@link #THRESHOLD_BYTES}; otherwise {@link #wrap} returns the stream
 * unchanged. Not thread-safe.
 */
public final class ProgressBar extends FilterInputStream {
  /** Inputs up to this size get no bar. */
  public static final long THRESHOLD_BYTES = 4L * 1024 * 1024;
  private static final long REDRAW_NANOS = 100_000_000L;
  private static final int WIDTH = 30;

  private final PrintWriter err;
  private final long total;
  private final String label;
  private long done;
  private long lastDraw;
  private boolean finished;

  private ProgressBar(InputStream in, PrintWriter err, long total, String label) {
    super(in);
    this.err = err;
    this.total = total;
    this.label = label;
  }

  /** {@code in} with a bar when {@code io}'s standard error is a terminal and {@code size} is large. */
  public static InputStream wrap(InputStream in, Io io, long size, String label) {
    if (!io.errIsTerminal() || size <= THRESHOLD_BYTES) {
      return in;
    }
    return new ProgressBar(in, io.err(), size, label);
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    advance(b < 0 ? -1 : 1);
    return b;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = super.read(b, off, len);
    advance(n);
    return n;
  }

  private void advance(int n) {
    if (n < 0) {
      finish();
      return;
    }
    done += n;
    long now = System.nanoTime();
    if (now - lastDraw >= REDRAW_NANOS) {
      lastDraw = now;
      draw();
    }
  }

  private void draw() {
    int filled = (int) Math.min(WIDTH, done * WIDTH / Math.max(1, total));
    int pct = (int) Math.min(100, done * 100 / Math.max(1, total));
    err.print(String.format(Locale.ROOT, "\r%s [%s%s] %3d%% %.1f/%.1f MiB", label, "#".repeat(filled),
        " ".repeat(WIDTH - filled), pct, done / 1048576.0, total / 1048576.0));
    err.flush();
  }

  private void finish() {
    if (!finished) {
      finished = true;
      draw();
      err.println();
    }
  }

  /** Ends the bar's line if the input was not read to its end (a failure), then closes. */
  @Override
  public void close() throws IOException {
    if (!finished && done > 0) {
      finished = true;
      err.println();
    }
    super.close();
  }
}
