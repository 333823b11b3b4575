package io.prophecy.sdk.internal.security;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.Configuration;
import com.google.crypto.tink.Parameters;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import io.prophecy.sdk.StoreException;
import io.prophecy.sdk.VaultException;
import io.prophecy.sdk.internal.store.Database;
import io.prophecy.sdk.internal.store.Sql;
import io.prophecy.sdk.security.KeyProvider;
import io.prophecy.sdk.security.Vault;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The vault: an AES-256-GCM Tink keyset kept in the metadata store, encrypted by the key provider's
 * key-encryption key. Every ciphertext is bound by associated data to what it belongs to (a user and
 * a fabric), so a ciphertext copied to another row does not decrypt. Thread-safe; the keyset is
 * reloaded when another process rotated it.
 */
public final class KeysetVault implements Vault {
  private static final Logger log = LoggerFactory.getLogger(KeysetVault.class);
  private static final String KEYSET = "credentials";

  private final Database db;
  private final Supplier<Aead> kekSupplier;
  private final String kekDescription;
  private final Clock clock;
  private volatile Aead kek;
  private volatile Keys keys;

  private record Keys(KeysetHandle handle, Aead aead) {}

  public KeysetVault(Database db, KeyProvider keyProvider, Clock clock) {
    this.db = db;
    this.kekSupplier = keyProvider::keyEncryptionKey;
    this.kekDescription = keyProvider.describe();
    this.clock = clock;
  }

