package io.prophecy.sdk.git.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prophecy.sdk.InvalidInputException;
import io.prophecy.sdk.PermissionDeniedException;
import io.prophecy.sdk.ProphecyException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;

/**
 * Azure DevOps Services ({@code https://dev.azure.com/ORG}, and the older {@code https://ORG.visualstudio.com})
 * and Azure DevOps Server (registered with its collection's parent URL, such as {@code https://tfs.acme.example/tfs},
 * the collection then taking the organization's place).
 *
 * <p>Facts, from Microsoft's documentation:
 *
 * <ul>
 *   <li>Clone URL: {@code https://dev.azure.com/ORG/PROJECT/_git/REPO}, shown by Azure DevOps as
 *       {@code https://ORG@dev.azure.com/...} (the organization before the host, no password: accepted);
 *       {@code https://ORG.visualstudio.com/[DefaultCollection/]PROJECT/_git/REPO}; {@code .../ORG/_git/REPO}
 *       for a repository named as its project.
 *   <li>Git over HTTPS: "use this token as your password" for Git tools (learn.microsoft.com, "Use personal
 *       access tokens"); the user name is not checked. REST: basic auth with an empty user name,
 *       {@code Authorization: Basic base64(":" + PAT)} (learn.microsoft.com/azure/devops/integrate/how-to/call-rest-api:
 *       "first prepend a colon to the PAT"; REST API samples: {@code string.Format("{0}:{1}", "", personalAccessToken)}).
 *       The SDK sends the stored user name, or the same empty one, to Git.
 *   <li>Every request names its version: {@code ?api-version=7.1} (same page, "VERB https://{instance}/... ?api-version={version}").
 *   <li>Endpoints: {@code GET https://app.vssps.visualstudio.com/_apis/profile/profiles/me} (Profiles - Get);
 *       {@code GET {org}/_apis/projects/{project}} (Projects - Get) for the project id that
 *       {@code POST {org}/{project}/_apis/git/repositories} with {@code name, project.id} takes
 *       (Repositories - Create); {@code POST {org}/{project}/_apis/git/repositories/{repo}/pullrequests} with
 *       {@code sourceRefName, targetRefName, title, description} (Pull Requests - Create).
 *   <li>A taken name answers 409 "TF400948: A Git repository with the name ... already exists."; an active
 *       pull request for the same branches answers 409 "TF401179". A sign-in page (HTTP 203, HTML) instead of
 *       JSON means the token was not accepted.
 * </ul>
 */
