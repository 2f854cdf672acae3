package dev.byok.soak;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Collects what the workers, the vendor process and the customer did, and judges it at the end
 * (see {@link #evaluate}). Recording is thread-safe.
 */
final class Oracle {
  /** A refused operation is excused this long after a restore when no success came back before it. */
  static final long RESTORE_GRACE_MS = 30_000;

  record KmsCall(long startMs, long endMs, String keyArn) {}

  /** An audit event the vendor's sink accepted: by which incarnation of the vendor, for which tenant. */
  record Tap(String tenant, int incarnation, String operation) {}

  private final List<OpRecord> ops = new ArrayList<>();
  private final List<Action> actions = new ArrayList<>();
  private final List<KmsCall> kmsCalls = new ArrayList<>();
  private final Map<String, Tap> taps = new ConcurrentHashMap<>();
  private final Map<String, Integer> duplicateTaps = new ConcurrentHashMap<>();

  synchronized void op(OpRecord op) {
    ops.add(op);
  }

  synchronized void action(Action a) {
    actions.add(a);
  }

  synchronized void kms(KmsCall c) {
    kmsCalls.add(c);
  }

  void tap(String eventId, Tap t) {
    if (taps.putIfAbsent(eventId, t) != null) {
      duplicateTaps.merge(eventId, 1, Integer::sum);
    }
  }

  Map<String, Tap> taps() {
    return taps;
  }

  synchronized List<OpRecord> ops() {
    return List.copyOf(ops);
  }

  synchronized List<Action> actions() {
    return List.copyOf(actions);
  }

  /** The longest KMS call of {@code keyArns} in flight at {@code t} (0 if none). */
  synchronized long longestCallInFlight(Set<String> keyArns, long t) {
    long max = 0;
    for (KmsCall c : kmsCalls) {
      if (c.startMs <= t && c.endMs >= t && keyArns.contains(c.keyArn)) {
        max = Math.max(max, c.endMs - c.startMs);
      }
    }
    return max;
  }

  /** Longest KMS call seen at all, and the median: the measured round trips. */
  synchronized long[] kmsRoundTrips() {
    if (kmsCalls.isEmpty()) {
      return new long[] {0, 0};
    }
    long[] d = kmsCalls.stream().mapToLong(c -> c.endMs - c.startMs).sorted().toArray();
    return new long[] {d[d.length - 1], d[d.length / 2]};
  }

  /** Drops KMS call records older than {@code beforeMs} (they can no longer be in flight at a later action). */
  synchronized void forgetKmsCallsBefore(long beforeMs) {
    kmsCalls.removeIf(c -> c.endMs < beforeMs);
  }

  /** What the operations and actions show. */
  record Judgement(long leaked, long falseRevocations, long revocationMaxMs, long restoreMaxMs, long transientErrors,
      long mismatches, long errors, Map<String, Long> errorKinds, List<String> examples) {}

  Judgement judge() {
    List<OpRecord> all = ops();
    List<Action> acts = actions();
    Map<String, List<OpRecord>> byTenant = new HashMap<>();
    for (OpRecord op : all) {
      byTenant.computeIfAbsent(op.tenant(), k -> new ArrayList<>()).add(op);
    }
    byTenant.values().forEach(l -> l.sort(Comparator.comparingLong(OpRecord::startMs)));
    Map<String, List<Action>> actsByTenant = new HashMap<>();
    for (Action a : acts) {
      if (a.revokes()) {
        actsByTenant.computeIfAbsent(a.tenant(), k -> new ArrayList<>()).add(a);
      }
    }
    long leaked = 0;
    long falseRevocations = 0;
    long revocationMax = 0;
    long restoreMax = 0;
    List<String> examples = new ArrayList<>();
    // per action: leaks, the last plaintext after t, when access came back
    Map<Action, Long> restoredAt = new HashMap<>();
    for (Action a : acts) {
      if (!a.revokes()) {
        continue;
      }
      long lastSuccessEnd = a.effectiveMs();
      long back = Long.MAX_VALUE;
      for (OpRecord op : byTenant.getOrDefault(a.tenant(), List.of())) {
        if (!a.covers(op) || !op.ok()) {
          continue;
        }
        if (op.startMs() >= a.effectiveMs() && op.startMs() < a.restoreStartMs()) {
          lastSuccessEnd = Math.max(lastSuccessEnd, op.endMs());
          if (op.startMs() > a.effectiveMs() + a.boundMs()) {
            leaked++;
            if (examples.size() < 10) {
              examples.add("leak: " + op + " after " + a);
            }
          }
        }
        if (op.startMs() >= a.restoredMs() && back == Long.MAX_VALUE) {
          back = op.startMs();
        }
      }
      revocationMax = Math.max(revocationMax, lastSuccessEnd - a.effectiveMs());
      restoredAt.put(a, back == Long.MAX_VALUE ? a.restoredMs() + RESTORE_GRACE_MS : back);
      if (back != Long.MAX_VALUE) {
        restoreMax = Math.max(restoreMax, back - a.restoredMs());
      }
    }
    long transientErrors = 0;
    long mismatches = 0;
    long errors = 0;
    Map<String, Long> kinds = new HashMap<>();
    for (OpRecord op : all) {
      switch (op.outcome()) {
        case OpRecord.OK -> { }
        case OpRecord.UNAVAILABLE -> transientErrors++;
        case OpRecord.MISMATCH -> {
          mismatches++;
          if (examples.size() < 10) {
            examples.add("plaintext mismatch: " + op);
          }
        }
        case OpRecord.REVOKED -> {
          boolean excused = false;
          for (Action a : actsByTenant.getOrDefault(op.tenant(), List.of())) {
            if (a.covers(op) && op.endMs() >= a.callStartMs() && op.startMs() <= restoredAt.get(a)) {
              excused = true;
              break;
            }
          }
          if (!excused) {
            falseRevocations++;
            if (examples.size() < 10) {
              examples.add("false revocation: " + op);
            }
          }
        }
        default -> {
          errors++;
          kinds.merge(op.outcome(), 1L, Long::sum);
          if (examples.size() < 10) {
            examples.add("error: " + op);
          }
        }
      }
    }
    return new Judgement(leaked, falseRevocations, revocationMax, restoreMax, transientErrors, mismatches, errors, kinds, examples);
  }

  /** The 99th percentile of the durations (ns) of {@code ops}, or 0 when empty. */
  static long p99Nanos(List<OpRecord> ops) {
    if (ops.isEmpty()) {
      return 0;
    }
    long[] d = ops.stream().mapToLong(OpRecord::nanos).sorted().toArray();
    return d[Math.min(d.length - 1, (int) Math.ceil(d.length * 0.99) - 1)];
  }
}