  /** Encrypts plaintext bound to the associated data. */
  public byte[] encrypt(byte[] plaintext, String associatedData) {
    try {
      return keys().aead.encrypt(plaintext, associatedData.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new VaultException("Encryption failed: " + e.getMessage(), e);
    }
  }

  /**
   * Decrypts a ciphertext made with the same associated data.
   *
   * @param what names what is decrypted, for the error message
   */
  public byte[] decrypt(byte[] ciphertext, String associatedData, String what) {
    byte[] ad = associatedData.getBytes(StandardCharsets.UTF_8);
    try {
      return keys().aead.decrypt(ciphertext, ad);
    } catch (GeneralSecurityException first) {
      // Another process may have rotated the keyset since we loaded it.
      Keys reloaded = load();
      try {
        return reloaded.aead.decrypt(ciphertext, ad);
      } catch (GeneralSecurityException e) {
        throw new VaultException(
            "Cannot decrypt " + what + ": the ciphertext does not belong to it or was made with a key"
                + " this vault does not hold. Store the credentials again",
            e);
      }
    }
  }

  public String encryptToText(byte[] plaintext, String associatedData) {
    return Base64.getEncoder().encodeToString(encrypt(plaintext, associatedData));
  }

  public byte[] decryptText(String ciphertext, String associatedData, String what) {
    byte[] raw;
    try {
      raw = Base64.getDecoder().decode(ciphertext);
    } catch (IllegalArgumentException e) {
      throw new VaultException("Cannot decrypt " + what + ": the stored ciphertext is damaged", e);
    }
    return decrypt(raw, associatedData, what);
  }

  /**
   * A keyset of its own for another use than credentials (the code cache's streaming keys), kept like the
   * vault's: a row of {@code vault_keysets} encrypted by the same key-encryption key, bound to its name
   * by associated data. Made on first use; two processes making it at once end up with one keyset.
   *
   * @param name the keyset's name, not {@code credentials}
   * @param parameters the key type to make when the store has none
   * @param configuration the Tink configuration that parses and uses it
   */
  public KeysetHandle namedKeyset(String name, Parameters parameters, Configuration configuration) {
    if (name.equals(KEYSET)) {
      throw new IllegalArgumentException("the credentials keyset is the vault's own");
    }
    Optional<KeysetHandle> existing = db.read(c -> read(c, name, configuration));
    if (existing.isPresent()) {
      return existing.get();
    }
    try {
      return db.write(c -> {
        Optional<KeysetHandle> raced = read(c, name, configuration);
        if (raced.isPresent()) {
          return raced.get();
        }
        try {
          KeysetHandle fresh = KeysetHandle.generateNew(parameters, configuration);
          store(c, name, fresh, configuration, false);
          log.info("Created the {} keyset, protected by the {}", name, kekDescription);
          return fresh;
        } catch (GeneralSecurityException e) {
          throw new VaultException("Cannot create the " + name + " keyset: " + e.getMessage(), e);
        }
      });
    } catch (StoreException e) {
      // PostgreSQL: another process inserted the row after our read; theirs is the keyset
      return db.read(c -> read(c, name, configuration)).orElseThrow(() -> e);
    }
  }

  @Override
  public int rotateKey() {
    int id =
        db.write(
            c -> {
              KeysetHandle current = readOrCreate(c).handle;
              try {
                KeysetHandle.Builder b = KeysetHandle.newBuilder(current).setConfiguration(Tink.aead());
                b.addEntry(
                    KeysetHandle.generateEntryFromParameters(PredefinedAeadParameters.AES256_GCM)
                        .withRandomId()
                        .makePrimary());
                KeysetHandle rotated = b.build();
                store(c, KEYSET, rotated, Tink.aead(), true);
                keys = toKeys(rotated);
                return rotated.getPrimary().getId();
              } catch (GeneralSecurityException e) {
                throw new VaultException("Key rotation failed: " + e.getMessage(), e);
              }
            });
    log.info("Vault key rotated; new primary key id {}", id);
    return id;
  }

  @Override
  public int reencryptAll() {
    record Row(String fabricId, String userId, String ciphertext) {}
    return db.write(
        c -> {
          List<Row> rows =
              Sql.list(
                  c,
                  "SELECT fabric_id, user_id, ciphertext FROM credentials",
                  rs -> new Row(rs.getString(1), rs.getString(2), rs.getString(3)));
          for (Row r : rows) {
            String ad = CredentialCodec.associatedData(r.userId, r.fabricId);
            byte[] plain = decryptText(r.ciphertext, ad, "credentials of user " + r.userId + " for fabric " + r.fabricId);
            try {
              Sql.update(
                  c,
                  "UPDATE credentials SET ciphertext = ?, updated_at = ? WHERE fabric_id = ? AND user_id = ?",
                  encryptToText(plain, ad),
                  clock.millis(),
                  r.fabricId,
                  r.userId);
            } finally {
              java.util.Arrays.fill(plain, (byte) 0);
            }
          }
          record GitRow(String userId, String host, String ciphertext) {}
          List<GitRow> gitRows =
              Sql.list(
                  c,
                  "SELECT user_id, host, ciphertext FROM git_credentials",
                  rs -> new GitRow(rs.getString(1), rs.getString(2), rs.getString(3)));
          for (GitRow r : gitRows) {
            String ad = CredentialCodec.gitAssociatedData(r.userId, r.host);
            byte[] plain = decryptText(r.ciphertext, ad, "Git token of user " + r.userId + " for host " + r.host);
            try {
              Sql.update(
                  c,
                  "UPDATE git_credentials SET ciphertext = ?, updated_at = ? WHERE user_id = ? AND host = ?",
                  encryptToText(plain, ad),
                  clock.millis(),
                  r.userId,
                  r.host);
            } finally {
              java.util.Arrays.fill(plain, (byte) 0);
            }
          }
          int total = rows.size() + gitRows.size();
          log.info("Re-encrypted {} stored credentials under key {}", total, primaryKeyId());
          return total;
        });
  }

  @Override
  public int primaryKeyId() {
    return keys().handle.getPrimary().getId();
  }

  @Override
  public int keyCount() {
    return keys().handle.size();
  }

  @Override
  public String toString() {
    return "Vault[" + kekDescription + "]";
  }

  /**
   * Loads the keyset, making it when the store has none, so that a wrong or unreadable key fails when
   * the SDK opens rather than at the first use of a credential. Called once, outside any other
   * transaction: later uses only read the keyset, so encrypting inside a write transaction never
   * needs a second one (SQLite allows one writer at a time).
   */
  public void ensureKeyset() {
    Optional<Keys> existing = db.read(this::read);
    keys = existing.isPresent() ? existing.get() : db.write(this::readOrCreate);
  }

  private Keys keys() {
    Keys k = keys;
    if (k == null) {
      synchronized (this) {
        if (keys == null) {
          load();
        }
        k = keys;
      }
    }
    return k;
  }

  private Keys load() {
    Keys k = db.read(c -> read(c).orElseThrow(() -> new VaultException(
        "The vault's keyset is missing from the metadata store; stored credentials cannot be decrypted."
            + " Restore the store from backup")));
    keys = k;
    return k;
  }

  private Keys readOrCreate(Connection c) throws SQLException {
    Optional<Keys> existing = read(c);
    if (existing.isPresent()) {
      return existing.get();
    }
    try {
      KeysetHandle fresh = KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM, Tink.aead());
      store(c, KEYSET, fresh, Tink.aead(), false);
      log.info("Created the vault keyset, protected by the {}", kekDescription);
      return toKeys(fresh);
    } catch (GeneralSecurityException e) {
      throw new VaultException("Cannot create the vault keyset: " + e.getMessage(), e);
    }
  }

