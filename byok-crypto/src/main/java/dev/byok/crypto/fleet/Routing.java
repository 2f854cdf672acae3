package dev.byok.crypto.fleet;

/**
 * How requests of a tenant reach instances: {@link #random()}, to any instance of the fleet, or
 * {@link #affine(int)}, to a fixed set of k instances per tenant (consistent hashing, sticky
 * sessions, cells). Immutable.
 *
 * @param instancesPerTenant k for tenant-affine routing; 0 for random routing (every instance)
 */
public record Routing(int instancesPerTenant) {

  /** Checks k. */
  public Routing {
    if (instancesPerTenant < 0) {
      throw new IllegalArgumentException("routing: k must be at least 1, got " + instancesPerTenant);
    }
  }

  /** Any instance serves any request. */
  public static Routing random() {
    return new Routing(0);
  }

  /** Each tenant's requests go to the same {@code k} instances, spread evenly among them. */
  public static Routing affine(int k) {
    if (k < 1) {
      throw new IllegalArgumentException("routing: k must be at least 1, got " + k);
    }
    return new Routing(k);
  }

  /**
   * Reads {@code random} or {@code affine:K} (e.g. {@code affine:3}).
   *
   * @throws IllegalArgumentException naming the value and what is accepted
   */
  public static Routing parse(String text) {
    String t = text.trim();
    if (t.equals("random")) {
      return random();
    }
    if (t.startsWith("affine:")) {
      try {
        int k = Integer.parseInt(t.substring("affine:".length()));
        if (k >= 1) {
          return affine(k);
        }
      } catch (NumberFormatException e) {
        // the message below
      }
    }
    throw new IllegalArgumentException("routing: expected random or affine:K (K at least 1), got '" + text + "'");
  }

  /** Whether every instance serves every tenant. */
  public boolean isRandom() {
    return instancesPerTenant == 0;
  }

  /** The instances that serve one tenant in a fleet of {@code instances}. */
  public int instancesPerTenant(int instances) {
    return isRandom() ? instances : Math.min(instancesPerTenant, instances);
  }

  @Override
  public String toString() {
    return isRandom() ? "random" : "affine:" + instancesPerTenant;
  }
}
