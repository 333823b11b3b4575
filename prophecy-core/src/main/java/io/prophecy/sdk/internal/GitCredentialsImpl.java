package io.prophecy.sdk.internal;

import io.prophecy.sdk.GitCredentials;
import io.prophecy.sdk.InvalidInputException;
import io.prophecy.sdk.internal.store.Sql;
import io.prophecy.sdk.model.AuditEvent.Outcome;
import io.prophecy.sdk.model.Credentials;
import io.prophecy.sdk.model.Secret;
import io.prophecy.sdk.model.User;
import io.prophecy.sdk.spi.CodeStore;
import io.prophecy.sdk.spi.RemoteAuth;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/** One user's Git tokens, per host, encrypted by the vault. */
final class GitCredentialsImpl implements GitCredentials {
  private static final String USERNAME = "username";
  private static final String TOKEN = "token";

  private final Engine engine;
  private final User user;

  GitCredentialsImpl(Engine engine, User user) {
    this.engine = engine;
    this.user = user;
  }

  private String target(String host) {
    return "user:" + user.email() + "/git-host:" + host;
  }

  @Override
  public void set(String host, Secret token) {
    store(host, Optional.empty(), token);
  }

  @Override
  public void set(String host, String username, Secret token) {
    Checks.notBlank("gitCredentials.username", username);
    store(host, Optional.of(username), token);
  }

  private void store(String host, Optional<String> username, Secret token) {
    String h = Checks.host("gitCredentials.host", host);
    Objects.requireNonNull(token, "token");
    Credentials.Builder b = Credentials.builder().put(TOKEN, token);
    username.ifPresent(u -> b.put(USERNAME, u));
    engine.mutate(user.email(), "git.credential.set", target(h), tx -> {
      tx.detail(username.isPresent() ? "fields=[token, username]" : "fields=[token]");
      String ciphertext = engine.codec().encryptGit(b.build(), user.id(), h);
      int updated = Sql.update(tx.c, "UPDATE git_credentials SET ciphertext = ?, updated_at = ? WHERE user_id = ? AND host = ?",
          ciphertext, engine.now(), user.id(), h);
      if (updated == 0) {
        Sql.update(tx.c, "INSERT INTO git_credentials (user_id, host, ciphertext, updated_at) VALUES (?, ?, ?, ?)",
            user.id(), h, ciphertext, engine.now());
      }
      return null;
    });
  }

  @Override
  public boolean isSet(String host) {
    String h = Checks.host("gitCredentials.host", host);
    return engine.db().read(c -> Sql.count(c, "SELECT COUNT(*) FROM git_credentials WHERE user_id = ? AND host = ?",
        user.id(), h) > 0);
  }

  @Override
  public List<String> hosts() {
    return engine.db().read(c -> Sql.list(c, "SELECT host FROM git_credentials WHERE user_id = ? ORDER BY host",
        rs -> rs.getString(1), user.id()));
  }

  @Override
  public boolean clear(String host) {
    String h = Checks.host("gitCredentials.host", host);
    return engine.mutate(user.email(), "git.credential.clear", target(h), tx ->
        Sql.update(tx.c, "DELETE FROM git_credentials WHERE user_id = ? AND host = ?", user.id(), h) > 0);
  }

  /**
   * The host a remote URL's token is stored under ({@code host} or {@code host:port}); empty for local
   * paths and {@code file:} URLs, which need none.
   *
   * @throws InvalidInputException when the URL carries a password, or is not http(s), file or a path
   */
  static Optional<String> hostOf(String remoteUrl) {
    if (remoteUrl.matches("[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:.*")) {
      throw new InvalidInputException("project.gitRemote", "'" + remoteUrl + "' is an SSH remote; the SDK talks to"
          + " Git hosts over https with a token: give the host's https URL of the repository");
    }
    if (!remoteUrl.matches("(?i)[a-z][a-z0-9+.-]*://.*")) {
      return Optional.empty();
    }
    URI uri;
    try {
      uri = new URI(remoteUrl);
    } catch (URISyntaxException e) {
      throw new InvalidInputException("project.gitRemote", "'" + safeUrl(remoteUrl) + "' is not a valid URL");
    }
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    if (scheme.equals("file")) {
      return Optional.empty();
    }
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new InvalidInputException("project.gitRemote", "'" + safeUrl(remoteUrl) + "' uses " + scheme
          + "; the SDK talks to Git hosts over http or https (with a token), or to local paths");
    }
    if (uri.getUserInfo() != null && uri.getUserInfo().contains(":")) {
      throw new InvalidInputException("project.gitRemote", "the remote URL carries a password; give the URL"
          + " without it and store the token with session.gitCredentials().set(host, token)");
    }
    if (uri.getHost() == null) {
      throw new InvalidInputException("project.gitRemote", "'" + safeUrl(remoteUrl) + "' names no host");
    }
    String host = uri.getHost().toLowerCase(Locale.ROOT);
    return Optional.of(uri.getPort() == -1 ? host : host + ":" + uri.getPort());
  }

  /** A URL with any user information replaced, for messages. */
  static String safeUrl(String url) {
    return url.replaceAll("(?i)^([a-z][a-z0-9+.-]*://)[^/@]*@", "$1****@");
  }

  /**
   * The acting user's credentials for a remote, decrypted for one use: the token stored for
   * {@code host:port}, else for {@code host}; none when the user stored none. A use is audited as
   * {@code credential.use}.
   */
  RemoteAuth forRemote(String remoteUrl, CodeStore store, String target, String teamId) {
    Optional<String> host = hostOf(remoteUrl);
    if (host.isEmpty()) {
      return RemoteAuth.none();
    }
    String full = host.get();
    String bare = full.contains(":") ? full.substring(0, full.indexOf(':')) : full;
    record Stored(String host, String ciphertext) {}
    Optional<Stored> stored = engine.db().read(c -> {
      Optional<Stored> exact = Sql.one(c, "SELECT host, ciphertext FROM git_credentials WHERE user_id = ? AND host = ?",
          rs -> new Stored(rs.getString(1), rs.getString(2)), user.id(), full);
      if (exact.isPresent() || bare.equals(full)) {
        return exact;
      }
      return Sql.one(c, "SELECT host, ciphertext FROM git_credentials WHERE user_id = ? AND host = ?",
          rs -> new Stored(rs.getString(1), rs.getString(2)), user.id(), bare);
    });
    if (stored.isEmpty()) {
      return new RemoteAuth(full, Optional.empty(), Optional.empty());
    }
    Credentials creds = engine.codec().decryptGit(stored.get().ciphertext(), user.id(), stored.get().host(),
        "the Git token of " + user.email() + " for " + stored.get().host());
    // The stored user name wins; else the store's convention for the remote, which may refuse (the
    // provider needs the user's own name) before the token is used.
    String username = creds.get(USERNAME).orElseGet(() -> store.tokenUsername(full, remoteUrl));
    engine.audit(user.email(), "credential.use", target, teamId, Outcome.SUCCESS, "git host " + stored.get().host());
    return RemoteAuth.token(full, username, creds.secret(TOKEN).orElseThrow());
  }

  @Override
  public String toString() {
    return "GitCredentials[" + user.email() + "]";
  }
}
