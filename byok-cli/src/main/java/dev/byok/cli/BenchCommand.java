package dev.byok.cli;

import dev.byok.cli.internal.Io;
import dev.byok.cli.internal.OperationFailedException;
import dev.byok.cli.internal.RepoRoot;
import dev.byok.cli.internal.UsageException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code byok bench}: runs {@code scripts/bench} of the source tree (the JMH suite of
 * byok-benchmarks and its report), passing the arguments on and returning its exit status.
 */
@Command(name = "bench",
    description = {"Run the JMH benchmarks (scripts/bench in the source tree; about 12 minutes) and "
        + "rewrite docs/benchmarks.md. 'byok bench --smoke' checks the wiring in seconds."})
final class BenchCommand implements Callable<Integer> {
  static final String SCRIPT = "scripts/bench";

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "ARG", arity = "0..*", description = "Passed to scripts/bench (e.g. --smoke).")
  List<String> args = new ArrayList<>();

  @Override
  public Integer call() throws IOException, InterruptedException {
    Path root = RepoRoot.find(SCRIPT).orElseThrow(() -> new UsageException(
        "cannot find " + SCRIPT + ": run byok from its source tree or set BYOK_HOME to it"));
    List<String> cmd = new ArrayList<>();
    cmd.add(root.resolve(SCRIPT).toString());
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(root.toFile());
    Io io = Main.io(spec);
    if (io.isProcessStreams()) {
      return pb.inheritIO().start().waitFor();
    }
    Process p = pb.redirectInput(ProcessBuilder.Redirect.PIPE).start();
    p.getOutputStream().close();
    Thread errCopy = new Thread(() -> copy(p.getErrorStream(), new WriterStream(io)), "bench-stderr");
    errCopy.start();
    copy(p.getInputStream(), io.bytesOut());
    int status = p.waitFor();
    errCopy.join();
    io.bytesOut().flush();
    if (status < 0) {
      throw new OperationFailedException(SCRIPT + " ended abnormally");
    }
    return status;
  }

  private static void copy(InputStream in, OutputStream out) {
    try (in) {
      in.transferTo(out);
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Standard error of a test run, as bytes (UTF-8 text from the script). */
  private static final class WriterStream extends OutputStream {
    private final Io io;
    private final java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();

    WriterStream(Io io) {
      this.io = io;
    }

    @Override
    public void write(int b) {
      buf.write(b);
    }

    @Override
    public void flush() {
      io.err().print(buf.toString(java.nio.charset.StandardCharsets.UTF_8));
      io.err().flush();
      buf.reset();
    }
  }
}
