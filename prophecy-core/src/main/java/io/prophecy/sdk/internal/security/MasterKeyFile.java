package io.prophecy.sdk.internal.security;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import io.prophecy.sdk.VaultException;
import io.prophecy.sdk.security.KeyProvider;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.util.EnumSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default key provider: a Tink keyset in a file only its owner may read, created on first use.
 * Creation is atomic across processes (written aside, then hard-linked into place).
 */
public final class MasterKeyFile implements KeyProvider {
  private static final Logger log = LoggerFactory.getLogger(MasterKeyFile.class);
  private static final Set<PosixFilePermission> OWNER_ONLY =
      EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

  private final Path file;

  public MasterKeyFile(Path file) {
    this.file = file.toAbsolutePath();
  }

  @Override
  public Aead keyEncryptionKey() {
    try {
      if (!Files.exists(file)) {
        create();
      }
      checkPermissions();
      String json = Files.readString(file, StandardCharsets.UTF_8);
      KeysetHandle handle = TinkJsonProtoKeysetFormat.parseKeyset(json, Tink.aead(), InsecureSecretKeyAccess.get());
      return handle.getPrimitive(Tink.aead(), Aead.class);
    } catch (IOException e) {
      throw new VaultException("Cannot read the master key file " + file + ": " + e.getMessage(), e);
    } catch (GeneralSecurityException e) {
      throw new VaultException(
          "The master key file " + file + " does not hold a valid key. Restore it from backup;"
              + " without it stored credentials cannot be decrypted",
          e);
    }
  }

  @Override
  public String describe() {
    return "master key file " + file;
  }

  @Override
  public String toString() {
    return "KeyProvider[" + describe() + "]";
  }

  private void create() throws IOException, GeneralSecurityException {
    Path dir = file.getParent();
    Files.createDirectories(dir);
    KeysetHandle handle = KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM, Tink.aead());
    String json = TinkJsonProtoKeysetFormat.serializeKeyset(handle, Tink.aead(), InsecureSecretKeyAccess.get());
    boolean posix = Files.getFileAttributeView(dir, PosixFileAttributeView.class) != null;
    Path tmp =
        posix
            ? Files.createTempFile(dir, ".master-key", ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY))
            : Files.createTempFile(dir, ".master-key", ".tmp");
    try {
      Files.writeString(tmp, json, StandardCharsets.UTF_8);
      try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
        ch.force(true);
      }
      try {
        Files.createLink(file, tmp); // fails if another process made the file first
        log.info("Created a new master key in {}; back it up, stored credentials depend on it", file);
      } catch (FileAlreadyExistsException raced) {
        log.debug("Another process created {} first; using it", file);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private void checkPermissions() throws IOException {
    PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
    if (view == null) {
      return;
    }
    Set<PosixFilePermission> perms = view.readAttributes().permissions();
    if (!OWNER_ONLY.containsAll(perms)) {
      throw new VaultException(
          "The master key file " + file + " is readable by others (" + PosixFilePermissions.toString(perms)
              + "). Make it owner-only with: chmod 600 " + file);
    }
  }
}
