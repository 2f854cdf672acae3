package dev.byok.cli;

import dev.byok.cli.internal.CryptoOptions;
import dev.byok.cli.internal.Io;
import dev.byok.cli.internal.UsageException;
import dev.byok.core.AccessReason;
import dev.byok.core.EncryptionContext;
import dev.byok.crypto.AlgorithmSuite;
import java.io.FilterOutputStream;
import java.io.OutputStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code byok encrypt}: encrypts a file or standard input into one AWS Encryption SDK v2 message
 * (suite 0x0478, or 0x0578 with {@code --signed}) under a key of the embedded key service or AWS KMS.
 */
@Command(name = "encrypt",
    description = {"Encrypt a file or standard input into an AWS Encryption SDK message (format v2).",
        "Refuses to write the binary message to a terminal unless --out - is given.",
        "Examples:",
        "  byok encrypt --keystore keys.json --key alias/acme --context tenant=acme --in a.txt --out a.txt.enc",
        "  byok encrypt --key arn:aws:kms:us-east-1:111122223333:key/... --context tenant=acme < a.txt > a.enc"})
final class EncryptCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin CryptoOptions options;

  @Option(names = "--signed", description = "Sign the message (suite 0x0578, ECDSA P-384); default 0x0478.")
  boolean signed;

  @Override
  public Integer call() throws Exception {
    Io io = Main.io(spec);
    if (options.out == null && io.outIsTerminal()) {
      // binary on a terminal garbles it and can send it control sequences; "--out -" says it is meant
      throw new UsageException("standard output is a terminal: give --out FILE or redirect it (> FILE); "
          + "--out - writes the binary message to the terminal anyway");
    }
    EncryptionContext context = options.encryptionContext();
    AccessReason reason = options.accessReason();
    options.run(io, signed ? AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384 : null, (crypto, in, out) -> {
      try (OutputStream enc = crypto.encryptingStream(options.tenant, context, reason, keepOpen(out))) {
        in.transferTo(enc);
      }
    });
    return ExitCodes.OK;
  }

  /** {@code out} without its close, so the output is closed by its owner alone. */
  static OutputStream keepOpen(OutputStream out) {
    return new FilterOutputStream(out) {
      @Override
      public void write(byte[] b, int off, int len) throws java.io.IOException {
        out.write(b, off, len);
      }

      @Override
      public void close() throws java.io.IOException {
        out.flush();
      }
    };
  }
}