final class AzureDevOpsProvider extends AbstractGitProvider {
  static final String PUBLIC_BASE = "https://dev.azure.com";
  static final String PROFILE_BASE = "https://app.vssps.visualstudio.com";
  static final String API_VERSION = "7.1";
  private static final Pattern ORG = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,49}");
  private static final Pattern NAME = Pattern.compile("[^\\x00-\\x1f/\\\\?#]{1,256}");

  private final String orgInHost;

  AzureDevOpsProvider(String baseUrl, String apiBaseUrl) {
    super(ProviderKind.AZURE_DEVOPS, baseUrl, apiBaseUrl);
    String h = host();
    this.orgInHost = h.endsWith(".visualstudio.com") ? h.substring(0, h.length() - ".visualstudio.com".length()) : null;
  }

  @Override
  String defaultApiBase(String webBaseUrl) {
    return webBaseUrl.equals(PUBLIC_BASE) || webBaseUrl.contains(".visualstudio.com") ? PROFILE_BASE : webBaseUrl;
  }

  @Override
  boolean acceptsUserName(String userName, List<String> below) {
    String org = orgInHost != null ? orgInHost : below.isEmpty() ? "" : below.get(0);
    return userName.equalsIgnoreCase(org);
  }

  @Override
  RemoteUrl interpret(RemoteUrls.Parts parts, List<String> below) {
    List<String> rest = new ArrayList<>(below);
    String form = orgInHost != null ? baseUrl() + "/PROJECT/_git/REPO" : baseUrl() + "/ORGANIZATION/PROJECT/_git/REPO";
    String org;
    if (orgInHost != null) {
      org = orgInHost;
      if (!rest.isEmpty() && rest.get(0).equalsIgnoreCase("DefaultCollection")) {
        rest.remove(0);
      }
    } else {
      if (rest.isEmpty()) {
        throw RemoteUrls.invalid(parts.shown(), "has no organization, project or repository; an Azure DevOps clone URL is "
            + form);
      }
      org = checked(parts, "organization", rest.remove(0), ORG, "letters, digits, '_', '.' or '-'");
    }
    int git = rest.indexOf("_git");
    if (git < 0) {
      throw RemoteUrls.invalid(parts.shown(), "has no /_git/ before the repository; an Azure DevOps clone URL is " + form);
    }
    if (git != rest.size() - 2) {
      throw RemoteUrls.invalid(parts.shown(), git == rest.size() - 1 ? "has no repository after /_git/"
          : "has more after /_git/REPO; it looks like a page of the repository, not its clone URL " + form);
    }
    if (git > 1) {
      throw RemoteUrls.invalid(parts.shown(), "has more than one project part before /_git/; an Azure DevOps clone URL is "
          + form);
    }
    String name = checked(parts, "repository", RemoteUrls.stripGit(rest.get(git + 1)), NAME, "no control characters, "
        + "'/', '\\', '?' or '#'");
    String project = git == 0 ? name : checked(parts, "project", rest.get(0), NAME, "no control characters");
    HttpUrl.Builder b = HttpUrl.get(baseUrl()).newBuilder();
    if (orgInHost == null) {
      b.addPathSegment(org);
    }
    String https = b.addPathSegment(project).addPathSegment("_git").addPathSegment(name).build().toString();
    return new RemoteUrl(kind(), baseUrl(), org, project, name, https);
  }

  @Override
  public Optional<String> defaultHttpsUser() {
    return Optional.of("");
  }

  @Override
  public HttpsCredentials httpsCredentials(GitCredentials credentials) {
    return new HttpsCredentials(credentials.usernameIfSet().orElse(""), credentials.token());
  }

  @Override
  public ProviderClient client(GitCredentials credentials, ClientOptions options) {
    return new Client(credentials, options);
  }

  private final class Client implements ProviderClient {
    private final ProviderHttp http;

    Client(GitCredentials credentials, ClientOptions options) {
      this.http = new ProviderHttp(kind(), host(), List.of(HttpUrl.get(baseUrl()), apiBase()),
          credentials.token(), Map.of("Authorization", new HttpsCredentials("", credentials.token()).basicAuthorization()),
          Map.of("Accept", "application/json"), ProviderHttp::throttledStatus, this::readError, options);
    }

    private ProphecyException readError(int code, String message, String operation) {
      if (code == 203) {
        return new PermissionDeniedException("Azure DevOps at " + host() + " answered " + operation
            + " with a sign-in page (HTTP 203) instead of JSON: it did not accept the token. Store a new personal "
            + "access token for " + host() + ".");
      }
      return null;
    }

    private HttpUrl.Builder orgRoot(String org) {
      HttpUrl.Builder b = HttpUrl.get(baseUrl()).newBuilder();
      return orgInHost != null ? b : b.addPathSegment(org);
    }

    private String org(String given) {
      if (orgInHost != null) {
        return orgInHost;
      }
      if (given == null) {
        throw new InvalidInputException("repository.owner", "Azure DevOps creates repositories in an organization's "
            + "project; give the organization with CreateRepository.inOwner(org)");
      }
      return given;
    }

    @Override
    public ProviderKind kind() {
      return ProviderKind.AZURE_DEVOPS;
    }

    @Override
    public Account whoami() {
      String op = "who am I";
      HttpUrl url = apiBase().newBuilder().addPathSegments("_apis/profile/profiles/me")
          .addQueryParameter("api-version", API_VERSION).build();
      JsonNode p = http.get(url, op).json();
      String name = Json.text(p, "/emailAddress") != null ? Json.text(p, "/emailAddress") : Json.text(p, "/publicAlias");
      if (name == null) {
        name = Json.need(kind(), host(), p, "/id", op);
      }
      return new Account(name, Json.text(p, "/displayName"), Json.need(kind(), host(), p, "/id", op));
    }

    @Override
    public Repository createRepository(CreateRepository request) {
      String org = org(request.owner());
      if (request.project() == null) {
        throw new InvalidInputException("repository.project", "Azure DevOps creates repositories in a project; give it "
            + "with CreateRepository.inProject(project)");
      }
      String projOp = "look up project " + org + "/" + request.project();
      JsonNode project = http.get(orgRoot(org).addPathSegments("_apis/projects").addPathSegment(request.project())
          .addQueryParameter("api-version", API_VERSION).build(), projOp).json();
      String projectId = Json.need(kind(), host(), project, "/id", projOp);
      String op = "create repository " + org + "/" + request.project() + "/" + request.name();
      ObjectNode body = ProviderHttp.object().put("name", request.name());
      body.putObject("project").put("id", projectId);
      HttpUrl url = orgRoot(org).addPathSegment(request.project()).addPathSegments("_apis/git/repositories")
          .addQueryParameter("api-version", API_VERSION).build();
      JsonNode r = http.post(url, body, op).json();
      return new Repository(kind(), org, Json.need(kind(), host(), r, "/project/name", op),
          Json.need(kind(), host(), r, "/name", op), Json.need(kind(), host(), r, "/remoteUrl", op),
          Json.text(r, "/webUrl"), !"public".equals(Json.text(project, "/visibility")));
    }

    @Override
    public PullRequest openPullRequest(OpenPullRequest request) {
      requireOwn(request.repository());
      RemoteUrl repo = request.repository();
      String op = "open pull request " + request.sourceBranch() + " -> " + request.targetBranch() + " in "
          + repo.fullName();
      HttpUrl url = orgRoot(repo.owner()).addPathSegment(repo.project()).addPathSegments("_apis/git/repositories")
          .addPathSegment(repo.name()).addPathSegment("pullrequests").addQueryParameter("api-version", API_VERSION)
          .build();
      ObjectNode body = ProviderHttp.object().put("sourceRefName", "refs/heads/" + request.sourceBranch())
          .put("targetRefName", "refs/heads/" + request.targetBranch()).put("title", request.title());
      if (request.description() != null) {
        body.put("description", request.description());
      }
      JsonNode pr = http.post(url, body, op).json();
      long id = Json.needLong(kind(), host(), pr, "/pullRequestId", op);
      String web = Json.text(pr, "/repository/webUrl");
      String page = (web != null ? web : repo.httpsUrl()) + "/pullrequest/" + id;
      return new PullRequest(id, Json.need(kind(), host(), pr, "/title", op), Json.need(kind(), host(), pr, "/status", op),
          page);
    }

    @Override
    public void close() {
      http.close();
    }

    @Override
    public String toString() {
      return "AzureDevOpsClient[" + host() + "]";
    }
  }

}
