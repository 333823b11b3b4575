package io.prophecy.sdk.internal;

import io.prophecy.sdk.ConflictException;
import io.prophecy.sdk.NotFoundException;
import io.prophecy.sdk.PermissionDeniedException;
import io.prophecy.sdk.ProphecyException;
import io.prophecy.sdk.internal.cache.CodeCache;
import io.prophecy.sdk.internal.cache.EncryptedCodeCache;
import io.prophecy.sdk.internal.security.CredentialCodec;
import io.prophecy.sdk.internal.security.Tink;
import io.prophecy.sdk.internal.security.KeysetVault;
import io.prophecy.sdk.internal.store.Database;
import io.prophecy.sdk.internal.store.Sql;
import io.prophecy.sdk.model.AuditEvent;
import io.prophecy.sdk.model.AuditEvent.Outcome;
import io.prophecy.sdk.model.Role;
import io.prophecy.sdk.model.TeamInfo;
import io.prophecy.sdk.model.User;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a {@code Prophecy} instance holds: store, vault, providers, clock. Thread-safe. Mutations go
 * through {@link #mutate}, which writes the change and its audit entry in one transaction, and audits
 * refusals and failures in a transaction of their own.
 */
public final class Engine implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Engine.class);

  /** The actor recorded for calls the host application makes as itself. */
  public static final String HOST = "host";

  private final Path home;
  private final Database db;
  private final KeysetVault vault;
  private final CredentialCodec codec;
  private final ProviderRegistry providers;
  private final Clock clock;
  private final String userAgent;
  private final Connections connections;
  private final CodeStores codeStores;
  private final String version;
  private final CacheSettings cacheSettings;
  private volatile CodeCache codeCache;
  private final AtomicBoolean closed = new AtomicBoolean();

  /** How the code cache is set up: on or off, its folder, size cap and time-to-live. */
  public record CacheSettings(boolean enabled, Path directory, long maxBytes, java.time.Duration ttl) {}

  /**
   * @param codeStores the code store projects are versioned in, if any
   * @param keepConnections how long a fabric connection the SDK opened for a run stays open unused
   * @param version the SDK's version, part of every code cache key (a new generator never reads an old entry)
   */
  public Engine(Path home, Database db, KeysetVault vault, ProviderRegistry providers, CodeStores codeStores,
      Clock clock, String userAgent, java.time.Duration keepConnections, String version, CacheSettings cacheSettings) {
    this.codeStores = codeStores;
    this.home = home;
    this.version = version;
    this.cacheSettings = cacheSettings;
    this.db = db;
    this.vault = vault;
    this.codec = new CredentialCodec(vault);
    this.providers = providers;
    this.clock = clock;
    this.userAgent = userAgent;
    this.connections = new Connections(clock, keepConnections);
  }

  /** The fabric connections kept for interactive work. */
  Connections connections() {
    checkOpen();
    return connections;
  }

  public Path home() {
    return home;
  }

  /** The SDK's version. */
  public String version() {
    return version;
  }

  /**
   * The code cache: made on first use (so opening the SDK does not pay for its keyset), or a cache that
   * keeps nothing when it is turned off or its keyset cannot be had, which costs only regeneration.
   * The first call must come outside any write transaction of the store: it may write the cache's keyset,
   * and SQLite has one writer at a time.
   */
  public CodeCache codeCache() {
    CodeCache c = codeCache;
    if (c == null) {
      synchronized (this) {
        if (codeCache == null) {
          codeCache = openCodeCache();
        }
        c = codeCache;
      }
    }
    return c;
  }

  private CodeCache openCodeCache() {
    if (!cacheSettings.enabled()) {
      return CodeCache.disabled();
    }
    try {
      var handle = vault().namedKeyset("code-cache",
          com.google.crypto.tink.streamingaead.PredefinedStreamingAeadParameters.AES256_GCM_HKDF_4KB, Tink.streamingAead());
      var aead = handle.getPrimitive(Tink.streamingAead(), com.google.crypto.tink.StreamingAead.class);
      return new EncryptedCodeCache(cacheSettings.directory(), aead, clock, cacheSettings.maxBytes(), cacheSettings.ttl());
    } catch (java.security.GeneralSecurityException | RuntimeException e) {
      log.warn("The code cache is off for this instance: its keyset cannot be had ({})", describe(e));
      return CodeCache.disabled();
    }
  }

  public Database db() {
    checkOpen();
    return db;
  }

  public KeysetVault vault() {
    checkOpen();
    return vault;
  }

  public CredentialCodec codec() {
    return codec;
  }

  public ProviderRegistry providers() {
    return providers;
  }

  public CodeStores codeStores() {
    return codeStores;
  }

  public Clock clock() {
    return clock;
  }

  public String userAgent() {
    return userAgent;
  }

  public long now() {
    return clock.millis();
  }

  public static String newId() {
    return UUID.randomUUID().toString();
  }

  /** The state a mutation reports to its audit entry. */
  public static final class Tx {
    public final Connection c;
    String teamId;
    String detail;

    Tx(Connection c) {
      this.c = c;
    }

    /** The team the mutation concerns, once known. */
    public Tx team(String teamId) {
      this.teamId = teamId;
      return this;
    }

    /** Extra words for the audit entry; never a secret. */
    public Tx detail(String detail) {
      this.detail = detail;
      return this;
    }
  }

  /** Work in a mutation's transaction. */
  @FunctionalInterface
  public interface TxWork<T> {
    T apply(Tx tx) throws SQLException;
  }

  /**
   * Runs a mutation as an actor and audits it.
   *
   * @param actor the acting user's e-mail, or {@link #HOST}
   * @param action the dotted action name
   * @param target what is acted on, for the audit log
   */
  public <T> T mutate(String actor, String action, String target, TxWork<T> work) {
    checkOpen();
    Tx[] seen = new Tx[1];
    try {
      return db.write(
          c -> {
            Tx tx = new Tx(c);
            seen[0] = tx;
            T result = work.apply(tx);
            appendAudit(c, actor, action, target, tx.teamId, Outcome.SUCCESS, tx.detail);
            return result;
          });
    } catch (RuntimeException e) {
      Outcome outcome =
          e instanceof NotFoundException || e instanceof PermissionDeniedException ? Outcome.DENIED : Outcome.FAILED;
      String teamId = seen[0] == null ? null : seen[0].teamId;
      try {
        db.write(c -> {
          appendAudit(c, actor, action, target, teamId, outcome, describe(e));
          return null;
        });
      } catch (RuntimeException auditFailure) {
        e.addSuppressed(auditFailure);
      }
      throw e;
    }
  }

  /** Audits an event that is not itself a store mutation, such as a use of credentials. */
  public void audit(String actor, String action, String target, String teamId, Outcome outcome, String detail) {
    db().write(c -> {
      appendAudit(c, actor, action, target, teamId, outcome, detail);
      return null;
    });
  }

  public static String describe(Throwable e) {
    String type = e instanceof ProphecyException ? e.getClass().getSimpleName() : e.getClass().getName();
    return type + ": " + e.getMessage();
  }

  private void appendAudit(
      Connection c, String actor, String action, String target, String teamId, Outcome outcome, String detail)
      throws SQLException {
    Sql.update(
        c,
        "INSERT INTO audit_log (at, actor, action, target, team_id, outcome, detail) VALUES (?, ?, ?, ?, ?, ?, ?)",
        now(), actor, action, target, teamId, outcome.name(), truncate(detail));
    log.debug("audit: {} {} {} {}", actor, action, target, outcome);
  }

  private static String truncate(String s) {
    return s == null || s.length() <= 4000 ? s : s.substring(0, 4000) + "...";
  }

  /** The newest audit events, newest first, of one team or (teamId null) of all. */
  public List<AuditEvent> auditEvents(String teamId, int limit) {
    if (limit < 1 || limit > 10_000) {
      throw new io.prophecy.sdk.InvalidInputException("limit", "must be between 1 and 10000, was " + limit);
    }
    String where = teamId == null ? "" : " WHERE team_id = ?";
    Object[] args = teamId == null ? new Object[] {limit} : new Object[] {teamId, limit};
    return db().read(
        c -> Sql.list(
            c,
            "SELECT seq, at, actor, action, target, team_id, outcome, detail FROM audit_log" + where
                + " ORDER BY seq DESC LIMIT ?",
            Engine::auditEvent,
            args));
  }

  private static AuditEvent auditEvent(ResultSet rs) throws SQLException {
    return AuditEvent.builder()
        .sequence(rs.getLong(1))
        .at(Instant.ofEpochMilli(rs.getLong(2)))
        .actor(rs.getString(3))
        .action(rs.getString(4))
        .target(rs.getString(5))
        .teamId(Optional.ofNullable(rs.getString(6)))
        .outcome(Outcome.valueOf(rs.getString(7)))
        .detail(Optional.ofNullable(rs.getString(8)))
        .build();
  }

  // ---- users and access checks ----

  public static User user(ResultSet rs, int from) throws SQLException {
    return User.builder()
        .id(rs.getString(from))
        .email(rs.getString(from + 1))
        .createdAt(Instant.ofEpochMilli(rs.getLong(from + 2)))
        .build();
  }

  public Optional<User> userById(Connection c, String id) throws SQLException {
    return Sql.one(c, "SELECT id, email, created_at FROM users WHERE id = ?", rs -> user(rs, 1), id);
  }

  public Optional<User> userByEmail(Connection c, String email) throws SQLException {
    return Sql.one(c, "SELECT id, email, created_at FROM users WHERE email = ?", rs -> user(rs, 1), email);
  }

  /** A team as one member sees it: the team and the member's role in it. */
  public record TeamAccess(TeamInfo team, Role role) {}

  static TeamInfo teamInfo(ResultSet rs) throws SQLException {
    return TeamInfo.builder()
        .id(rs.getString(1))
        .name(rs.getString(2))
        .personal(rs.getString(3) != null)
        .createdAt(Instant.ofEpochMilli(rs.getLong(4)))
        .build();
  }

  static final String TEAM_OF_MEMBER =
      "SELECT t.id, t.name, t.personal_owner, t.created_at, m.role FROM teams t"
          + " JOIN memberships m ON m.team_id = t.id AND m.user_id = ?";

  /**
   * The user's membership of a team, by team id.
   *
   * @param teamName the name the caller knows the team by, for the message
   * @throws NotFoundException when the team is gone or the user is not a member
   */
  public TeamAccess requireMember(Connection c, User user, String teamId, String teamName) throws SQLException {
    return Sql.one(c, TEAM_OF_MEMBER + " WHERE t.id = ?",
            rs -> new TeamAccess(teamInfo(rs), Role.valueOf(rs.getString(5))), user.id(), teamId)
        .orElseThrow(() -> teamNotFound(user, teamName));
  }

  /** As {@link #requireMember}, and the user must be an admin. */
  public TeamAccess requireAdmin(Connection c, User user, String teamId, String teamName, String doing)
      throws SQLException {
    TeamAccess m = requireMember(c, user, teamId, teamName);
    if (m.role() != Role.ADMIN) {
      throw new PermissionDeniedException(
          user.email() + " may not " + doing + " in team '" + teamName + "': that needs the ADMIN role,"
              + " and " + user.email() + " is a MEMBER. Ask an admin of the team");
    }
    return m;
  }

  public static NotFoundException teamNotFound(User user, String teamName) {
    return new NotFoundException(
        "No team '" + teamName + "' is visible to " + user.email()
            + ": it does not exist or they are not a member. Ask an admin of the team to add them");
  }

  /** Throws a conflict when the team is personal. */
  public static void requireShared(TeamInfo team, String doing) {
    if (team.personal()) {
      throw new ConflictException(
          "Team '" + team.name() + "' is a personal team, which cannot " + doing
              + ". Create a shared team with session.teams().create(name)");
    }
  }

  private void checkOpen() {
    if (closed.get()) {
      throw new ProphecyException("This Prophecy instance is closed; build a new one with Prophecy.builder()");
    }
  }

  public boolean isClosed() {
    return closed.get();
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      try {
        connections.close();
      } finally {
        db.close();
      }
    }
  }
}
