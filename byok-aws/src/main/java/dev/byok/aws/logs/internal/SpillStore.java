package dev.byok.aws.logs.internal;

import dev.byok.core.audit.KeyUseEvent;
import dev.byok.core.internal.EventJson;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The spill directory of one sink: JSON-lines files of events not yet delivered, written on
 * overflow and at close, and read back (replayed) later. Each tenant has files of its own,
 * {@code spill-<utc>-<n>~<tenant key>.jsonl} ({@link #tenantKey}), so one tenant's backlog is
 * replayed when that tenant's delivery works, whatever another tenant's does. Files without a
 * tenant key ({@code spill-<utc>-<n>.jsonl}, from before) are split into per-tenant files at start.
 * One sink owns a directory at a time (a lock file enforces it). Names sort by creation time; a file
 * is deleted only when every event read from it is delivered or written again to a newer file.
 * Events the service refused for good go to {@code rejected-<utc>.jsonl}, lines that cannot be read
 * back to {@code unreadable-<utc>.jsonl}; neither is replayed.
 *
 * <p>Owner-only ({@link OwnerOnly}): the directory is {@code rwx------} and every file
 * {@code rw-------}; a spill file other users could write to is never replayed. Thread-safe
 * (writes are synchronized).
 */
public final class SpillStore implements AutoCloseable {
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS").withZone(ZoneOffset.UTC);
  private static final String SPILL_PREFIX = "spill-";
  private static final String SUFFIX = ".jsonl";
  private static final char KEY_MARK = '~';
  private static final int MAX_PLAIN_KEY = 96;

  private final Path dir;
  private final Clock clock;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private int counter;
  /** The file being written, per tenant key. */
  private final Map<String, Writer> writers = new HashMap<>();
  private final Set<Path> created = new HashSet<>();

  /** One tenant's file being written. */
  private static final class Writer {
    final Path path;
    final FileChannel channel;
    final BufferedWriter out;
    long lines;

    Writer(Path path) throws IOException {
      this.path = path;
      OwnerOnly.createFile(path);
      this.channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
      this.out = new BufferedWriter(Channels.newWriter(channel, StandardCharsets.UTF_8));
    }
  }

  /**
   * Opens (creating if needed, owner-only) and locks {@code dir}.
   *
   * @throws IllegalStateException if another sink holds the directory
   * @throws UncheckedIOException naming the directory when it cannot be created, is not this user's, or cannot be locked
   */
  public SpillStore(Path dir, Clock clock) {
    this.dir = dir;
    this.clock = clock;
    try {
      OwnerOnly.directory(dir);
      Path lockFile = dir.resolve(".lock");
      OwnerOnly.createFile(lockFile);
      lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock l;
      try {
        l = lockChannel.tryLock();
      } catch (OverlappingFileLockException e) {
        l = null;
      }
      if (l == null) {
        lockChannel.close();
        throw new IllegalStateException("audit spill directory " + dir + " is in use by another sink; give each sink its own");
      }
      lock = l;
    } catch (IOException e) {
      throw new UncheckedIOException("audit spill directory " + dir + " cannot be used: " + e.getMessage(), e);
    }
  }

  /**
   * The part of a spill file's name that names its tenant: the tenant itself when it is short and
   * made of {@code A-Z a-z 0-9 _ -} only, else {@code %} and 40 hex digits of its SHA-256.
   */
  public static String tenantKey(String tenant) {
    if (tenant.length() <= MAX_PLAIN_KEY && tenant.matches("[A-Za-z0-9_-]+")) {
      return tenant;
    }
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(tenant.getBytes(StandardCharsets.UTF_8));
      return "%" + HexFormat.of().formatHex(h, 0, 20);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** The tenant key in a spill file's name, or {@code null} for a file of several tenants (an older format). */
  public static String keyOf(Path file) {
    String n = file.getFileName().toString();
    int i = n.indexOf(KEY_MARK);
    return i < 0 || !n.endsWith(SUFFIX) ? null : n.substring(i + 1, n.length() - SUFFIX.length());
  }

  /** The spill directory. */
  public Path directory() {
    return dir;
  }

  /** Appends one event to its tenant's file and flushes it to the operating system. */
  public void append(KeyUseEvent e) throws IOException {
    append(e, false);
  }

  /**
   * Appends one event to its tenant's file; with {@code force}, also to the disk before returning
   * (for tenants that require a durable audit record).
   */
  public synchronized void append(KeyUseEvent e, boolean force) throws IOException {
    Writer w = writer(tenantKey(e.tenant()));
    w.out.write(EventJson.write(e));
    w.out.newLine();
    w.out.flush();
    if (force) {
      w.channel.force(false);
    }
    w.lines++;
  }

  /** Appends events, each to its tenant's file, and flushes once per file. */
  public synchronized void appendAll(Collection<KeyUseEvent> events) throws IOException {
    Map<String, Writer> touched = new LinkedHashMap<>();
    for (KeyUseEvent e : events) {
      String key = tenantKey(e.tenant());
      Writer w = touched.get(key);
      if (w == null) {
        w = writer(key);
        touched.put(key, w);
      }
      w.out.write(EventJson.write(e));
      w.out.newLine();
      w.lines++;
    }
    for (Writer w : touched.values()) {
      w.out.flush();
    }
  }

  /** Appends lines already in spill format to {@code key}'s file (the unread rest of a replayed file). */
  synchronized void appendLines(String key, List<String> lines) throws IOException {
    if (lines.isEmpty()) {
      return;
    }
    Writer w = writer(key);
    for (String l : lines) {
      w.out.write(l);
      w.out.newLine();
    }
    w.out.flush();
    w.lines += lines.size();
  }

  /** Appends to {@code <kind>-<utc>.jsonl} (rejected, unreadable), never replayed. */
  public synchronized Path appendAside(String kind, List<String> lines) throws IOException {
    Path p = dir.resolve(kind + "-" + STAMP.format(clock.instant()) + SUFFIX);
    OwnerOnly.createFile(p);
    Files.write(p, lines, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    return p;
  }

  private Writer writer(String key) throws IOException {
    Writer w = writers.get(key);
    if (w == null) {
      Path p = dir.resolve(SPILL_PREFIX + STAMP.format(clock.instant()) + "-" + String.format("%04d", counter++)
          + KEY_MARK + key + SUFFIX);
      w = new Writer(p);
      writers.put(key, w);
      created.add(p);
    }
    return w;
  }

  /** Events in the file being written now for {@code key}. */
  public synchronized long currentLines(String key) {
    Writer w = writers.get(key);
    return w == null ? 0 : w.lines;
  }

  /** Tenant keys whose file being written holds events. */
  public synchronized List<String> keysBeingWritten() {
    List<String> out = new ArrayList<>();
    writers.forEach((k, w) -> {
      if (w.lines > 0) {
        out.add(k);
      }
    });
    return out;
  }

  /** Closes every file being written, so they can be replayed; the next append starts new ones. */
  public synchronized void rotate() throws IOException {
    IOException first = null;
    for (Writer w : writers.values()) {
      try {
        w.out.close();
      } catch (IOException e) {
        first = first == null ? e : first;
      }
    }
    writers.clear();
    if (first != null) {
      throw first;
    }
  }

  /** Closes {@code key}'s file being written, so it can be replayed. */
  public synchronized void rotate(String key) throws IOException {
    Writer w = writers.remove(key);
    if (w != null) {
      w.out.close();
    }
  }

  /** Spill files that may be replayed (none being written), oldest first; files of several tenants included. */
  public synchronized List<Path> replayable() throws IOException {
    Set<Path> open = new HashSet<>();
    writers.values().forEach(w -> open.add(w.path));
    List<Path> out = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      s.filter(p -> {
        String n = p.getFileName().toString();
        return n.startsWith(SPILL_PREFIX) && n.endsWith(SUFFIX) && !open.contains(p);
      }).sorted().forEach(out::add);
    }
    return out;
  }

  /** Opens a spill file for replay. */
  public ReplayFile openReplay(Path file) throws IOException {
    boolean own;
    synchronized (this) {
      own = created.contains(file);
    }
    return new ReplayFile(file, Files.newBufferedReader(file, StandardCharsets.UTF_8), own);
  }

  @Override
  public synchronized void close() throws IOException {
    try {
      rotate();
    } finally {
      try {
        lock.release();
      } finally {
        lockChannel.close();
      }
    }
  }

  /**
   * One spill file being replayed: read a chunk at a time; deleted once it has been read to the end
   * and every event read from it is resolved (delivered, refused for good, or spilled again).
   * Used by the dispatcher thread only.
   */
  public static final class ReplayFile {
    private final Path path;
    private final BufferedReader reader;
    private final boolean writtenThisRun;
    private boolean eof;
    private long outstanding;

    ReplayFile(Path path, BufferedReader reader, boolean writtenThisRun) {
      this.path = path;
      this.reader = reader;
      this.writtenThisRun = writtenThisRun;
    }

    /** Whether this sink wrote the file (its events were accepted in this run, not an earlier one). */
    public boolean writtenThisRun() {
      return writtenThisRun;
    }

    /** The file. */
    public Path path() {
      return path;
    }

    /** Up to {@code max} lines; fewer at the end of the file. */
    public List<String> read(int max) throws IOException {
      List<String> out = new ArrayList<>(Math.min(max, 1024));
      while (!eof && out.size() < max) {
        String line = reader.readLine();
        if (line == null) {
          eof = true;
        } else if (!line.isBlank()) {
          out.add(line);
        }
      }
      return out;
    }

    /** Whether every line has been read. */
    public boolean atEnd() {
      return eof;
    }

    /** One event read from this file is resolved; returns whether the file is now done with. */
    public boolean resolved() {
      outstanding--;
      return eof && outstanding == 0;
    }

    /** {@code n} more events read from this file are in memory. */
    public void track(long n) {
      outstanding += n;
    }

    /** Events read from this file and not yet resolved. */
    public long outstanding() {
      return outstanding;
    }

    /** Reads the rest of the file (at close). */
    public List<String> rest() throws IOException {
      return read(Integer.MAX_VALUE);
    }

    /** Closes and deletes the file. */
    public void delete() throws IOException {
      reader.close();
      Files.deleteIfExists(path);
    }

    /** Closes without deleting. */
    public void closeQuietly() {
      try {
        reader.close();
      } catch (IOException e) {
        // nothing to do: the file stays for the next start
      }
    }
  }
}
