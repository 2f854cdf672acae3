package dev.byok.cli;

import dev.byok.cli.internal.Io;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/** One in-process run of {@link Main} with captured streams. */
final class CliRun {
  final int status;
  final byte[] outBytes;
  final String out;
  final String err;

  private CliRun(int status, byte[] outBytes, String err) {
    this.status = status;
    this.outBytes = outBytes;
    this.out = new String(outBytes, StandardCharsets.UTF_8);
    this.err = err;
  }

  static CliRun run(String... args) {
    return withInput(new byte[0], args);
  }

  static CliRun withInput(byte[] stdin, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = Main.run(Io.of(new ByteArrayInputStream(stdin), out, err, false), args);
    return new CliRun(status, out.toByteArray(), err.toString(StandardCharsets.UTF_8));
  }

  /** The non-empty lines of standard error. */
  List<String> errLines() {
    return Arrays.stream(err.split("\n")).filter(l -> !l.isBlank()).toList();
  }

  @Override
  public String toString() {
    return "status=" + status + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
  }
}
