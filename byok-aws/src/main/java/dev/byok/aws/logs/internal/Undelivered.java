package dev.byok.aws.logs.internal;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What close could not deliver. Immutable.
 *
 * @param total every event accepted in this run and not delivered
 * @param spilledOnOverflow of which: spilled on overflow earlier and not read back (already in spill files)
 * @param perTenant the events left in memory at close, per tenant
 * @param errors each such tenant's last delivery error (or that it was not sent before the deadline)
 * @param spillDirectory where the events left in memory were written, or {@code null} if they were not
 * @param loggedOnly whether events left in memory could only be logged in full at ERROR
 * @param defaultLocation whether {@code spillDirectory} is the {@link DefaultSpillLocation} (the sink was given none)
 */
public record Undelivered(long total, long spilledOnOverflow, Map<String, Integer> perTenant, Map<String, String> errors,
    Path spillDirectory, boolean loggedOnly, boolean defaultLocation) {

  /** Copies the maps, keeping their order. */
  public Undelivered {
    perTenant = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(perTenant, "perTenant")));
    errors = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(errors, "errors")));
  }

  /** Events left in memory at close (the rest were in spill files already). */
  public long leftInMemory() {
    return total - spilledOnOverflow;
  }
}
