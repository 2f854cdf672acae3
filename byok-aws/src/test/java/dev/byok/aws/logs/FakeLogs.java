package dev.byok.aws.logs;

import dev.byok.core.HandoffBundle;
import dev.byok.aws.logs.internal.DeliveryFailure;
import dev.byok.aws.logs.internal.DeliveryFailure.Kind;
import dev.byok.aws.logs.internal.LogsApi;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * An in-process stand-in for the {@link LogsApi} seam: keeps groups and streams in memory,
 * records every request, and injects failures. Thread-safe (synchronized).
 */
public final class FakeLogs {
  /** One PutLogEvents request as it was sent. */
  static final class Request {
    final String tenant;
    final String group;
    final String stream;
    final List<LogsApi.LogRecord> records;

    Request(String tenant, String group, String stream, List<LogsApi.LogRecord> records) {
      this.tenant = tenant;
      this.group = group;
      this.stream = stream;
      this.records = List.copyOf(records);
    }

    long bytes() {
      long n = 0;
      for (LogsApi.LogRecord r : records) {
        n += r.message().getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 26;
      }
      return n;
    }
  }

  final Set<String> groups = new HashSet<>();
  final Map<String, List<LogsApi.LogRecord>> streams = new HashMap<>();
  final List<Request> requests = new ArrayList<>();
  final List<String> calls = new ArrayList<>();
  final Set<String> deniedRoles = new HashSet<>();
  /** Remaining PutLogEvents calls to fail with TRANSIENT (throttling). */
  final AtomicInteger throttleNext = new AtomicInteger();
  /** Whether a throttled call was stored anyway (a lost response). */
  boolean storeWhenThrottled;
  /** Every call fails as a network error while true. */
  boolean networkDown;
  /** Requests containing a message matching this are refused as invalid. */
  Predicate<String> invalidMessage = m -> false;
  /** Indices to report as too old in the next successful PutLogEvents. */
  Integer rejectTooOldEndIndexOnce;

  synchronized void createGroup(String g) {
    groups.add(g);
  }

  synchronized List<LogsApi.LogRecord> stream(String group, String stream) {
    List<LogsApi.LogRecord> l = streams.get(group + "|" + stream);
    return l == null ? List.of() : List.copyOf(l);
  }

  synchronized List<LogsApi.LogRecord> all() {
    List<LogsApi.LogRecord> out = new ArrayList<>();
    streams.values().forEach(out::addAll);
    return out;
  }

  synchronized List<Request> requests() {
    return List.copyOf(requests);
  }

  LogsApi open(String tenant, HandoffBundle bundle) {
    return new Api(tenant, bundle);
  }

  private final class Api implements LogsApi {
    final String tenant;
    final HandoffBundle bundle;

    Api(String tenant, HandoffBundle bundle) {
      this.tenant = tenant;
      this.bundle = bundle;
    }

    @Override
    public void ensureCredentials() throws DeliveryFailure {
      synchronized (FakeLogs.this) {
        calls.add("AssumeRole " + bundle.roleArn());
        if (networkDown) {
          throw new DeliveryFailure(Kind.ROLE, "cannot assume the log role " + bundle.roleArn() + ": network down", null);
        }
        if (deniedRoles.contains(bundle.roleArn())) {
          throw new DeliveryFailure(Kind.ROLE, "cannot assume the log role " + bundle.roleArn() + " of tenant '" + tenant
              + "': AccessDenied", null);
        }
      }
    }

    @Override
    public void createLogGroup(String group) {
      synchronized (FakeLogs.this) {
        calls.add("CreateLogGroup " + group);
        groups.add(group);
      }
    }

    @Override
    public void createLogStream(String group, String stream) throws DeliveryFailure {
      synchronized (FakeLogs.this) {
        calls.add("CreateLogStream " + group + " " + stream);
        if (!groups.contains(group)) {
          throw new DeliveryFailure(Kind.LOG_GROUP_MISSING, "log group '" + group + "' does not exist", null);
        }
        streams.putIfAbsent(group + "|" + stream, new ArrayList<>());
      }
    }

    @Override
    public PutResult putLogEvents(String group, String stream, List<LogRecord> batch) throws DeliveryFailure {
      synchronized (FakeLogs.this) {
        calls.add("PutLogEvents " + group + " " + stream + " " + batch.size());
        requests.add(new Request(tenant, group, stream, batch));
        if (networkDown) {
          throw new DeliveryFailure(Kind.TRANSIENT, "connection refused", null);
        }
        List<LogRecord> s = streams.get(group + "|" + stream);
        if (!groups.contains(group) || s == null) {
          throw new DeliveryFailure(Kind.LOG_STREAM_MISSING, "stream missing", null);
        }
        if (throttleNext.get() > 0) {
          throttleNext.decrementAndGet();
          if (storeWhenThrottled) {
            s.addAll(batch);
          }
          throw new DeliveryFailure(Kind.TRANSIENT, "ThrottlingException (HTTP 400): Rate exceeded", null);
        }
        for (LogRecord r : batch) {
          if (invalidMessage.test(r.message())) {
            throw new DeliveryFailure(Kind.INVALID_REQUEST, "InvalidParameterException: bad event", null);
          }
        }
        if (rejectTooOldEndIndexOnce != null) {
          int end = rejectTooOldEndIndexOnce;
          rejectTooOldEndIndexOnce = null;
          s.addAll(batch.subList(end + 1, batch.size()));
          return new PutResult(end, null, null, false);
        }
        s.addAll(batch);
        return PutResult.STORED;
      }
    }

    @Override
    public void close() {
      // nothing held
    }
  }

  /** A clock the test moves by hand. */
  public static final class MutableClock extends java.time.Clock {
    private volatile java.time.Instant now;

    MutableClock(java.time.Instant start) {
      this.now = start;
    }

    void advance(java.time.Duration d) {
      now = now.plus(d);
    }

    @Override
    public java.time.ZoneId getZone() {
      return java.time.ZoneOffset.UTC;
    }

    @Override
    public java.time.Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public java.time.Instant instant() {
      return now;
    }
  }
}
