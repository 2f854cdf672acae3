package dev.byok.crypto.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.byok.core.InvalidCiphertextException;
import dev.byok.core.keys.PlaintextDataKey;
import dev.byok.crypto.internal.format.DecryptOptions;
import dev.byok.crypto.internal.format.MessageDecryptor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;

/**
 * Jazzer fuzz target for the message decoder. An input is either a whole message (first byte below
 * {@code 0x40}; it is tried with the data key of every template) or a list of edits to one of four
 * valid templates (0x0478 and 0x0578, framed and non-framed; first byte selects which), each edit four
 * bytes: kind (xor / truncate / insert / delete), a 16-bit position and a value. The oracle: a message
 * that differs from its template must be rejected with {@link InvalidCiphertextException}, one equal
 * to it must decrypt to the template plaintext, and the byte-array and streaming APIs must agree.
 * Any other exception, or a changed message that decrypts, is a finding.
 *
 * <p>In the normal test run (no {@code JAZZER_FUZZ}) Jazzer runs both methods as regression tests
 * over the empty input and the seeds in
 * {@code src/test/resources/dev/byok/crypto/format/DecoderFuzzTestInputs/} (plus any findings saved
 * there); {@link #executedSomeInputs()} checks that they ran. With {@code JAZZER_FUZZ=1} Jazzer
 * fuzzes one selected method for its {@code maxDuration}: 30 seconds for the first, 8 hours for
 * {@link #longRun} (30 seconds reach about 180,000 inputs on a 2-core machine). A long run, from
 * the repository root (stop it any time with Ctrl-C; findings land in the inputs directory above and
 * are replayed by every later test run; the growing corpus is kept in {@code byok-crypto/.cifuzz-corpus/},
 * which git ignores):
 *
 * <pre>
 * JAZZER_FUZZ=1 mvn -o -pl byok-crypto -am test -Dtest='DecoderFuzzTest#longRun' \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=NONE -Dfailsafe.failIfNoSpecifiedTests=false
 * </pre>
 */
class DecoderFuzzTest {
  private static final byte[] PLAINTEXT = "fuzz template plaintext, 40 bytes long!!".getBytes(StandardCharsets.US_ASCII);
  private static final MessageDecryptor DECRYPTOR =
      MessageDecryptor.create(DecryptOptions.builder().allowSignedStreaming(true).build());
  private static final AtomicLong EXECUTIONS = new AtomicLong();

  /** A valid message (written by byok or, non-framed, by the ESDK) and its plaintext data key. */
  private static final class Template {
    final String name;
    final byte[] key;
    final byte[] message;

    Template(String name, String key, String message) {
      this.name = name;
      this.key = Base64.getDecoder().decode(key);
      this.message = Base64.getDecoder().decode(message);
    }
  }

