package io.prophecy.sdk.internal;

import io.prophecy.sdk.Fabric;
import io.prophecy.sdk.FabricCredentials;
import io.prophecy.sdk.InvalidInputException;
import io.prophecy.sdk.internal.store.Sql;
import io.prophecy.sdk.model.AuditEvent.Outcome;
import io.prophecy.sdk.model.Credentials;
import io.prophecy.sdk.model.FabricInfo;
import io.prophecy.sdk.model.FabricSpec;
import io.prophecy.sdk.model.Secret;
import io.prophecy.sdk.spi.ConnectorContext;
import io.prophecy.sdk.spi.FabricConfig;
import io.prophecy.sdk.spi.FabricConnection;
import io.prophecy.sdk.spi.Setting;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** A fabric as one member sees it. */
final class FabricImpl implements Fabric {
  final TeamImpl team;
  final Engine engine;
  final FabricInfo info;

  FabricImpl(TeamImpl team, FabricInfo info) {
    this.team = team;
    this.engine = team.engine;
    this.info = info;
  }

  /** The SDK's own handle behind a fabric the caller passes in. */
  static FabricImpl of(Fabric fabric) {
    if (fabric instanceof FabricImpl f) {
      return f;
    }
    throw new InvalidInputException("fabric", "is not a fabric handle of the SDK (team.fabrics().get(name) gives one): "
        + fabric);
  }

  String target() {
    return team.target() + "/fabric:" + info.name();
  }

  @Override
  public FabricInfo info() {
    return info;
  }

  @Override
  public FabricCredentials credentials() {
    return new FabricCredentialsImpl(this);
  }

  @Override
  public FabricConnection connect() {
    return open(storedCredentials());
  }

  /**
   * A connection kept open for the SDK's own interactive work (runs, analyses), shared with this user's
   * other runs on the fabric; access is checked and the use audited as {@link #connect()} does.
   */
  Connections.Lease lease() {
    Optional<String> ciphertext = storedCredentials();
    Connections.Lease lease = engine.connections().lease(new Connections.Key(info.id(), team.user.id()), info.kind(),
        fingerprint(ciphertext), () -> open(ciphertext));
    if (lease.reused()) {
      engine.audit(team.user.email(), "credential.use", target(), team.info.id(), Outcome.SUCCESS, "open connection");
    }
    return lease;
  }

  /** The user's encrypted credentials for this fabric, after checking the user may use it. */
  private Optional<String> storedCredentials() {
    try {
      return engine.db().read(c -> {
        engine.requireMember(c, team.user, team.info.id(), team.info.name());
        FabricCredentialsImpl.requireFabric(c, this);
        return Sql.one(c, "SELECT ciphertext FROM credentials WHERE fabric_id = ? AND user_id = ?",
            rs -> rs.getString(1), info.id(), team.user.id());
      });
    } catch (RuntimeException e) {
      engine.audit(team.user.email(), "credential.use", target(), null, Outcome.DENIED, Engine.describe(e));
      throw e;
    }
  }

