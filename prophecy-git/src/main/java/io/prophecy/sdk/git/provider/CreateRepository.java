package io.prophecy.sdk.git.provider;

import io.prophecy.sdk.InvalidInputException;
import java.util.regex.Pattern;

/**
 * What repository to create, and where. Each provider places it as it models owners:
 *
 * <ul>
 *   <li>GitHub, Gitea: {@code owner} null for the token's user, else an organization (the user's own login
 *       is not an organization: give null for it).
 *   <li>GitLab: {@code owner} null for the user's namespace, else a group path such as {@code data/etl}.
 *   <li>Bitbucket Cloud: {@code owner} the workspace (required); {@code project} an optional project key;
 *       the repository's slug is the name in lower case.
 *   <li>Bitbucket Server: {@code owner} a project key, or null for the user's personal project
 *       ({@code ~USER}, USER being the name in the answer's {@code X-AUSERNAME} header).
 *   <li>Azure DevOps: {@code owner} the organization and {@code project} the project (both required);
 *       {@code isPrivate} has no effect, a repository having its project's visibility.
 * </ul>
 *
 * <pre>{@code
 * client.createRepository(CreateRepository.named("shop").inOwner("acme").withDescription("Prophecy project"));
 * }</pre>
 *
 * @param owner see above, or {@code null}
 * @param project see above, or {@code null}
 * @param name the repository's name
 * @param description a description, or {@code null}
 * @param isPrivate whether only members may see it (the default)
 */
public record CreateRepository(String owner, String project, String name, String description, boolean isPrivate) {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

  public CreateRepository {
    if (name == null || !NAME.matcher(name).matches() || name.endsWith(".git")) {
      throw new InvalidInputException("repository.name", "'" + name + "' is not a repository name every provider "
          + "accepts; use 1 to 100 letters, digits, '.', '_' or '-', starting with a letter or digit, not ending in .git");
    }
    owner = blankToNull(owner);
    project = blankToNull(project);
    description = blankToNull(description);
  }

  /** A private repository of this name, in the token user's own space. */
  public static CreateRepository named(String name) {
    return new CreateRepository(null, null, name, null, true);
  }

  /** The same, in this organization, group, workspace, project key or Azure DevOps organization. */
  public CreateRepository inOwner(String newOwner) {
    return new CreateRepository(newOwner, project, name, description, isPrivate);
  }

  /** The same, in this Azure DevOps project or Bitbucket Cloud project key. */
  public CreateRepository inProject(String newProject) {
    return new CreateRepository(owner, newProject, name, description, isPrivate);
  }

  /** The same, with a description. */
  public CreateRepository withDescription(String newDescription) {
    return new CreateRepository(owner, project, name, newDescription, isPrivate);
  }

  /** The same, private or public. */
  public CreateRepository withPrivate(boolean newPrivate) {
    return new CreateRepository(owner, project, name, description, newPrivate);
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }
}
