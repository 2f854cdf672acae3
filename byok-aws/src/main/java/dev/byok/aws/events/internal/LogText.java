package dev.byok.aws.events.internal;

/**
 * Puts a value from an untrusted message into a log line: at most 64 characters, and only
 * characters that cannot forge a log line or a field ({@code A-Z a-z 0-9 : / . _ -}); every other
 * character becomes {@code ?}. Stateless.
 */
public final class LogText {
  private static final int MAX_CHARS = 64;

  private LogText() {}

  /** The escaped value; {@code (none)} for null. */
  public static String escape(String value) {
    if (value == null) {
      return "(none)";
    }
    StringBuilder b = new StringBuilder(Math.min(value.length(), MAX_CHARS) + 3);
    for (int i = 0; i < value.length() && i < MAX_CHARS; i++) {
      char c = value.charAt(i);
      boolean safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == ':' || c == '/' || c == '.' || c == '_' || c == '-';
      b.append(safe ? c : '?');
    }
    if (value.length() > MAX_CHARS) {
      b.append("...");
    }
    return b.toString();
  }
}
