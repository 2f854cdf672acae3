package dev.byok.crypto.fakes.crac;

/** A hook failed after the restore. */
public class RestoreException extends Exception {
  private static final long serialVersionUID = 1L;

  public RestoreException(Throwable cause) {
    super(cause);
  }
}
