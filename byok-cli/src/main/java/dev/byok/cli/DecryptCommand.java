package dev.byok.cli;

import dev.byok.cli.internal.CryptoOptions;
import dev.byok.cli.internal.Io;
import dev.byok.core.AccessReason;
import dev.byok.core.EncryptionContext;
import dev.byok.crypto.AlgorithmSuite;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code byok decrypt}: decrypts one AWS Encryption SDK v2 message. The plaintext goes to a
 * temporary file and becomes visible (renamed, or copied to standard output) only after the whole
 * message authenticated; on any failure there is no output and the exit status is non-zero. For
 * standard output the temporary file is unlinked while open, so nothing outlives the process (see
 * {@link dev.byok.cli.internal.AtomicOutput} and the README on why it does not stream).
 */
@Command(name = "decrypt",
    description = {"Decrypt an AWS Encryption SDK message (format v2, suites 0x0478 and 0x0578).",
        "The output appears only after the whole message authenticated; on failure there is none.",
        "Examples:",
        "  byok decrypt --keystore keys.json --key alias/acme --context tenant=acme --in a.txt.enc --out a.txt",
        "  byok decrypt --key arn:aws:kms:us-east-1:111122223333:key/... < a.enc > a.txt"})
final class DecryptCommand implements Callable<Integer> {
  private static final int SUITE_PEEK_BYTES = 3;

  @Spec CommandSpec spec;
  @Mixin CryptoOptions options;

  @Override
  public Integer call() throws Exception {
    Io io = Main.io(spec);
    EncryptionContext required = options.encryptionContext();
    AccessReason reason = options.accessReason();
    options.run(io, null, (crypto, input, out) -> {
      PushbackInputStream in = new PushbackInputStream(input, SUITE_PEEK_BYTES);
      if (isSigned(in)) {
        // A signed message is verified at its end, so it is decrypted whole, not streamed.
        byte[] message = in.readAllBytes();
        out.write(crypto.decrypt(options.tenant, required, reason, message));
      } else {
        try (InputStream plain = crypto.decryptingStream(options.tenant, required, reason, in)) {
          plain.transferTo(out);
        }
      }
    });
    return ExitCodes.OK;
  }

  /** Whether the message starts with a version-2 header of the signed suite; the bytes are pushed back. */
  private static boolean isSigned(PushbackInputStream in) throws java.io.IOException {
    byte[] head = in.readNBytes(SUITE_PEEK_BYTES);
    in.unread(head);
    return head.length == SUITE_PEEK_BYTES && head[0] == 0x02
        && ((head[1] & 0xFF) << 8 | (head[2] & 0xFF)) == AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384.id();
  }
}
