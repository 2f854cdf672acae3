package dev.byok.aws.logs.internal;

import dev.byok.core.internal.EventJson;
import dev.byok.core.audit.KeyUseEvent;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Stream;

/**
 * The spill directory of one sink: JSON-lines files of events not yet delivered, written on
 * overflow and at close, and read back (replayed) later. One sink owns a directory at a time (a
 * lock file enforces it). File names sort by creation time: {@code spill-<utc>-<n>.jsonl}; a file is
 * deleted only when every event read from it is delivered or written again to a newer file.
 * Events the service refused for good go to {@code rejected-<utc>.jsonl}, lines that cannot be read
 * back to {@code unreadable-<utc>.jsonl}; neither is replayed. Owner-only ({@link OwnerOnly}): the
 * directory is {@code rwx------} and every file {@code rw-------}. Thread-safe (writes are synchronized).
 */
public final class SpillStore implements AutoCloseable {
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS").withZone(ZoneOffset.UTC);
  private static final String SPILL_PREFIX = "spill-";
  private static final String SUFFIX = ".jsonl";

  private final Path dir;
  private final Clock clock;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private int counter;
  private Path current;
  private BufferedWriter writer;
  private long currentLines;
  private final java.util.Set<Path> created = new java.util.HashSet<>();

  /**
   * Opens (creating if needed) and locks {@code dir}.
   *
   * @throws IllegalStateException if another sink holds the directory
   * @throws UncheckedIOException naming the directory when it cannot be created or locked
   */
  public SpillStore(Path dir, Clock clock) {
    this.dir = dir;
    this.clock = clock;
    try {
      OwnerOnly.directory(dir);
      OwnerOnly.createFile(dir.resolve(".lock"));
      lockChannel = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock l;
      try {
        l = lockChannel.tryLock();
      } catch (java.nio.channels.OverlappingFileLockException e) {
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

  /** The spill directory. */
  public Path directory() {
    return dir;
  }

  /** Appends one event and flushes it to the operating system. */
  public synchronized void append(KeyUseEvent e) throws IOException {
    open().write(EventJson.write(e));
    writer.newLine();
    writer.flush();
    currentLines++;
  }

  /** Appends events and flushes once. */
  public synchronized void appendAll(Collection<KeyUseEvent> events) throws IOException {
    if (events.isEmpty()) {
      return;
    }
    BufferedWriter w = open();
    for (KeyUseEvent e : events) {
      w.write(EventJson.write(e));
      w.newLine();
    }
    w.flush();
    currentLines += events.size();
  }

  /** Appends lines already in spill format (the unread rest of a replayed file). */
  synchronized void appendLines(List<String> lines) throws IOException {
    if (lines.isEmpty()) {
      return;
    }
    BufferedWriter w = open();
    for (String l : lines) {
      w.write(l);
      w.newLine();
    }
    w.flush();
    currentLines += lines.size();
  }

  /** Appends to {@code <kind>-<utc>.jsonl} (rejected, unreadable), never replayed. */
  public synchronized Path appendAside(String kind, List<String> lines) throws IOException {
    Path p = dir.resolve(kind + "-" + STAMP.format(clock.instant()) + SUFFIX);
    OwnerOnly.createFile(p);
    Files.write(p, lines, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    return p;
  }

  private BufferedWriter open() throws IOException {
    if (writer == null) {
      current = dir.resolve(SPILL_PREFIX + STAMP.format(clock.instant()) + "-" + String.format("%04d", counter++) + SUFFIX);
      OwnerOnly.createFile(current);
      writer = Files.newBufferedWriter(current, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      created.add(current);
      currentLines = 0;
    }
    return writer;
  }

  /** Events in the file being written now. */
  public synchronized long currentLines() {
    return currentLines;
  }

  /** Closes the file being written, so it can be replayed; the next append starts a new one. */
  public synchronized void rotate() throws IOException {
    if (writer != null) {
      writer.close();
      writer = null;
      current = null;
      currentLines = 0;
    }
  }

  /** Spill files that may be replayed (every one but the file being written), oldest first. */
  public synchronized List<Path> replayable() throws IOException {
    List<Path> out = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      s.filter(p -> {
        String n = p.getFileName().toString();
        return n.startsWith(SPILL_PREFIX) && n.endsWith(SUFFIX) && !p.equals(current);
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
