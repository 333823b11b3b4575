package io.prophecy.sdk.git;

import io.prophecy.sdk.ConflictException;
import io.prophecy.sdk.InvalidInputException;
import io.prophecy.sdk.ProphecyException;
import io.prophecy.sdk.git.internal.Failures;
import io.prophecy.sdk.git.internal.JGitWorkingCopy;
import io.prophecy.sdk.git.provider.GitProvider;
import io.prophecy.sdk.git.provider.GitProviders;
import io.prophecy.sdk.git.provider.ProviderKind;
import io.prophecy.sdk.spi.CodeStore;
import io.prophecy.sdk.spi.RemoteAuth;
import io.prophecy.sdk.spi.WorkingCopy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * The code store of kind {@code git}, over JGit: every project is a Git working copy. Found by
 * {@link java.util.ServiceLoader} (listed in {@code META-INF/services/io.prophecy.sdk.spi.CodeStore}),
 * so adding this module's jar to the class path is all a host application does; or registered with
 * {@code Prophecy.builder().codeStore(new JGitCodeStore())}. Stateless and thread-safe.
 *
 * <p>Remotes are reached over smart HTTP(S) with the user's token as basic auth, or as local paths
 * and {@code file:} URLs. The token is handed to JGit per call and never written into
 * {@code .git/config}.
 *
 * <p>The store knows the Git hosting providers ({@link GitProviders}): the public hosts (github.com,
 * gitlab.com, bitbucket.org, dev.azure.com and *.visualstudio.com) out of the box, and Enterprise and
 * self-hosted ones registered with {@link #withHost(ProviderKind, String)}. For a remote on a provider's
 * host it
 *
 * <ul>
 *   <li>checks the URL through the provider before a clone or before it becomes a project's remote
 *       ({@link GitProvider#validate(String)}: credentials in the URL, SSH, a page URL, a missing owner or
 *       repository are refused, saying what is wrong and never showing the credentials);
 *   <li>sends the provider's user name with a token when the user stored none for the host
 *       ({@link GitProvider#defaultHttpsUser()}: {@code oauth2} for GitLab, {@code x-bitbucket-api-token-auth}
 *       for Bitbucket Cloud, the empty name for Azure DevOps), or refuses, saying what to store, where the
 *       provider needs the user's own name (GitHub, Bitbucket Server, Gitea). A user name stored with the
 *       token ({@code session.gitCredentials().set(host, username, token)}) always wins.
 * </ul>
 *
 * Hosts of no provider (a plain Git server) take any URL and the user name {@code git}.
 *
 * <pre>{@code
 * Prophecy prophecy = Prophecy.builder()
 *     .codeStore(new JGitCodeStore()
 *         .withHost(ProviderKind.GITHUB, "https://github.acme.example")                // GitHub Enterprise Server
 *         .withHost(ProviderKind.BITBUCKET_SERVER, "https://git.acme.example/bitbucket"))
 *     .build();
 * }</pre>
 */
public final class JGitCodeStore implements CodeStore {
  private final Function<String, String> tokenUsernames;
  private final GitProviders providers;

  /** The store with the public provider hosts; the one {@link java.util.ServiceLoader} finds. */
  public JGitCodeStore() {
    this(null, GitProviders.defaults());
  }

  private JGitCodeStore(Function<String, String> tokenUsernames, GitProviders providers) {
    this.tokenUsernames = tokenUsernames;
    this.providers = providers;
  }

  /**
   * A store that asks the function first for the user name to send with a token when the user stored
   * none for the host, such as {@code x-access-token} for a host whose tokens are GitHub App installation
   * tokens. A {@code null} or blank answer leaves it to the provider's convention.
   */
  public JGitCodeStore withTokenUsernames(Function<String, String> tokenUsernames) {
    return new JGitCodeStore(Objects.requireNonNull(tokenUsernames, "tokenUsernames"), providers);
  }

  /** A store that knows exactly these providers (see {@link GitProviders#builder()}). */
  public JGitCodeStore withProviders(GitProviders providers) {
    return new JGitCodeStore(tokenUsernames, Objects.requireNonNull(providers, "providers"));
  }

  /**
   * A store that also knows a provider at a base URL: a GitHub Enterprise Server, a self-managed GitLab, a
   * Bitbucket Server or Data Center (with its context path), an Azure DevOps Server, a Gitea.
   *
   * @throws io.prophecy.sdk.InvalidInputException when the base URL is malformed or registered for
   *     another kind
   */
  public JGitCodeStore withHost(ProviderKind kind, String baseUrl) {
    return withProviders(providers.newBuilder().host(kind, baseUrl).build());
  }

  /** The providers this store knows. */
  public GitProviders providers() {
    return providers;
  }

  @Override
  public String kind() {
    return "git";
  }

  /** The user name from {@link #withTokenUsernames(Function)} for the host, else {@code git}. */
  @Override
  public String tokenUsername(String host) {
    return hooked(host).orElse("git");
  }

  private Optional<String> hooked(String host) {
    String name = tokenUsernames == null ? null : tokenUsernames.apply(host);
    return name == null || name.isBlank() ? Optional.empty() : Optional.of(name);
  }

  /**
   * The user name from {@link #withTokenUsernames(Function)} for the host; else the convention of the
   * remote's provider; else {@code git}.
   *
   * @throws InvalidInputException when the remote's provider needs the user's own name beside a token
   */
  @Override
  public String tokenUsername(String host, String remoteUrl) {
    Optional<String> hook = hooked(host);
    if (hook.isPresent()) {
      return hook.get();
    }
    Optional<GitProvider> provider = providers.find(remoteUrl);
    if (provider.isEmpty()) {
      return "git";
    }
    GitProvider p = provider.get();
    return p.defaultHttpsUser().orElseThrow(() -> new InvalidInputException("gitCredentials.username",
        p.kind().displayName() + " at " + p.host() + " needs your " + expectedUser(p.kind())
            + " as the user name beside a personal access token over HTTPS, and none is stored for " + host
            + ". Store both with session.gitCredentials().set(\"" + host + "\", \"<" + expectedUser(p.kind())
            + ">\", token)"));
  }

  private static String expectedUser(ProviderKind kind) {
    return switch (kind) {
      case GITHUB -> "GitHub login";
      case BITBUCKET_SERVER -> "Bitbucket user name";
      case GITEA -> "Gitea login";
      default -> kind.displayName() + " user name";
    };
  }

  /**
   * Checks an {@code http(s)} remote on a known provider's host through that provider; other remotes
   * (plain Git servers, local paths, {@code file:} URLs) pass.
   */
  @Override
  public void validateRemote(String remoteUrl) {
    providers.find(remoteUrl).ifPresent(p -> p.validate(remoteUrl));
  }

  @Override
  public boolean isWorkingCopy(Path dir) {
    return Files.exists(dir.resolve(Constants.DOT_GIT));
  }

  @Override
  public WorkingCopy init(Path dir, String defaultBranch) {
    if (isWorkingCopy(dir)) {
      throw new ConflictException(dir + " is a Git working copy already");
    }
    try {
      Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch(defaultBranch).call();
      return new JGitWorkingCopy(git, dir, this::validateRemote);
    } catch (GitAPIException e) {
      throw new ProphecyException("Cannot make a Git repository in " + dir + ": " + e.getMessage(), e);
    }
  }

  @Override
  public WorkingCopy open(Path dir) {
    Path top = dir.toAbsolutePath().normalize();
    if (!isWorkingCopy(top)) {
      throw new InvalidInputException(top.toString(), "is not a Git working copy (it has no .git); make it one"
          + " with 'git init' and a first commit, or clone the project with team.projects().clone(name, url)");
    }
    try {
      Repository repo = new FileRepositoryBuilder().setWorkTree(top.toFile())
          .setMustExist(true).build();
      return new JGitWorkingCopy(Git.wrap(repo), top, this::validateRemote);
    } catch (IOException e) {
      throw new ProphecyException("Cannot open the Git repository of " + top + ": " + e.getMessage(), e);
    }
  }

  @Override
  public WorkingCopy cloneRepository(String remoteUrl, Path dir, RemoteAuth auth) {
    validateRemote(remoteUrl);
    try {
      Git git = Git.cloneRepository().setURI(remoteUrl).setDirectory(dir.toFile()).setRemote(Constants.DEFAULT_REMOTE_NAME)
          .setCredentialsProvider(JGitWorkingCopy.credentials(auth)).setTimeout(JGitWorkingCopy.TIMEOUT_SECONDS).call();
      return new JGitWorkingCopy(git, dir.toAbsolutePath().normalize(), this::validateRemote);
    } catch (GitAPIException e) {
      throw Failures.remote("clone", remoteUrl, auth, e);
    }
  }

  @Override
  public String toString() {
    return "JGitCodeStore[" + providers + "]";
  }
}