  private static final Template[] TEMPLATES = {
      new Template("AES_256_GCM_HKDF_SHA512_COMMIT_KEY framed",
          "vYLk54itOK6WPTVKEyOm3lC6tmrbgSPYunMwiuCjsWc=",
          "AgR402rHRmBZ5R2fRXxPL/tPDzXY+Pd55TH5CRjyHJ0AsU8AJgACAApkYXRhLWNsYXNzAAhtZXNzYWdlcwAGdGVuYW"
          + "50AARhY21lAAIAD3Rlc3QtcHJvdmlkZXItMAAFa2V5LTAAKGC0ILs4UdnUesuTPb5wOZv2yS2jOvAdT7dw6YwDJfQd"
          + "Prr4mG2nEsgAD3Rlc3QtcHJvdmlkZXItMQAFa2V5LTEAKXPVGrvYnLgZbw77aJL5TWj8zCw18LhGCeXxLFXdhauo1d"
          + "m+92gI87VyAgAAABCJDVAWer6iyqs6D7KMfQoTBDqfImSZ30hk8oApv2nt3n/U93rfGY3K93PDpCDi74QAAAABAAAA"
          + "AAAAAAAAAAABW8mGaDMMdu0Xjqh/5ym9l28t+6tglXSss7z6WlnUtI8AAAACAAAAAAAAAAAAAAACCtPZCLvY7ej+Ru"
          + "I/9sQty5mIPdr+Z86K6SrKC+LD5sP/////AAAAAwAAAAAAAAAAAAAAAwAAAAg4K8v9sgYTk7rYhAS346k059t2X4Jr"
          + "08k="),
      new Template("AES_256_GCM_HKDF_SHA512_COMMIT_KEY nonframed",
          "7XoFs5aooE7jOcFAXpqO7Ephr+oi/yvVd5OSbqvgxT4=",
          "AgR42p3CePlmbe49FWRP+iNyIwhMyhLUS2mW0umEwtfMl7AAJgACAApkYXRhLWNsYXNzAAhtZXNzYWdlcwAGdGVuYW"
          + "50AARhY21lAAEADGJ5b2staW50ZXJvcAAid3JhcHBpbmcta2V5LTEAAACAAAAADNbhhkWMo4OeAtSHugAwMl0zRFcy"
          + "aXEqTn7Wyrs1oQ2JLdtThCGeWBFwRcwvTu2hzXQawZA+mDcVH6ycYAOGAQAAAAC28omyql6TodSfJ0llWQogjTGbFg"
          + "L0u/71W4mIPm/YzshQfvjWgliSkMZkq28huj4AAAAAAAAAAAAAAAEAAAAAAAAAKPADX34yjRd8H12Z7eKtAkDw/rYQ"
          + "FNly2SLdMU2dXa4lLpTvzYQyQOMdmWg6+Lbms2idyrbA0cXz"),
      new Template("AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384 framed",
          "o2/D7ZIN7c5bSPLick8dyhC0s2uDy1qv9UWvRn/JULA=",
          "AgV4mozLMiSuuqYe6JClM2h8R+vWQnOX2Xzq/84sZSKVVNIAgwADABVhd3MtY3J5cHRvLXB1YmxpYy1rZXkAREFxTF"
          + "lPWmUrWkRHOEtXakJvak9WWEdUT3hlZG1iM1BvOHFWamV0dDdjK0xLVE9nTnMrREt5MGZtSUtrc2dWRTY3Zz09AApk"
          + "YXRhLWNsYXNzAAhtZXNzYWdlcwAGdGVuYW50AARhY21lAAIAD3Rlc3QtcHJvdmlkZXItMAAFa2V5LTAAKGC0ILs4Ud"
          + "nUesuTPb5wOZv2yS2jOvAdT7dw6YwDJfQdPrr4mG2nEsgAD3Rlc3QtcHJvdmlkZXItMQAFa2V5LTEAKXPVGrvYnLgZ"
          + "bw77aJL5TWj8zCw18LhGCeXxLFXdhauo1dm+92gI87VyAgAAABCd3a+9S92fU3B+e0D40puJQ0wUsCsp0UYnplJjXu"
          + "zmHGRzgiro+sGXsbIre4QNPO4AAAABAAAAAAAAAAAAAAABRdQomV5PBB4fhrtOJbfgEiCsP7nwRre/nC+7gGmCS2MA"
          + "AAACAAAAAAAAAAAAAAACWB3q67AVaNzWBBjnpjMBPK+XxhIOk052XfBx/tWIyJb/////AAAAAwAAAAAAAAAAAAAAAw"
          + "AAAAh95TBEiOosVWOYjV78cImxZ5JjTpa44J0AZzBlAjEA2sVBMJ0Ysmo/BukBRBPgy53j8LyI01vM+aM5H7DOi4ZQ"
          + "ogfhjwEI4VuTHJGEiKsaAjBAPx2sMUR5bOzMUDhf+Bm/ZDhcHx5lzWuZHZpA4l8/3c80kgD5OYWJKoCwbnEG9PY="),
      new Template("AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384 nonframed",
          "qakS5blUSGo/DsWJSiadktxk/nqOUmDFJpJptdZ6f98=",
          "AgV4xX1GlIt6FobJg+epob+K2L1QWmuRouuoGb/Fz2BErVUAgwADABVhd3MtY3J5cHRvLXB1YmxpYy1rZXkAREFvY1"
          + "VFT3RlSXJpQlBSZDBHQUxVOUNWb0ozYjQzUGhJd2dLRkhBenBLck5CRDlBVkk4cDN0d3RXNXpTTlB0aFlSUT09AApk"
          + "YXRhLWNsYXNzAAhtZXNzYWdlcwAGdGVuYW50AARhY21lAAEADGJ5b2staW50ZXJvcAAid3JhcHBpbmcta2V5LTEAAA"
          + "CAAAAADPFL0O86IP5rmadKcQAwx0OXMfjsa2tAadVsauADFD2DcO49VeSi7A7HmXZ3+PsdfrRY95UrIr966+TVnZ3h"
          + "AQAAAAB02002xCFYwnlBIOAhzWMH7xTxjhquHXFg9FC6WTLSi72VaQwRdXK3i7sp9mwFLeQAAAAAAAAAAAAAAAEAAA"
          + "AAAAAAKI/saCnmelSVRqWx7FM5bacYN8GVQXrsYhSizty+Xjso4bQxnlTqcpyMeWe4Atra5ueqAbpecESBAGcwZQIx"
          + "APvZd3HqG0++Mr/yuZ7ekn2VChEgcl8xuIrj0lLhLXbjRhy2DdPwLYS7A4qfp0Mr+QIwRkjwfldVC4E5wjK9EynxoG"
          + "aEBiCq/uzD0Oejv8XVycXP2/xLTv0kuX97gC1d3+aB")
  };

