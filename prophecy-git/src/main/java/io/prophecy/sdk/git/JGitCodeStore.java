package io.prophecy.sdk.git;

import io.prophecy.sdk.ConflictException;
import io.prophecy.sdk.InvalidInputException;
import io.prophecy.sdk.ProphecyException;
import io.prophecy.sdk.git.internal.Failures;
import io.prophecy.sdk.git.internal.JGitWorkingCopy;
import io.prophecy.sdk.spi.CodeStore;
import io.prophecy.sdk.spi.RemoteAuth;
import io.prophecy.sdk.spi.WorkingCopy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
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
 */
public final class JGitCodeStore implements CodeStore {
  private final Function<String, String> tokenUsernames;

  /** The store, sending the user name {@code git} with a token when the user stored none for the host. */
  public JGitCodeStore() {
    this(host -> "git");
  }

  private JGitCodeStore(Function<String, String> tokenUsernames) {
    this.tokenUsernames = tokenUsernames;
  }

  /**
   * A store that asks the function for the user name to send with a token when the user stored none
   * for the host, such as {@code x-access-token} for one host and {@code oauth2} for another: the hook
   * for the Git hosting providers' conventions.
   */
  public JGitCodeStore withTokenUsernames(Function<String, String> tokenUsernames) {
    return new JGitCodeStore(Objects.requireNonNull(tokenUsernames, "tokenUsernames"));
  }

  @Override
  public String kind() {
    return "git";
  }

  @Override
  public String tokenUsername(String host) {
    String name = tokenUsernames.apply(host);
    return name == null || name.isBlank() ? "git" : name;
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
      return new JGitWorkingCopy(git, dir);
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
      return new JGitWorkingCopy(Git.wrap(repo), top);
    } catch (IOException e) {
      throw new ProphecyException("Cannot open the Git repository of " + top + ": " + e.getMessage(), e);
    }
  }

  @Override
  public WorkingCopy cloneRepository(String remoteUrl, Path dir, RemoteAuth auth) {
    try {
      Git git = Git.cloneRepository().setURI(remoteUrl).setDirectory(dir.toFile()).setRemote(Constants.DEFAULT_REMOTE_NAME)
          .setCredentialsProvider(JGitWorkingCopy.credentials(auth)).setTimeout(JGitWorkingCopy.TIMEOUT_SECONDS).call();
      return new JGitWorkingCopy(git, dir.toAbsolutePath().normalize());
    } catch (GitAPIException e) {
      throw Failures.remote("clone", remoteUrl, auth, e);
    }
  }

  @Override
  public String toString() {
    return "JGitCodeStore";
  }
}
