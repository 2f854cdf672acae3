package dev.byok.soak;

import java.io.PrintStream;

/** The vendor's side of the line protocol on stdout: whole lines, never interleaved. Thread-safe. */
final class Protocol {
  private final PrintStream out;

  Protocol(PrintStream out) {
    this.out = out;
  }

  synchronized void line(String s) {
    out.print(s);
    out.print('\n');
    out.flush(); // a SIGKILL must not take lines the vendor already acted on
  }

  synchronized void flush() {
    out.flush();
  }
}
