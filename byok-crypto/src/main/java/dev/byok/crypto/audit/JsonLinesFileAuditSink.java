package dev.byok.crypto.audit;

import dev.byok.core.audit.AuditSink;
import dev.byok.core.audit.KeyUseEvent;
import dev.byok.core.internal.EventJson;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends each event to a file as one JSON object per line (UTF-8, {@code \n}-terminated), the
 * format of {@code docs/audit-events.md}. {@link #emit} only enqueues; a writer thread appends,
 * and flushes to the operating system after each burst ({@code fsync} too when
 * {@code syncOnWrite}). When the queue ({@code capacity} events) is full the producer waits. A write
 * that fails (disk full) is retried every second with the events kept in memory; events still
 * unwritten at {@link #close(Duration)} are logged in full at ERROR on
 * {@code dev.byok.crypto.audit.undelivered} and counted in its result. Thread-safe.
 *
 * <p>On a POSIX file system the file is owner-only ({@code rw-------}) in an owner-only directory:
 * a missing directory is created {@code rwx------}, a new file {@code rw-------}, and an existing
 * directory or file that other users could write ({@code g+w} or {@code o+w}) is refused, so nobody
 * else can remove, replace or append to the audit record.
 *
 * <p>{@code AuditSink sink = JsonLinesFileAuditSink.open(Path.of("audit.jsonl"));}
 */
public final class JsonLinesFileAuditSink implements AuditSink {
  private static final Logger LOG = LoggerFactory.getLogger(JsonLinesFileAuditSink.class);
  private static final Logger UNDELIVERED = LoggerFactory.getLogger("dev.byok.crypto.audit.undelivered");
  private static final int DEFAULT_CAPACITY = 10_000;
  private static final long RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final Path file;
  private final boolean syncOnWrite;
  private final BlockingQueue<KeyUseEvent> queue;
  private final FileChannel channel;
  private final OutputStream out;
  private final Thread writer;
  private final AtomicLong accepted = new AtomicLong();
  private final AtomicLong written = new AtomicLong();
  private final List<KeyUseEvent> unwritten = new ArrayList<>();
  private volatile boolean closing;
  private volatile boolean finished;
  private volatile boolean stop;
  private Long closeResult;

  private JsonLinesFileAuditSink(Path file, int capacity, boolean syncOnWrite) throws IOException {
    this.file = file;
    this.syncOnWrite = syncOnWrite;
    this.queue = new ArrayBlockingQueue<>(capacity);
    Path parent = file.toAbsolutePath().getParent();
    boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
        && file.getFileSystem().supportedFileAttributeViews().contains("posix");
    if (parent != null) {
      if (posix && !Files.exists(parent)) {
        Files.createDirectories(parent, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      } else {
        Files.createDirectories(parent);
      }
      if (posix) {
        refuseIfOthersCanWrite(parent, "directory");
      }
    }
    if (posix && Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      refuseIfOthersCanWrite(file, "file");
    }
    this.channel = posix
        ? FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
        : FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    this.out = Channels.newOutputStream(channel);
    this.writer = new Thread(this::writeLoop, "byok-audit-file-" + file.getFileName());
    writer.setDaemon(true);
    writer.start();
  }

  private static void refuseIfOthersCanWrite(Path p, String what) throws IOException {
    Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
    if (perms.contains(PosixFilePermission.GROUP_WRITE) || perms.contains(PosixFilePermission.OTHERS_WRITE)) {
      throw new IOException("the audit " + what + " " + p + " is writable by other users ("
          + PosixFilePermissions.toString(perms) + "): they could remove, replace or append to the audit record; "
          + "make it owner-only (chmod " + ("file".equals(what) ? "600" : "700") + ")");
    }
  }

  /** Appends to {@code file} (created if missing), queue of 10,000, no fsync. */
  public static JsonLinesFileAuditSink open(Path file) throws IOException {
    return open(file, DEFAULT_CAPACITY, false);
  }

  /**
   * Appends to {@code file} (created if missing, with its directories).
   *
   * @param capacity events waiting to be written before producers wait (at least 1)
   * @param syncOnWrite whether to fsync after each burst of writes
   * @throws IOException naming the file when it cannot be opened for appending
   */
  public static JsonLinesFileAuditSink open(Path file, int capacity, boolean syncOnWrite) throws IOException {
    Objects.requireNonNull(file, "file");
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
    }
    try {
      return new JsonLinesFileAuditSink(file, capacity, syncOnWrite);
    } catch (IOException e) {
      throw new IOException("audit file " + file + " cannot be opened for appending: " + e.getMessage(), e);
    }
  }

  /**
   * Queues the event; waits while the queue is full.
   *
   * @throws IllegalStateException if the sink is closed or the wait is interrupted (not accepted)
   */
  @Override
  public void emit(KeyUseEvent event) {
    Objects.requireNonNull(event, "event");
    if (closing) {
      throw new IllegalStateException("audit file sink " + file + " is closed; audit event " + event.eventId() + " was not accepted");
    }
    try {
      queue.put(event);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for room in the audit file queue; audit event "
          + event.eventId() + " was not accepted", e);
    }
    accepted.incrementAndGet();
    if (finished && queue.remove(event)) {
      accepted.decrementAndGet();
      throw new IllegalStateException("audit file sink " + file + " is closed; audit event " + event.eventId() + " was not accepted");
    }
  }

  private void writeLoop() {
    List<KeyUseEvent> batch = new ArrayList<>();
    long retryAt = 0;
    while (!stop) {
      try {
        if (batch.isEmpty()) {
          KeyUseEvent first = queue.poll(50, TimeUnit.MILLISECONDS);
          if (first == null) {
            continue;
          }
          batch.add(first);
          queue.drainTo(batch, 4096);
        } else if (System.nanoTime() < retryAt) {
          LockSupport.parkNanos(this, Math.min(retryAt - System.nanoTime(), 50_000_000L));
          continue;
        }
        if (write(batch)) {
          written.addAndGet(batch.size());
          batch.clear();
        } else {
          retryAt = System.nanoTime() + RETRY_NANOS;
        }
      } catch (InterruptedException e) {
        break;
      }
    }
    synchronized (unwritten) {
      unwritten.addAll(batch);
    }
  }

  private boolean write(List<KeyUseEvent> batch) {
    StringBuilder sb = new StringBuilder(batch.size() * 512);
    for (KeyUseEvent e : batch) {
      sb.append(EventJson.write(e)).append('\n');
    }
    try {
      out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
      out.flush();
      if (syncOnWrite) {
        channel.force(false);
      }
      return true;
    } catch (IOException e) {
      LOG.error("audit file {}: writing {} event(s) failed, kept and retried in 1 s: {}", file, batch.size(), e.toString());
      return false;
    }
  }

  /** Waits until every accepted event is written, at most {@code timeout}. */
  @Override
  public boolean flush(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    long target = accepted.get();
    while (written.get() < target && System.nanoTime() < deadline && writer.isAlive()) {
      LockSupport.parkNanos(this, 1_000_000L);
    }
    return written.get() >= target;
  }

  /**
   * Stops accepting events, writes what is queued within {@code timeout}, closes the file.
   *
   * @return how many accepted events were not written (each logged in full at ERROR)
   */
  @Override
  public synchronized long close(Duration timeout) {
    if (closeResult != null) {
      return closeResult;
    }
    closing = true;
    flush(timeout);
    stop = true;
    writer.interrupt();
    try {
      writer.join(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    finished = true;
    List<KeyUseEvent> left = new ArrayList<>();
    synchronized (unwritten) {
      left.addAll(unwritten);
    }
    queue.drainTo(left);
    for (KeyUseEvent e : left) {
      UNDELIVERED.error("audit event not written to {} before close: {}", file, EventJson.write(e));
    }
    try {
      out.close();
    } catch (IOException e) {
      LOG.error("audit file {}: close failed: {}", file, e.toString());
    }
    if (!left.isEmpty()) {
      LOG.error("audit file {} closed with {} event(s) not written; each is logged in full at ERROR on"
          + " dev.byok.crypto.audit.undelivered", file, left.size());
    }
    closeResult = (long) left.size();
    return closeResult;
  }

  @Override
  public String toString() {
    return "JsonLinesFileAuditSink{" + file + "}";
  }
}
