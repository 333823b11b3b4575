package io.prophecy.sdk.git.provider;

/**
 * A REST client for one provider host and one token. Thread-safe; it owns one OkHttp client, released by
 * {@link #close()}.
 *
 * <p>Every method throws the SDK's exceptions (see the package documentation); none carries the token.
 */
public interface ProviderClient extends AutoCloseable {
  /** The provider. */
  ProviderKind kind();

  /** Checks the token: who it belongs to. Safe, so retried when throttled. */
  Account whoami();

  /** Creates a repository. Not retried: a throttled or failed create is reported, never repeated. */
  Repository createRepository(CreateRepository request);

  /** Opens a pull request (GitLab: merge request). Not retried. */
  PullRequest openPullRequest(OpenPullRequest request);

  /** Releases the HTTP client's connections and threads. */
  @Override
  void close();
}
