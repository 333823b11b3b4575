package io.prophecy.sdk;

import io.prophecy.sdk.model.Secret;
import java.util.List;

/**
 * The acting user's personal access tokens for Git hosts, one per host, stored only encrypted by the
 * vault (bound to the user and the host). The SDK sends them as HTTP basic auth when the user's
 * projects clone, pull and push; they never reach logs, messages, {@code toString()} or the remote
 * URL in a working copy's {@code .git/config}. Nobody reads another user's tokens, and no method here
 * returns one.
 *
 * <p>A host is named as in the remote URL, lower case, with {@code :port} when the URL names a port
 * ({@code github.com}, {@code git.example.com:8443}); a token stored for the bare host also serves
 * URLs with a port.
 *
 * <pre>{@code
 * alice.gitCredentials().set("github.com", "alice-gh", Secret.of(System.getenv("GITHUB_TOKEN"))); // GitHub: the login beside the token
 * alice.gitCredentials().set("gitlab.com", Secret.of(gitlabToken));   // sent with the code store's user name for GitLab
 * }</pre>
 */
public interface GitCredentials {
  /**
   * Stores (or replaces) the token for a host, sent with the code store's user name for the remote
   * (prophecy-git: the Git hosting provider's convention, such as {@code oauth2} for GitLab; {@code git}
   * for a plain Git server). Where the provider needs the user's own name (GitHub, Bitbucket Server,
   * Gitea) use {@link #set(String, String, Secret)}.
   */
  void set(String host, Secret token);

  /** Stores (or replaces) a user name and token for a host; the user name is always the one sent. */
  void set(String host, String username, Secret token);

  /** Whether a token is stored for exactly this host. */
  boolean isSet(String host);

  /** The hosts the user stored tokens for, sorted. */
  List<String> hosts();

  /** Deletes the host's token; returns whether there was one. */
  boolean clear(String host);
}
