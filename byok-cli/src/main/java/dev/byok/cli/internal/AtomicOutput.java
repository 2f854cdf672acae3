package dev.byok.cli.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Where a command's output goes, made visible only when the command succeeded.
 *
 * <ul>
 *   <li>A file is written to a temporary file in the same folder (owner-only permissions, named
 *       {@code .NAME.byok-PID-RANDOM.tmp}) and renamed over the target by {@link #commit()}. A run
 *       killed before it could clean up (kill -9) leaves that file; the next run writing to the same
 *       folder and name deletes it once the process it names has ended.
 *   <li>Standard output is staged in the system temporary folder ({@code java.io.tmpdir}, from
 *       {@code TMPDIR} through the launcher) in an owner-only file that is unlinked as soon as it is
 *       open (POSIX; Windows deletes it when its handle closes): the plaintext takes disk space there
 *       while the command runs, but no name points at it, and nothing is left behind however the
 *       process ends, kill -9 included. {@link #commit()} copies it out.
 * </ul>
 *
 * <p>{@link #close()} without a commit deletes the temporary file: after a failure no output exists.
 *
 * <p>Not thread-safe: one command writes it.
 */
public final class AtomicOutput implements AutoCloseable {
  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
  private static final String STAGING_MARK = ".byok-";

  private final Path target;
  private final OutputStream stdout;
  private final Path temp;
  private final FileChannel staging;
  private final OutputStream stream;
  private boolean committed;

  private AtomicOutput(Path target, Path temp) throws IOException {
    this.target = target;
    this.stdout = null;
    this.temp = temp;
    this.staging = null;
    this.stream = Files.newOutputStream(temp);
  }

  private AtomicOutput(OutputStream stdout, FileChannel staging) {
    this.target = null;
    this.stdout = stdout;
    this.temp = null;
    this.staging = staging;
    this.stream = unclosable(staging);
  }

  /**
   * Output to {@code target}, which must not exist unless {@code overwrite} is set. Deletes the
   * temporary files of earlier runs for the same target whose process has ended.
   *
   * @throws UsageException if the target exists and may not be overwritten, or is a folder
   * @throws IOException if the temporary file cannot be created
   */
  public static AtomicOutput toFile(Path target, boolean overwrite) throws IOException {
    if (Files.isDirectory(target)) {
      throw new UsageException("--out '" + target + "' is a folder");
    }
    if (!overwrite && Files.exists(target)) {
      throw new UsageException("--out '" + target + "' exists (add --overwrite to replace it)");
    }
    Path abs = target.toAbsolutePath();
    Path dir = abs.getParent();
    if (dir == null || !Files.isDirectory(dir)) {
      throw new UsageException("--out '" + target + "': folder '" + dir + "' does not exist");
    }
    String prefix = stagingPrefix(abs.getFileName().toString());
    deleteStale(dir, prefix);
    return new AtomicOutput(abs, createTemp(dir, prefix + ProcessHandle.current().pid() + "-"));
  }

  /** Output to {@code stdout}, staged in an unlinked file of the temporary folder and released on {@link #commit()}. */
  public static AtomicOutput toStdout(OutputStream stdout) throws IOException {
    Path file = createTemp(null, "byok-stdout-");
    FileChannel channel;
    try {
      // DELETE_ON_CLOSE unlinks the file right after opening it (POSIX): only this channel reaches it
      channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE,
          StandardOpenOption.DELETE_ON_CLOSE);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(file);
      throw e;
    }
    return new AtomicOutput(stdout, channel);
  }

  /** The start of the temporary file names of output to a file named {@code name}. */
  static String stagingPrefix(String name) {
    return "." + name + STAGING_MARK;
  }

  /**
   * Deletes {@code dir/PREFIX<pid>-*.tmp} files whose process has ended: what a killed run left
   * behind. A file of a running process (this command writing the same target twice at once) stays.
   */
  static int deleteStale(Path dir, String prefix) {
    int deleted = 0;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, glob(prefix) + "*.tmp")) {
      for (Path f : files) {
        String rest = f.getFileName().toString().substring(prefix.length());
        int dash = rest.indexOf('-');
        if (dash <= 0) {
          continue;
        }
        long pid;
        try {
          pid = Long.parseLong(rest.substring(0, dash));
        } catch (NumberFormatException e) {
          continue;
        }
        boolean running = ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        if (!running && Files.isRegularFile(f, java.nio.file.LinkOption.NOFOLLOW_LINKS) && Files.deleteIfExists(f)) {
          deleted++;
        }
      }
    } catch (IOException | RuntimeException e) {
      // best effort: a leftover we cannot delete is not a reason to fail this run
    }
    return deleted;
  }

  private static String glob(String literal) {
    StringBuilder b = new StringBuilder();
    for (char c : literal.toCharArray()) {
      if ("*?[]{}\\".indexOf(c) >= 0) {
        b.append('\\');
      }
      b.append(c);
    }
    return b.toString();
  }

  private static Path createTemp(Path dir, String prefix) throws IOException {
    boolean posix = Files.getFileAttributeView(dir == null ? Path.of(System.getProperty("java.io.tmpdir")) : dir,
        PosixFileAttributeView.class) != null;
    if (posix) {
      return dir == null
          ? Files.createTempFile(prefix, ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY))
          : Files.createTempFile(dir, prefix, ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY));
    }
    return dir == null ? Files.createTempFile(prefix, ".tmp") : Files.createTempFile(dir, prefix, ".tmp");
  }

  /** Writes to {@code channel} at its position; closing it leaves the channel open. */
  private static OutputStream unclosable(FileChannel channel) {
    return new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(b, off, len);
        while (buf.hasRemaining()) {
          channel.write(buf);
        }
      }
    };
  }

  /** The stream to write to (a temporary file until {@link #commit()}). */
  public OutputStream stream() {
    return stream;
  }

  /** Makes the output visible: renames the temporary file over the target, or copies it to stdout. */
  public void commit() throws IOException {
    stream.close();
    if (target != null) {
      try {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      } catch (FileAlreadyExistsException e) {
        throw e;
      }
    } else {
      WritableByteChannel out = Channels.newChannel(stdout);
      long size = staging.size();
      long done = 0;
      while (done < size) {
        done += staging.transferTo(done, size - done, out);
      }
      stdout.flush();
    }
    committed = true;
  }

  /** Deletes the temporary file if {@link #commit()} did not move it. */
  @Override
  public void close() throws IOException {
    try {
      stream.close();
    } finally {
      if (staging != null) {
        staging.close();
      } else if (!committed) {
        Files.deleteIfExists(temp);
      }
    }
  }
}
