package dev.byok.soak;

/**
 * One encrypt or decrypt as the oracle sees it: wall-clock start and end (milliseconds since the
 * epoch, comparable across the harness and the vendor process on one machine), duration, tenant,
 * scope, API, size and outcome ({@code ok}, {@code revoked}, {@code unavailable}, {@code mismatch}
 * or {@code error:<type>}). One line of the vendor protocol: {@code op <fields...>}.
 */
record OpRecord(long startMs, long endMs, long nanos, String tenant, String scope, String api, int bytes, String outcome) {
  static final String OK = "ok";
  static final String REVOKED = "revoked";
  static final String UNAVAILABLE = "unavailable";
  static final String MISMATCH = "mismatch";

  boolean ok() {
    return OK.equals(outcome);
  }

  String toLine() {
    return "op " + startMs + " " + endMs + " " + nanos + " " + tenant + " " + scope + " " + api + " " + bytes + " " + outcome;
  }

  static OpRecord parse(String[] f) {
    return new OpRecord(Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]), f[4], f[5], f[6],
        Integer.parseInt(f[7]), f[8]);
  }
}