  /** What a kept connection was opened with: the settings and the stored credentials (still encrypted). */
  private String fingerprint(Optional<String> ciphertext) {
    try {
      java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
      sha.update(new java.util.TreeMap<>(info.spec().settings()).toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
      sha.update((byte) 0);
      sha.update(ciphertext.orElse("").getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(sha.digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  private FabricConnection open(Optional<String> ciphertext) {
    String actor = team.user.email();
    var entry = engine.providers().get(info.kind());
    boolean needsCredentials = entry.descriptor().credentials().stream().anyMatch(Setting::required);
    Credentials credentials = Credentials.none();
    if (ciphertext.isPresent()) {
      credentials = engine.codec().decrypt(ciphertext.get(), team.user.id(), info.id(),
          "the credentials of " + actor + " for fabric '" + info.name() + "'");
    } else if (needsCredentials) {
      InvalidInputException e = new InvalidInputException("fabric '" + info.name() + "' credentials",
          actor + " has stored no credentials for this " + info.kind() + " fabric; it needs "
              + entry.descriptor().credentials().stream().filter(Setting::required).map(Setting::name)
                  .collect(Collectors.joining(", "))
              + ". Store them with fabric.credentials().set(...)");
      engine.audit(actor, "credential.use", target(), team.info.id(), Outcome.FAILED, Engine.describe(e));
      throw e;
    }
    Set<String> secrets = credentials.secretFields().values().stream().map(Secret::reveal).collect(Collectors.toSet());
    Redaction redaction = new Redaction(info.kind(), secrets);
    FabricConfig config = FabricConfig.builder().fabricId(info.id()).name(info.name()).kind(info.kind())
        .team(team.info.name()).settings(info.spec().settings()).build();
    try {
      FabricConnection connection = entry.provider().connect(config, credentials, context(redaction));
      engine.audit(actor, "credential.use", target(), team.info.id(), Outcome.SUCCESS, "connect");
      return redaction.wrap(connection);
    } catch (RuntimeException e) {
      RuntimeException safe = redaction.failure(e);
      engine.audit(actor, "credential.use", target(), team.info.id(), Outcome.FAILED, Engine.describe(safe));
      throw safe;
    }
  }

  private ConnectorContext context(Redaction redaction) {
    Path dir = engine.home().resolve("fabrics").resolve(info.id()).resolve(team.user.id());
    String email = team.user.email();
    String agent = engine.userAgent();
    Clock clock = engine.clock();
    return new ConnectorContext() {
      @Override
      public String userAgent() {
        return agent;
      }

      @Override
      public Path workDirectory() {
        try {
          return Files.createDirectories(dir);
        } catch (IOException e) {
          throw new io.prophecy.sdk.ProphecyException("Cannot create the connector's folder " + dir + ": " + e.getMessage(), e);
        }
      }

      @Override
      public String userEmail() {
        return email;
      }

      @Override
      public Clock clock() {
        return clock;
      }

      @Override
      public void storeCredentials(Credentials fields) {
        // the new secrets are redacted from this connection's failures too, from now on
        redaction.add(fields.secretFields().values().stream().map(Secret::reveal).toList());
        new FabricCredentialsImpl(FabricImpl.this).merge(fields);
      }
    };
  }

  @Override
  public Fabric update(Map<String, String> settings) {
    FabricSpec wanted = FabricSpec.builder().from(info.spec()).settings(settings).build();
    FabricInfo updated = engine.mutate(team.user.email(), "fabric.update", target(), tx -> {
      engine.requireAdmin(tx.c, team.user, team.info.id(), team.info.name(), "change fabrics");
      tx.team(team.info.id()).detail("settings=" + new java.util.TreeSet<>(settings.keySet()));
      FabricCredentialsImpl.requireFabric(tx.c, this);
      Map<String, String> checked = engine.providers().checkSettings(wanted);
      Sql.update(tx.c, "UPDATE fabrics SET settings = ? WHERE id = ?", FabricsImpl.toJson(checked), info.id());
      return FabricInfo.builder().from(info).spec(FabricSpec.builder().from(wanted).settings(checked).build()).build();
    });
    engine.connections().retire(info.id());
    return new FabricImpl(team, updated);
  }

  @Override
  public void delete() {
    engine.mutate(team.user.email(), "fabric.delete", target(), tx -> {
      engine.requireAdmin(tx.c, team.user, team.info.id(), team.info.name(), "delete fabrics");
      tx.team(team.info.id());
      FabricCredentialsImpl.requireFabric(tx.c, this);
      int creds = Sql.update(tx.c, "DELETE FROM credentials WHERE fabric_id = ?", info.id());
      Sql.update(tx.c, "DELETE FROM fabrics WHERE id = ?", info.id());
      tx.detail("credentials deleted=" + creds);
      return null;
    });
    engine.connections().retire(info.id());
  }

  @Override
  public String toString() {
    return "Fabric[" + team.info.name() + "/" + info.name() + " (" + info.kind() + ")]";
  }
}
