package io.prophecy.sdk.databricks.internal;

import static io.prophecy.sdk.databricks.DatabricksFabricProvider.GENERATED_TOKEN;
import static io.prophecy.sdk.databricks.DatabricksFabricProvider.GENERATED_TOKEN_CREATED_AT;
import static io.prophecy.sdk.databricks.DatabricksFabricProvider.GENERATED_TOKEN_EXPIRES_AT;
import static io.prophecy.sdk.databricks.DatabricksFabricProvider.GENERATED_TOKEN_ID;

import com.fasterxml.jackson.databind.JsonNode;
import io.prophecy.sdk.ConnectorException;
import io.prophecy.sdk.InvalidInputException;
import io.prophecy.sdk.NotFoundException;
import io.prophecy.sdk.PermissionDeniedException;
import io.prophecy.sdk.databricks.DatabricksFabricProvider;
import io.prophecy.sdk.model.Credentials;
import io.prophecy.sdk.model.Secret;
import io.prophecy.sdk.spi.ConnectorContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Azure AD credentials used the way Prophecy uses them: the SDK generates the user's personal access
 * token with the Azure AD bearer, stores it in the vault (through
 * {@link ConnectorContext#storeCredentials}), sends it on every call, and rotates it before it expires.
 *
 * <p>Rotation, when a quarter of the token's lifetime is left (or the workspace refuses it):
 *
 * <ol>
 *   <li>{@code POST /api/2.0/token/create {lifetime_seconds, comment}} with the Azure AD bearer (a
 *       user's Azure AD token that has expired is replaced by the current personal access token);
 *   <li>the new token is stored in the vault, replacing the fields {@code generatedToken*};
 *   <li>calls use the new token from then on;
 *   <li>{@code POST /api/2.0/token/delete {token_id}} deletes the previous one.
 * </ol>
 *
 * <p>A failure at any step leaves a working token stored: when creating fails, nothing changed; when
 * storing fails, the new token is deleted again and the previous one, still stored and valid, stays in
 * use; when deleting the previous one fails, it is logged and the token simply expires. While the
 * previous token is valid, a failed rotation is tried again {@link #RETRY_AFTER_FAILURE} later rather
 * than on every call. Thread-safe: callers that find the token due at once cause one rotation.
 */
final class GeneratedTokenAuth implements DatabricksAuth {
  private static final Logger LOG = LoggerFactory.getLogger(GeneratedTokenAuth.class);
  private static final String KIND = DatabricksFabricProvider.KIND;
  /** How long to use a still valid token after a failed rotation before trying again. */
  static final Duration RETRY_AFTER_FAILURE = Duration.ofMinutes(1);
  static final String NEVER = "never";

  /** A generated personal access token. */
  record Pat(Secret value, String id, Instant created, Optional<Instant> expires) {
    Pat {
      Objects.requireNonNull(value, "value");
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(created, "created");
      Objects.requireNonNull(expires, "expires");
    }

    /** When to rotate it: when a quarter of its lifetime is left. */
    Instant rotateAt() {
      return expires.map(e -> e.minus(Duration.between(created, e).dividedBy(4))).orElse(Instant.MAX);
    }

    boolean validAt(Instant now) {
      return expires.map(now::isBefore).orElse(true);
    }

    Credentials fields() {
      return Credentials.builder().put(GENERATED_TOKEN, value).put(GENERATED_TOKEN_ID, id)
          .put(GENERATED_TOKEN_CREATED_AT, created.toString())
          .put(GENERATED_TOKEN_EXPIRES_AT, expires.map(Instant::toString).orElse(NEVER)).build();
    }

    /**
     * The token stored in the credentials, if any.
     *
     * @throws InvalidInputException naming a field that is missing or malformed
     */
    static Optional<Pat> stored(Credentials c) {
      Optional<Secret> value = c.secret(GENERATED_TOKEN);
      if (value.isEmpty()) {
        return Optional.empty();
      }
      String id = c.get(GENERATED_TOKEN_ID).filter(s -> !s.isBlank()).orElseThrow(() -> damaged(GENERATED_TOKEN_ID,
          "is missing"));
      Instant created = instant(c, GENERATED_TOKEN_CREATED_AT).orElseThrow(() -> damaged(GENERATED_TOKEN_CREATED_AT,
          "is missing"));
      String exp = c.get(GENERATED_TOKEN_EXPIRES_AT).orElseThrow(() -> damaged(GENERATED_TOKEN_EXPIRES_AT, "is missing"));
      Optional<Instant> expires = exp.equals(NEVER) ? Optional.empty() : instant(c, GENERATED_TOKEN_EXPIRES_AT);
      return Optional.of(new Pat(value.get(), id, created, expires));
    }

    private static Optional<Instant> instant(Credentials c, String field) {
      Optional<String> text = c.get(field);
      try {
        return text.map(String::trim).map(Instant::parse);
      } catch (DateTimeParseException e) {
        throw damaged(field, "'" + text.get() + "' is not an ISO-8601 instant");
      }
    }

    private static InvalidInputException damaged(String field, String what) {
      return new InvalidInputException("credentials." + field, what + "; the generatedToken* fields are written by"
          + " the SDK. Store the Azure AD credentials again with fabric.credentials().set(...), which drops them");
    }

    @Override
    public String toString() {
      return "Pat[" + id + ", ****, expires " + expires.map(Instant::toString).orElse(NEVER) + "]";
    }
  }

  private final AzureAdBearer aad;
  private final ConnectorContext context;
  private final Clock clock;
  private final Duration lifetime;
  private final String comment;
  private final String host;
  private final DatabricksHttp tokenApi;
  private final ReentrantLock lock = new ReentrantLock();
  /** Every token value this auth has held, to scrub from messages. */
  private final Set<String> seen = ConcurrentHashMap.newKeySet();
  /** Ids of tokens the workspace refused. */
  private final Set<String> refused = ConcurrentHashMap.newKeySet();
  private volatile Pat current;
  private Instant nextAttempt = Instant.MIN; // guarded by lock

  /**
   * @param stored the token stored with the credentials, if any
   * @param comment the comment of the tokens it creates, as the workspace's token list shows them
   */
  GeneratedTokenAuth(AzureAdBearer aad, Optional<Pat> stored, AuthSettings auth, DatabricksSettings settings,
      ConnectorContext context, Platform.Sleeper sleeper, String comment) {
    this.aad = aad;
    this.context = context;
    this.clock = context.clock();
    this.lifetime = auth.generatedTokenLifetime();
    this.comment = comment;
    this.host = settings.workspace().host();
    this.current = stored.orElse(null);
    stored.ifPresent(p -> seen.add(p.value().reveal()));
    this.tokenApi = new DatabricksHttp(settings, new TokenApiAuth(), context.userAgent(), sleeper, clock);
  }

  private static String bearer(Pat p) {
    return "Bearer " + p.value().reveal();
  }

  private boolean usable(Pat p, Instant now) {
    return p != null && p.validAt(now) && !refused.contains(p.id());
  }

  @Override
  public String authorization() {
    Pat p = current;
    if (p != null && clock.instant().isBefore(p.rotateAt()) && !refused.contains(p.id())) {
      return bearer(p);
    }
    lock.lock();
    try {
      p = current;
      Instant now = clock.instant();
      if (p != null && now.isBefore(p.rotateAt()) && !refused.contains(p.id())) {
        return bearer(p); // rotated by another caller while this one waited
      }
      boolean valid = usable(p, now);
      if (valid && now.isBefore(nextAttempt)) {
        return bearer(p);
      }
      try {
        return bearer(rotate(p));
      } catch (InterruptedCallException e) {
        throw e;
      } catch (RuntimeException e) {
        if (!valid) {
          throw e;
        }
        nextAttempt = now.plus(RETRY_AFTER_FAILURE);
        LOG.warn("databricks: rotating the personal access token {} on {} failed ({}); it stays in use (valid until {})"
            + " and rotation is tried again in {} s", p.id(), host, e.getMessage(),
            p.expires().map(Instant::toString).orElse(NEVER), RETRY_AFTER_FAILURE.toSeconds());
        return bearer(p);
      }
    } finally {
      lock.unlock();
    }
  }

  /** The workspace refused the token: a new one is generated (once, whoever asks) and the call sent again. */
  @Override
  public boolean renew(String rejected) {
    lock.lock();
    try {
      Pat p = current;
      if (p == null) {
        return false;
      }
      if (!bearer(p).equals(rejected)) {
        return true; // rotated by another caller already
      }
      refused.add(p.id());
      LOG.info("databricks: {} refused the personal access token {}; generating a new one", host, p.id());
      rotate(p);
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** Creates, stores, switches to and then deletes the previous: see the class comment. Holds the lock. */
  private Pat rotate(Pat old) {
    JsonNode created = tokenApi.post("/api/2.0/token/create", DatabricksHttp.object()
        .put("lifetime_seconds", lifetime.toSeconds()).put("comment", comment), "create a personal access token",
        DatabricksHttp.Repeat.NOT_SAFE);
    Pat fresh = parse(created);
    seen.add(fresh.value().reveal());
    try {
      context.storeCredentials(fresh.fields());
    } catch (RuntimeException e) {
      boolean deleted = delete(fresh, "the token just created, which could not be stored");
      String keep = usable(old, clock.instant()) ? "; the stored token " + old.id() + " stays in use" : "";
      throw new ConnectorException(KIND, "generated a personal access token on " + host + " but could not store it"
          + " in the vault (" + e.getClass().getSimpleName() + ": " + e.getMessage() + "); "
          + (deleted ? "it was deleted again" : "deleting it failed too, so it stays until it expires")
          + keep, e);
    }
    current = fresh;
    nextAttempt = Instant.MIN;
    LOG.info("databricks: generated personal access token {} on {} for {}, valid until {}{}", fresh.id(), host,
        context.userEmail(), fresh.expires().map(Instant::toString).orElse(NEVER),
        old == null ? "" : ", replacing " + old.id());
    if (old != null) {
      delete(old, "the previous token");
    }
    return fresh;
  }

  private Pat parse(JsonNode created) {
    String value = created.path("token_value").asText("");
    JsonNode info = created.path("token_info");
    String id = info.path("token_id").asText("");
    if (value.isEmpty() || id.isEmpty()) {
      throw new ConnectorException(KIND, host + " answered token/create without token_value or token_info.token_id");
    }
    long createdMs = info.path("creation_time").asLong(0);
    long expiresMs = info.path("expiry_time").asLong(-1);
    Instant createdAt = createdMs > 0 ? Instant.ofEpochMilli(createdMs) : clock.instant();
    Optional<Instant> expires = expiresMs > 0 ? Optional.of(Instant.ofEpochMilli(expiresMs)) : Optional.empty();
    return new Pat(Secret.of(value), id, createdAt, expires);
  }

  /** Deletes a token; a failure is logged, not thrown, since a stored token works either way. */
  private boolean delete(Pat p, String which) {
    try {
      tokenApi.post("/api/2.0/token/delete", DatabricksHttp.object().put("token_id", p.id()),
          "delete a personal access token", DatabricksHttp.Repeat.SAFE);
      LOG.debug("databricks: deleted {} ({}) on {}", which, p.id(), host);
      return true;
    } catch (NotFoundException gone) {
      LOG.debug("databricks: {} ({}) on {} was already deleted", which, p.id(), host);
      return true;
    } catch (RuntimeException e) {
      // an interrupted delete keeps the thread's flag; the caller's next wait sees it
      LOG.warn("databricks: could not delete {} ({}) on {}: {}; it stays valid until {} unless deleted in the"
          + " workspace's user settings", which, p.id(), host, e.getMessage(),
          p.expires().map(Instant::toString).orElse(NEVER));
      return false;
    }
  }

  @Override
  public String description() {
    return "personal access token generated with the " + aad.description();
  }

  @Override
  public Iterable<String> secrets() {
    List<String> out = new ArrayList<>(aad.secrets());
    out.addAll(seen);
    return out;
  }

  @Override
  public void close() {
    tokenApi.close();
    aad.close();
  }

  @Override
  public String toString() {
    return "GeneratedTokenAuth[" + aad + ", " + current + "]";
  }

  /**
   * What the token API calls send: the Azure AD token; once a user's Azure AD token has expired, the
   * current personal access token (which may create its successor).
   */
  private final class TokenApiAuth implements DatabricksAuth {
    @Override
    public String authorization() {
      Optional<String> t = aad.token();
      if (t.isPresent()) {
        return "Bearer " + t.get();
      }
      Pat p = current;
      if (usable(p, clock.instant())) {
        return bearer(p);
      }
      throw new PermissionDeniedException("cannot generate a personal access token on " + host + ": "
          + aad.whenExpired() + (p == null ? "" : ", and the generated token " + p.id() + " is no longer valid"));
    }

    @Override
    public boolean renew(String rejected) {
      Pat p = current;
      if (p != null && bearer(p).equals(rejected)) {
        refused.add(p.id());
        return aad.token().isPresent();
      }
      String raw = rejected.startsWith("Bearer ") ? rejected.substring("Bearer ".length()) : rejected;
      return aad.renew(raw) || usable(p, clock.instant());
    }

    @Override
    public String description() {
      return aad.description();
    }

    @Override
    public Iterable<String> secrets() {
      return GeneratedTokenAuth.this.secrets();
    }

    @Override
    public String toString() {
      return "TokenApiAuth[" + aad + "]";
    }
  }
}