  @FuzzTest(maxDuration = "30s")
  void decrypt_editedOrArbitraryMessage_rejectedUnlessUnchanged(byte[] input) {
    EXECUTIONS.incrementAndGet();
    if (input.length == 0 || (input[0] & 0xFF) < 0x40) {
      byte[] message = input.length == 0 ? input : Arrays.copyOfRange(input, 1, input.length);
      for (Template t : TEMPLATES) {
        byte[] plaintext = decryptBothWays(message, t.key);
        if (plaintext != null) {
          assertTrue(Arrays.equals(t.message, message), "an arbitrary message decrypted under template key " + t.name);
          assertArrayEquals(PLAINTEXT, plaintext);
        }
      }
      return;
    }
    Template t = TEMPLATES[(input[0] & 0xFF) % TEMPLATES.length];
    byte[] m = t.message.clone();
    for (int i = 1; i + 4 <= input.length && m.length > 0; i += 4) {
      int pos = ((input[i + 1] & 0xFF) << 8 | (input[i + 2] & 0xFF)) % (m.length + 1);
      byte value = input[i + 3];
      switch (input[i] & 3) {
        case 0:
          if (pos < m.length) {
            m[pos] ^= value;
          }
          break;
        case 1:
          m = Arrays.copyOf(m, pos);
          break;
        case 2:
          byte[] grown = new byte[m.length + 1];
          System.arraycopy(m, 0, grown, 0, pos);
          grown[pos] = value;
          System.arraycopy(m, pos, grown, pos + 1, m.length - pos);
          m = grown;
          break;
        default:
          if (pos < m.length) {
            byte[] shrunk = new byte[m.length - 1];
            System.arraycopy(m, 0, shrunk, 0, pos);
            System.arraycopy(m, pos + 1, shrunk, pos, m.length - pos - 1);
            m = shrunk;
          }
      }
    }
    byte[] plaintext = decryptBothWays(m, t.key);
    if (Arrays.equals(m, t.message)) {
      assertArrayEquals(PLAINTEXT, plaintext, t.name + " unchanged must decrypt");
    } else if (plaintext != null) {
      fail(t.name + ": a changed message decrypted: " + Base64.getEncoder().encodeToString(m));
    }
  }

  /** The same target with an 8-hour budget, for fuzzing runs (see the class javadoc). */
  @FuzzTest(maxDuration = "8h")
  void longRun(byte[] input) {
    decrypt_editedOrArbitraryMessage_rejectedUnlessUnchanged(input);
  }

  /** The plaintext if both APIs accept {@code message}, null if both reject it with InvalidCiphertextException. */
  private static byte[] decryptBothWays(byte[] message, byte[] key) {
    byte[] fromArray;
    try {
      fromArray = DECRYPTOR.decrypt(message, 0, message.length, h -> PlaintextDataKey.copyOf(key));
    } catch (InvalidCiphertextException e) {
      fromArray = null;
    }
    byte[] fromStream;
    try {
      fromStream = DECRYPTOR.decryptingStream(new ByteArrayInputStream(message), h -> PlaintextDataKey.copyOf(key))
          .readAllBytes();
    } catch (InvalidCiphertextException e) {
      fromStream = null;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (!Arrays.equals(fromArray, fromStream)) {
      fail("the byte-array and streaming APIs disagree on " + Base64.getEncoder().encodeToString(message));
    }
    return fromArray;
  }

  @AfterAll
  static void executedSomeInputs() {
    assertTrue(EXECUTIONS.get() > 10, "the fuzz target ran only " + EXECUTIONS.get() + " inputs: are the seeds on the class path?");
  }
}
