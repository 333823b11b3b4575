package io.prophecy.sdk.internal;

import io.prophecy.sdk.FabricCredentials;
import io.prophecy.sdk.NotFoundException;
import io.prophecy.sdk.internal.store.Sql;
import io.prophecy.sdk.model.Credentials;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;
import java.util.Optional;

/** The acting user's own credentials for one fabric. */
final class FabricCredentialsImpl implements FabricCredentials {
  private final FabricImpl fabric;
  private final Engine engine;

  FabricCredentialsImpl(FabricImpl fabric) {
    this.fabric = fabric;
    this.engine = fabric.engine;
  }

  static void requireFabric(Connection c, FabricImpl f) throws SQLException {
    if (Sql.count(c, "SELECT COUNT(*) FROM fabrics WHERE id = ?", f.info.id()) == 0) {
      throw new NotFoundException("Fabric '" + f.info.name() + "' of team '" + f.team.info.name() + "' was deleted");
    }
  }

  private String what() {
    return "the credentials of " + fabric.team.user.email() + " for fabric '" + fabric.info.name() + "'";
  }

  @Override
  public void set(Credentials credentials) {
    Objects.requireNonNull(credentials, "credentials");
    String userId = fabric.team.user.id();
    engine.mutate(fabric.team.user.email(), "credential.set", fabric.target(), tx -> {
      engine.requireMember(tx.c, fabric.team.user, fabric.team.info.id(), fabric.team.info.name());
      tx.team(fabric.team.info.id()).detail("fields=" + credentials.fields());
      requireFabric(tx.c, fabric);
      Credentials checked = engine.providers().checkCredentials(fabric.info.kind(), credentials);
      String ciphertext = engine.codec().encrypt(checked, userId, fabric.info.id());
      int updated = Sql.update(tx.c, "UPDATE credentials SET ciphertext = ?, updated_at = ? WHERE fabric_id = ? AND user_id = ?",
          ciphertext, engine.now(), fabric.info.id(), userId);
      if (updated == 0) {
        Sql.update(tx.c, "INSERT INTO credentials (fabric_id, user_id, ciphertext, updated_at) VALUES (?, ?, ?, ?)",
            fabric.info.id(), userId, ciphertext, engine.now());
      }
      return null;
    });
  }

  /**
   * Merges fields into the stored credentials, for a connector ({@code ConnectorContext.storeCredentials}):
   * the fields given replace those of the same name, the others are kept. Audited as
   * {@code credential.update} with the field names only.
   *
   * @return the merged credentials as stored
   */
  Credentials merge(Credentials fields) {
    Objects.requireNonNull(fields, "fields");
    String userId = fabric.team.user.id();
    String lock = engine.db().dialect() == io.prophecy.sdk.internal.store.Database.Dialect.POSTGRESQL
        ? " FOR UPDATE" : ""; // SQLite's write transaction holds the lock already
    return engine.mutate(fabric.team.user.email(), "credential.update", fabric.target(), tx -> {
      engine.requireMember(tx.c, fabric.team.user, fabric.team.info.id(), fabric.team.info.name());
      tx.team(fabric.team.info.id()).detail("fields=" + fields.fields() + " by the connector");
      requireFabric(tx.c, fabric);
      String stored = Sql.one(tx.c, "SELECT ciphertext FROM credentials WHERE fabric_id = ? AND user_id = ?" + lock,
          rs -> rs.getString(1), fabric.info.id(), userId).orElseThrow(() -> new NotFoundException(
              fabric.team.user.email() + " has no stored credentials for fabric '" + fabric.info.name()
                  + "' any more (cleared since the connection opened); the connector's update was not stored"));
      Credentials.Builder merged = engine.codec().decrypt(stored, userId, fabric.info.id(), what()).toBuilder();
      fields.plainFields().forEach(merged::put);
      fields.secretFields().forEach(merged::put);
      Credentials checked = engine.providers().checkCredentials(fabric.info.kind(), merged.build());
      Sql.update(tx.c, "UPDATE credentials SET ciphertext = ?, updated_at = ? WHERE fabric_id = ? AND user_id = ?",
          engine.codec().encrypt(checked, userId, fabric.info.id()), engine.now(), fabric.info.id(), userId);
      return checked;
    });
  }

  @Override
  public Optional<Credentials> get() {
    String userId = fabric.team.user.id();
    Optional<String> ciphertext = engine.mutate(fabric.team.user.email(), "credential.read", fabric.target(), tx -> {
      engine.requireMember(tx.c, fabric.team.user, fabric.team.info.id(), fabric.team.info.name());
      tx.team(fabric.team.info.id());
      requireFabric(tx.c, fabric);
      return Sql.one(tx.c, "SELECT ciphertext FROM credentials WHERE fabric_id = ? AND user_id = ?",
          rs -> rs.getString(1), fabric.info.id(), userId);
    });
    return ciphertext.map(ct -> engine.codec().decrypt(ct, userId, fabric.info.id(), what()));
  }

  @Override
  public boolean isSet() {
    return engine.db().read(c -> {
      engine.requireMember(c, fabric.team.user, fabric.team.info.id(), fabric.team.info.name());
      requireFabric(c, fabric);
      return Sql.count(c, "SELECT COUNT(*) FROM credentials WHERE fabric_id = ? AND user_id = ?",
          fabric.info.id(), fabric.team.user.id()) > 0;
    });
  }

  @Override
  public boolean clear() {
    return engine.mutate(fabric.team.user.email(), "credential.clear", fabric.target(), tx -> {
      engine.requireMember(tx.c, fabric.team.user, fabric.team.info.id(), fabric.team.info.name());
      tx.team(fabric.team.info.id());
      requireFabric(tx.c, fabric);
      return Sql.update(tx.c, "DELETE FROM credentials WHERE fabric_id = ? AND user_id = ?",
          fabric.info.id(), fabric.team.user.id()) > 0;
    });
  }

  @Override
  public String toString() {
    return "FabricCredentials[" + fabric.team.user.email() + " @ " + fabric.info.name() + "]";
  }
}
