package dev.byok.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The demo's last line, parsed. */
final class DemoLine {
  static final Pattern FORM = Pattern.compile("demo: ok tenants=(\\d+) operations=(\\d+) kms_calls=(\\d+) "
      + "revoked_after_ms=(\\d+) refused_after_revoke=(\\d+) leaked_after_revoke=(\\d+) restored=(true|false) "
      + "audit_events=(\\d+) unexplained=(\\d+) explained=(\\d+) denied=(\\d+)( push_revoked_after_ms=(\\d+))?");

  final long tenants;
  final long operations;
  final long kmsCalls;
  final long revokedAfterMs;
  final long refused;
  final long leaked;
  final boolean restored;
  final long auditEvents;
  /** The customer's report over the run: KMS calls of the vendor with no audit event. */
  final long unexplained;
  final long explained;
  /** -1 when the line has no push_revoked_after_ms. */
  final long pushRevokedAfterMs;

  private DemoLine(Matcher m) {
    tenants = Long.parseLong(m.group(1));
    operations = Long.parseLong(m.group(2));
    kmsCalls = Long.parseLong(m.group(3));
    revokedAfterMs = Long.parseLong(m.group(4));
    refused = Long.parseLong(m.group(5));
    leaked = Long.parseLong(m.group(6));
    restored = Boolean.parseBoolean(m.group(7));
    auditEvents = Long.parseLong(m.group(8));
    unexplained = Long.parseLong(m.group(9));
    explained = Long.parseLong(m.group(10));
    pushRevokedAfterMs = m.group(13) == null ? -1 : Long.parseLong(m.group(13));
  }

  /** Parses the last non-empty line of {@code stdout}, failing with the whole output when it is not the form. */
  static DemoLine lastOf(String stdout) {
    String[] lines = stdout.strip().split("\n");
    String last = lines[lines.length - 1].strip();
    Matcher m = FORM.matcher(last);
    assertTrue(m.matches(), "last line is not the demo's script line: '" + last + "'\n" + stdout);
    return new DemoLine(m);
  }

  /** The checks every demo run must pass. */
  void assertHealthy(long revalidateAfterMs) {
    assertTrue(tenants == 3, "tenants " + tenants);
    assertTrue(leaked == 0, "leaked_after_revoke " + leaked);
    assertTrue(restored, "restored");
    assertTrue(operations > 0 && kmsCalls > 0 && refused > 0 && auditEvents > 0, "figures > 0: " + this);
    assertTrue(kmsCalls < operations, "the cache saves KMS calls: " + this);
    assertTrue(auditEvents >= operations, "one audit event per operation at least: " + this);
    assertTrue(revokedAfterMs > 0 && revokedAfterMs <= revalidateAfterMs + 1000,
        "revocation within revalidateAfter (+1 s scheduling slack): " + this);
    assertTrue(unexplained == 0, "every KMS call of the vendor has an audit event: " + this);
    assertTrue(explained > 0, "the customer's report joined calls and events: " + this);
  }

  @Override
  public String toString() {
    return "tenants=" + tenants + " operations=" + operations + " kms_calls=" + kmsCalls + " revoked_after_ms="
        + revokedAfterMs + " refused=" + refused + " leaked=" + leaked + " restored=" + restored + " audit_events="
        + auditEvents + " unexplained=" + unexplained + " explained=" + explained;
  }
}
