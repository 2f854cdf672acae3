package dev.byok.cli.internal;

import dev.byok.cli.ExitCodes;
import dev.byok.core.InvalidCiphertextException;
import dev.byok.core.KeyAccessRevokedException;
import dev.byok.core.KeyServiceUnavailableException;
import dev.byok.core.keys.KeyServiceException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;

/**
 * Turns an exception into the command's exit status and its one error line. The line never holds a
 * stack trace (that is printed only with {@code --debug}) and never secret material: it is built
 * from exception messages, which byok keeps free of secrets. Stateless and thread-safe.
 */
public final class Errors {
  private Errors() {}

  /** The exit status for {@code t}; see {@link ExitCodes}. */
  public static int exitCode(Throwable t) {
    Throwable c = unwrap(t);
    if (c instanceof UsageException || c instanceof IllegalArgumentException) {
      return ExitCodes.USAGE;
    }
    if (c instanceof InvalidCiphertextException) {
      return ExitCodes.INVALID_CIPHERTEXT;
    }
    if (c instanceof KeyAccessRevokedException) {
      return ExitCodes.ACCESS_REVOKED;
    }
    if (c instanceof KeyServiceUnavailableException) {
      return ExitCodes.KEY_SERVICE_UNAVAILABLE;
    }
    if (c instanceof dev.byok.core.ByokException b && b.retryable()) {
      return ExitCodes.KEY_SERVICE_UNAVAILABLE; // unreachable or throttled before anything changed: retry later
    }
    if (c instanceof KeyServiceException) {
      switch (((KeyServiceException) c).errorClass()) {
        case DEFINITIVE:
          return ExitCodes.ACCESS_REVOKED;
        case TRANSIENT:
          return ExitCodes.KEY_SERVICE_UNAVAILABLE;
        default:
          return "InvalidCiphertextException".equals(((KeyServiceException) c).errorCode())
              || "IncorrectKeyException".equals(((KeyServiceException) c).errorCode())
              ? ExitCodes.INVALID_CIPHERTEXT : ExitCodes.FAILED;
      }
    }
    return ExitCodes.FAILED;
  }

  /** The error text for {@code t}, on one line, without the command's name. */
  public static String message(Throwable t) {
    Throwable c = unwrap(t);
    String m = c.getMessage();
    String text;
    if (c instanceof NoSuchFileException) {
      text = "no such file: " + m;
    } else if (c instanceof AccessDeniedException) {
      text = "permission denied: " + m;
    } else if (c instanceof FileAlreadyExistsException) {
      text = "file already exists: " + m;
    } else if (c instanceof FileNotFoundException) {
      text = "cannot open file: " + m;
    } else if (c instanceof IOException) {
      text = "I/O error: " + (m == null ? c.getClass().getSimpleName() : m);
    } else if (c instanceof KeyServiceException) {
      KeyServiceException k = (KeyServiceException) c;
      text = "key service: " + k.errorCode() + ": " + m
          + (k.requestId() == null ? "" : " (request ID " + k.requestId() + ")");
    } else if (c instanceof KeyServiceUnavailableException) {
      text = "key service unavailable: " + m;
    } else if (c instanceof UsageException || c instanceof OperationFailedException
        || c instanceof dev.byok.core.ByokException || c instanceof IllegalArgumentException) {
      text = m == null ? c.getClass().getSimpleName() : m;
    } else {
      text = "internal error: " + c.getClass().getName() + (m == null ? "" : ": " + m)
          + " (run with --debug for the stack trace)";
    }
    return oneLine(text);
  }

  /** {@code text} with line breaks and control characters replaced by spaces. */
  public static String oneLine(String text) {
    StringBuilder b = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char ch = text.charAt(i);
      b.append(Character.isISOControl(ch) ? ' ' : ch);
    }
    return b.toString().trim();
  }

  private static Throwable unwrap(Throwable t) {
    Throwable c = t;
    while ((c instanceof UncheckedIOException
        || (c instanceof IOException && c.getCause() instanceof dev.byok.core.ByokException) || c.getClass() == RuntimeException.class
        || c instanceof java.util.concurrent.ExecutionException
        || c instanceof java.util.concurrent.CompletionException) && c.getCause() != null) {
      c = c.getCause();
    }
    return c;
  }
}