  private Optional<Keys> read(Connection c) throws SQLException {
    Optional<KeysetHandle> handle = read(c, KEYSET, Tink.aead());
    if (handle.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(toKeys(handle.get()));
    } catch (GeneralSecurityException e) {
      throw new VaultException("The vault keyset holds no usable AEAD key: " + e.getMessage(), e);
    }
  }

  /** The associated data binding a stored keyset to its name: a keyset copied to another row does not decrypt. */
  private static byte[] keysetAd(String name) {
    return ("prophecy:vault-keyset:" + name).getBytes(StandardCharsets.UTF_8);
  }

  private Optional<KeysetHandle> read(Connection c, String name, Configuration configuration) throws SQLException {
    Optional<String> text =
        Sql.one(c, "SELECT keyset FROM vault_keysets WHERE name = ?", rs -> rs.getString(1), name);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(TinkProtoKeysetFormat.parseEncryptedKeyset(Base64.getDecoder().decode(text.get()), kek(),
          keysetAd(name), configuration));
    } catch (GeneralSecurityException e) {
      throw new VaultException(
          "The vault keyset '" + name + "' in the metadata store cannot be decrypted with the " + kekDescription
              + ". Every process sharing this store needs the same key: restore the key, or point"
              + " the SDK at the key provider the store was made with",
          e);
    }
  }

  private void store(Connection c, String name, KeysetHandle handle, Configuration configuration, boolean replace)
      throws SQLException {
    try {
      String text = Base64.getEncoder().encodeToString(
          TinkProtoKeysetFormat.serializeEncryptedKeyset(handle, kek(), keysetAd(name), configuration));
      if (replace) {
        Sql.update(c, "UPDATE vault_keysets SET keyset = ?, updated_at = ? WHERE name = ?", text, clock.millis(), name);
      } else {
        Sql.update(c, "INSERT INTO vault_keysets (name, keyset, updated_at) VALUES (?, ?, ?)", name, text, clock.millis());
      }
    } catch (GeneralSecurityException e) {
      throw new VaultException("Cannot encrypt the vault keyset '" + name + "' with the " + kekDescription + ": "
          + e.getMessage(), e);
    }
  }

  private Aead kek() {
    Aead k = kek;
    if (k == null) {
      synchronized (this) {
        if (kek == null) {
          kek = kekSupplier.get();
        }
        k = kek;
      }
    }
    return k;
  }

  private static Keys toKeys(KeysetHandle handle) throws GeneralSecurityException {
    return new Keys(handle, handle.getPrimitive(Tink.aead(), Aead.class));
  }
}
