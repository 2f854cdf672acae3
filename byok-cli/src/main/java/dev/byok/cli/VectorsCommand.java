package dev.byok.cli;

import dev.byok.cli.internal.Io;
import dev.byok.cli.internal.UsageException;
import dev.byok.crypto.internal.format.CommitmentVectors;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code byok vectors}: runs known-answer test-vector files through byok's message format.
 * {@code byok vectors esdk-commitment FILE} prints one line per vector ({@code PASS name} or
 * {@code FAIL name: why}) and a final line {@code N passed, M failed}; it exits 0 only when M is 0.
 */
@Command(name = "vectors", description = "Run known-answer test vectors through byok's message format.",
    subcommands = {VectorsCommand.EsdkCommitment.class})
final class VectorsCommand {

  /** {@code byok vectors esdk-commitment FILE}. */
  @Command(name = "esdk-commitment",
      description = {"Decrypt every vector of an AWS Encryption SDK key-commitment test-vector file with its "
          + "plaintext data key; vectors with \"status\": false must be rejected.",
          "Example: byok vectors esdk-commitment ../shared/test-vectors/esdk/commitment-test-vectors.json"})
  static final class EsdkCommitment implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "The JSON vector file (a \"tests\" array).")
    Path file;

    @Override
    public Integer call() throws IOException {
      Io io = Main.io(spec);
      List<CommitmentVectors.Outcome> outcomes;
      try (InputStream in = Files.newInputStream(file)) {
        outcomes = CommitmentVectors.run(in);
      } catch (NoSuchFileException e) {
        throw new UsageException("no such file: " + file);
      }
      int failed = 0;
      for (CommitmentVectors.Outcome o : outcomes) {
        io.out().println(o);
        if (!o.passed()) {
          failed++;
        }
      }
      io.out().println((outcomes.size() - failed) + " passed, " + failed + " failed");
      if (outcomes.isEmpty()) {
        io.err().println("byok vectors esdk-commitment: " + file + " has no vectors");
        return ExitCodes.FAILED;
      }
      return failed == 0 ? ExitCodes.OK : ExitCodes.FAILED;
    }
  }
}
