package io.prophecy.sdk.spi;

import java.nio.file.Path;

/**
 * Where project content is versioned: a Git implementation (module {@code prophecy-git}, JGit) found
 * through {@link java.util.ServiceLoader} in {@code META-INF/services/io.prophecy.sdk.spi.CodeStore}, or
 * registered on {@code Prophecy.builder().codeStore(...)}. Core knows no Git library: it exchanges only
 * the types of this package and of {@code io.prophecy.sdk.model}.
 *
 * <p>Implementations are stateless and thread-safe and have a public no-argument constructor. Each
 * call opens a {@link WorkingCopy}, which the caller closes. Failures are
 * {@link io.prophecy.sdk.ProphecyException}s: {@link io.prophecy.sdk.GitException} and its subclasses
 * for the remote, {@link io.prophecy.sdk.ConflictException} for a state that forbids the operation.
 * Messages and files never carry the token of a {@link RemoteAuth}.
 */
public interface CodeStore {
  /** The kind of store, such as {@code git}. */
  String kind();

  /** Whether the folder is the top of a working copy of this store (for Git: it holds {@code .git}). */
  boolean isWorkingCopy(Path dir);

  /**
   * Makes a new, empty repository in the folder with the given branch checked out (no commit yet).
   *
   * @throws io.prophecy.sdk.ConflictException when the folder is a working copy already
   */
  WorkingCopy init(Path dir, String defaultBranch);

  /**
   * Opens the working copy whose top is the folder. Parent folders are not searched.
   *
   * @throws io.prophecy.sdk.InvalidInputException naming the folder when it is no working copy
   */
  WorkingCopy open(Path dir);

  /**
   * Clones a remote into an empty folder and checks out the remote's default branch. The remote URL
   * written into the working copy's configuration is the one given, never with the token in it.
   *
   * @param remoteUrl an {@code http(s)://} URL, a {@code file:} URL or a local path
   * @throws io.prophecy.sdk.GitAuthenticationException when the host refuses the credentials
   * @throws io.prophecy.sdk.GitException when the remote cannot be reached or read
   */
  WorkingCopy cloneRepository(String remoteUrl, Path dir, RemoteAuth auth);

  /**
   * The user name sent with a token when the user stored none for the host. Git hosts that
   * authenticate by token alone accept any non-empty name; hosts with a convention of their own (a
   * provider module) override this.
   *
   * @param host the host, with {@code :port} when the URL names one
   */
  default String tokenUsername(String host) {
    return "git";
  }

  /**
   * The user name sent with a token to this remote when the user stored none for its host: the
   * convention of the Git hosting provider the URL belongs to, where a store knows providers (two
   * providers may share a host under different paths). The default asks {@link #tokenUsername(String)}.
   *
   * @param host the host, with {@code :port} when the URL names one
   * @param remoteUrl the {@code http(s)://} remote URL the token is for
   * @throws io.prophecy.sdk.InvalidInputException when the remote's provider needs the user's own name
   *     beside a token (saying which one to store)
   */
  default String tokenUsername(String host, String remoteUrl) {
    return tokenUsername(host);
  }

  /**
   * Checks a remote URL before a project is cloned from it or given it as its remote, so that a URL the
   * host would refuse fails at once with what is wrong. The default accepts every URL; a store that knows
   * the Git hosting providers checks the URL against the provider of its host. Messages never show
   * credentials the URL carries.
   *
   * @throws io.prophecy.sdk.InvalidInputException saying what is wrong and the form expected
   */
  default void validateRemote(String remoteUrl) {
  }
}
