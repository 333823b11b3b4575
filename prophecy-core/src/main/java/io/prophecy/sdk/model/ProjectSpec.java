package io.prophecy.sdk.model;

import io.prophecy.sdk.internal.Checks;
import java.nio.file.Path;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * What a project is: its name in the team, its language, and where its Git working copy lives (under
 * the SDK home by default) and which remote it tracks, if any.
 */
@Value.Immutable
public abstract class ProjectSpec {
  /** The language generated code is written in. */
  public enum Language {
    PYTHON,
    SCALA,
    SQL
  }

  public abstract String name();

  public abstract Optional<String> description();

  @Value.Default
  public Language language() {
    return Language.PYTHON;
  }

  /** The working copy's folder; empty means {@code <home>/projects/<team id>/<name>}. */
  public abstract Optional<Path> workingCopy();

  /** The Git remote URL the working copy tracks; never holds credentials. */
  public abstract Optional<String> gitRemote();

  /**
   * The branch a new repository starts on and releases are usually made from. Default {@code main};
   * a cloned project takes the remote's.
   */
  @Value.Default
  public String defaultBranch() {
    return "main";
  }

  /**
   * Whether commits, merges and releases on the default branch are refused, so that work goes through
   * a branch merged at the Git host (pulls still bring the host's merges in). Default false.
   */
  @Value.Default
  public boolean protectDefaultBranch() {
    return false;
  }

  public static ProjectSpec of(String name) {
    return builder().name(name).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  @Value.Check
  protected void check() {
    Checks.name("project.name", name());
    Checks.branch("project.defaultBranch", defaultBranch());
    gitRemote()
        .ifPresent(
            remote -> {
              Checks.notBlank("project.gitRemote", remote);
              if (remote.matches("(?i)[a-z][a-z0-9+.-]*://[^/@]*:[^/@]*@.*")) {
                throw new io.prophecy.sdk.InvalidInputException(
                    "project.gitRemote",
                    "the remote URL carries a password; give the URL without it and store the token"
                        + " as your credentials for the Git provider");
              }
            });
  }

  public static final class Builder extends ImmutableProjectSpec.Builder {}
}
