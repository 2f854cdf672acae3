package dev.byok.cli.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Where a command's output goes, made visible only when the command succeeded: a file is written
 * to a temporary file in the same folder (owner-only permissions) and renamed over the target by
 * {@link #commit()}; standard output is written through a temporary file in the system temporary
 * folder and copied out on commit, so nothing reaches it before the whole input was processed.
 * {@link #close()} without a commit deletes the temporary file: after a failure no output exists.
 *
 * <p>Not thread-safe: one command writes it.
 */
public final class AtomicOutput implements AutoCloseable {
  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

  private final Path target;
  private final OutputStream stdout;
  private final Path temp;
  private final OutputStream stream;
  private boolean committed;

  private AtomicOutput(Path target, OutputStream stdout, Path temp) throws IOException {
    this.target = target;
    this.stdout = stdout;
    this.temp = temp;
    this.stream = Files.newOutputStream(temp);
  }

  /**
   * Output to {@code target}, which must not exist unless {@code overwrite} is set.
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
    return new AtomicOutput(abs, null, createTemp(dir, "." + abs.getFileName() + "."));
  }

  /** Output to {@code stdout}, released on {@link #commit()}. */
  public static AtomicOutput toStdout(OutputStream stdout) throws IOException {
    return new AtomicOutput(null, stdout, createTemp(null, "byok-out."));
  }

  private static Path createTemp(Path dir, String prefix) throws IOException {
    boolean posix = Files.getFileAttributeView(dir == null ? Path.of(System.getProperty("java.io.tmpdir")) : dir,
        java.nio.file.attribute.PosixFileAttributeView.class) != null;
    if (posix) {
      return dir == null
          ? Files.createTempFile(prefix, ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY))
          : Files.createTempFile(dir, prefix, ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY));
    }
    return dir == null ? Files.createTempFile(prefix, ".tmp") : Files.createTempFile(dir, prefix, ".tmp");
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
      try (InputStream in = Files.newInputStream(temp)) {
        in.transferTo(stdout);
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
      if (!committed || target == null) {
        Files.deleteIfExists(temp);
      }
    }
  }
}
