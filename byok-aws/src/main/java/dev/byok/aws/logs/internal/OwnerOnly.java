package dev.byok.aws.logs.internal;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Set;

/**
 * Owner-only spill storage: audit events name tenants, keys and reasons, and a spill file another
 * user could write to would be replayed into the customer's log as if byok had written it. On POSIX
 * file systems directories are {@code rwx------} and files {@code rw-------}, owned by this process's
 * user; elsewhere (no POSIX attributes) the checks are skipped.
 */
final class OwnerOnly {
  static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
  static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

  private static volatile UserPrincipal me;

  private OwnerOnly() {}

  private static boolean posix(Path p) {
    return p.getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  /** The user this process runs as: the owner of a file it creates. */
  static UserPrincipal me() throws IOException {
    UserPrincipal m = me;
    if (m == null) {
      Path probe = Files.createTempFile("byok-owner-", ".tmp");
      try {
        m = Files.getOwner(probe);
      } finally {
        Files.deleteIfExists(probe);
      }
      me = m;
    }
    return m;
  }

  /**
   * Creates {@code dir} owner-only, or checks an existing one: it must be a directory owned by this
   * user; group and other permissions are taken away (logged at WARN).
   *
   * @throws IOException naming the directory and what is wrong with it
   */
  static void directory(Path dir) throws IOException {
    if (!posix(dir)) {
      Files.createDirectories(dir);
      return;
    }
    if (Files.notExists(dir, LinkOption.NOFOLLOW_LINKS)) {
      Path parent = dir.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      try {
        Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(DIRECTORY));
      } catch (FileAlreadyExistsException raced) {
        // created meanwhile: checked below like any existing directory
      }
    }
    if (!Files.isDirectory(dir)) {
      throw new IOException(dir + " is not a directory");
    }
    PosixFileAttributes a = Files.readAttributes(dir, PosixFileAttributes.class);
    if (!a.owner().equals(me())) {
      throw new IOException(dir + " belongs to " + a.owner().getName() + ", not to this process's user " + me().getName()
          + "; audit spill files must be kept in a directory only this user can use");
    }
    if (!DIRECTORY.containsAll(a.permissions())) {
      Files.setPosixFilePermissions(dir, DIRECTORY);
      DeliveryEngine.LOG.warn("audit spill directory {} was {}; made owner-only (rwx------)", dir,
          PosixFilePermissions.toString(a.permissions()));
    }
  }

  /** Creates {@code file} owner-only if it does not exist (the directory is owner-only too). */
  static void createFile(Path file) throws IOException {
    if (!posix(file)) {
      return;
    }
    try {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(FILE));
    } catch (FileAlreadyExistsException e) {
      // appended to: its permissions are checked before it is replayed
    }
  }

  /**
   * Why {@code file} must not be replayed, or {@code null} when it may: a symbolic link, a file of
   * another user, or one that group or others may write to.
   */
  static String whyNotReplayable(Path file) throws IOException {
    if (Files.isSymbolicLink(file)) {
      return "it is a symbolic link";
    }
    if (!posix(file)) {
      return null;
    }
    PosixFileAttributes a = Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    if (!a.owner().equals(me())) {
      return "it belongs to " + a.owner().getName() + ", not to " + me().getName();
    }
    Set<PosixFilePermission> p = a.permissions();
    if (p.contains(PosixFilePermission.GROUP_WRITE) || p.contains(PosixFilePermission.OTHERS_WRITE)) {
      return "other users may write to it (" + PosixFilePermissions.toString(p) + ")";
    }
    return null;
  }
}
