package io.prophecy.sdk.git.provider;

import static io.prophecy.sdk.git.provider.ProviderMockServer.TOKEN;
import static io.prophecy.sdk.git.provider.ProviderMockServer.assertJsonBody;
import static io.prophecy.sdk.git.provider.ProviderMockServer.assertNoBody;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prophecy.sdk.ConflictException;
import io.prophecy.sdk.ConnectorException;
import io.prophecy.sdk.NotFoundException;
import io.prophecy.sdk.PermissionDeniedException;
import io.prophecy.sdk.model.Secret;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * GitHub's REST API as its documentation shows it (docs.github.com/rest: users, repos, pulls), scripted on a
 * MockWebServer that plays a GitHub Enterprise Server (API under /api/v3) and api.github.com.
 */
class GitHubProviderTest {
  private ProviderMockServer mock;
  private GitProvider enterprise;
  private ProviderClient client;

  @BeforeEach
  void start() throws Exception {
    mock = new ProviderMockServer();
    enterprise = GitProviders.builder().host(ProviderKind.GITHUB, mock.url("")).build().provider(ProviderKind.GITHUB,
        mock.url(""));
    client = enterprise.client(GitCredentials.token(Secret.of(TOKEN)), mock.options());
  }

  @AfterEach
  void stop() {
    client.close();
    mock.close();
  }

  private static void assertGitHubHeaders(RecordedRequest r) {
    assertThat(r.getHeaders().get("Authorization")).isEqualTo("Bearer " + TOKEN);
    assertThat(r.getHeaders().get("Accept")).isEqualTo("application/vnd.github+json");
    assertThat(r.getHeaders().get("X-GitHub-Api-Version")).isEqualTo("2022-11-28");
  }

  @Test
  void whoamiReadsTheAuthenticatedUser() throws Exception {
    mock.enqueue(200, "{\"login\":\"octocat\",\"id\":1,\"node_id\":\"MDQ6VXNlcjE=\",\"type\":\"User\","
        + "\"name\":\"monalisa octocat\",\"company\":\"GitHub\"}");

    Account me = client.whoami();

    assertThat(me).isEqualTo(new Account("octocat", "monalisa octocat", "1"));
    RecordedRequest r = mock.take("GET", "/api/v3/user");
    assertGitHubHeaders(r);
    assertNoBody(r);
  }

  @Test
  void githubComTalksToApiGithubComAndEnterpriseToApiV3() {
    GitProvider dotCom = GitProviders.defaults().provider("https://github.com/octocat/Hello-World.git");
    assertThat(((AbstractGitProvider) dotCom).apiBase().toString()).isEqualTo("https://api.github.com/");
    GitProvider ghe = GitProviders.builder().host(ProviderKind.GITHUB, "https://github.acme.example").build()
        .provider("https://github.acme.example/data/shop.git");
    assertThat(((AbstractGitProvider) ghe).apiBase().toString()).isEqualTo("https://github.acme.example/api/v3");
    assertThat(ghe.host()).isEqualTo("github.acme.example");
  }

  @Test
  void createsARepositoryForTheUserAndInAnOrganization() throws Exception {
    String created = "{\"id\":1296269,\"name\":\"shop\",\"full_name\":\"%s/shop\",\"owner\":{\"login\":\"%s\",\"id\":1},"
        + "\"private\":true,\"html_url\":\"https://github.com/%s/shop\",\"clone_url\":\"https://github.com/%s/shop.git\"}";
    mock.enqueue(201, created.formatted("octocat", "octocat", "octocat", "octocat"));
    mock.enqueue(201, created.formatted("acme", "acme", "acme", "acme"));

    Repository mine = client.createRepository(CreateRepository.named("shop").withDescription("Prophecy project"));
    Repository org = client.createRepository(CreateRepository.named("shop").inOwner("acme").withPrivate(false));

    assertThat(mine).isEqualTo(new Repository(ProviderKind.GITHUB, "octocat", null, "shop",
        "https://github.com/octocat/shop.git", "https://github.com/octocat/shop", true));
    assertThat(org.owner()).isEqualTo("acme");
    RecordedRequest r1 = mock.take("POST", "/api/v3/user/repos");
    assertGitHubHeaders(r1);
    assertJsonBody(r1, "{\"name\":\"shop\",\"description\":\"Prophecy project\",\"private\":true}");
    RecordedRequest r2 = mock.take("POST", "/api/v3/orgs/acme/repos");
    assertGitHubHeaders(r2);
    assertJsonBody(r2, "{\"name\":\"shop\",\"private\":false}");
  }

  @Test
  void opensAPullRequest() throws Exception {
    mock.enqueue(201, "{\"id\":1,\"number\":1347,\"state\":\"open\",\"title\":\"Daily revenue\","
        + "\"html_url\":\"https://github.com/octocat/Hello-World/pull/1347\",\"head\":{\"ref\":\"feature/revenue\"},"
        + "\"base\":{\"ref\":\"main\"}}");
    RemoteUrl remote = enterprise.validate(mock.url("/octocat/Hello-World.git"));

    PullRequest pr = client.openPullRequest(OpenPullRequest.of(remote, "feature/revenue", "main", "Daily revenue")
        .withDescription("Adds the pipeline"));

    assertThat(pr).isEqualTo(new PullRequest(1347, "Daily revenue", "open",
        "https://github.com/octocat/Hello-World/pull/1347"));
    RecordedRequest r = mock.take("POST", "/api/v3/repos/octocat/Hello-World/pulls");
    assertGitHubHeaders(r);
    assertJsonBody(r, "{\"title\":\"Daily revenue\",\"head\":\"feature/revenue\",\"base\":\"main\","
        + "\"body\":\"Adds the pipeline\"}");
  }

  @Test
  void badCredentialsAreAnAuthenticationErrorNamingTheHost() throws Exception {
    mock.enqueue(401, "{\"message\":\"Bad credentials\",\"documentation_url\":\"https://docs.github.com/rest\","
        + "\"status\":\"401\"}");

    assertThatThrownBy(client::whoami).isInstanceOf(PermissionDeniedException.class)
        .hasMessageContaining("GitHub at " + mock.hostPort())
        .hasMessageContaining("HTTP 401: Bad credentials")
        .hasMessageContaining("wrong, expired or revoked")
        .hasMessageNotContaining(TOKEN);
    mock.take("GET", "/api/v3/user");
  }

  @Test
  void missingOrganizationIsNotFound() throws Exception {
    mock.enqueue(404, "{\"message\":\"Not Found\",\"documentation_url\":\"https://docs.github.com/rest\"}");

    assertThatThrownBy(() -> client.createRepository(CreateRepository.named("shop").inOwner("nobody")))
        .isInstanceOf(NotFoundException.class).hasMessageContaining("create repository nobody/shop")
        .hasMessageContaining("HTTP 404: Not Found");
    mock.take("POST", "/api/v3/orgs/nobody/repos");
  }

  @Test
  void takenNameIsAConflict() throws Exception {
    mock.enqueue(422, "{\"message\":\"Repository creation failed.\",\"errors\":[{\"resource\":\"Repository\","
        + "\"code\":\"custom\",\"field\":\"name\",\"message\":\"name already exists on this account\"}],"
        + "\"documentation_url\":\"https://docs.github.com/rest/repos/repos#create-a-repository-for-the-authenticated-user\"}");

    assertThatThrownBy(() -> client.createRepository(CreateRepository.named("shop")))
        .isInstanceOf(ConflictException.class)
        .hasMessageContaining("Repository creation failed.; name already exists on this account");
    RecordedRequest r = mock.take("POST", "/api/v3/user/repos");
    assertGitHubHeaders(r);
    assertJsonBody(r, "{\"name\":\"shop\",\"private\":true}");
  }

  @Test
  void existingPullRequestIsAConflict() throws Exception {
    mock.enqueue(422, "{\"message\":\"Validation Failed\",\"errors\":[{\"resource\":\"PullRequest\",\"code\":\"custom\","
        + "\"message\":\"A pull request already exists for octocat:feature/revenue.\"}]}");
    RemoteUrl remote = enterprise.validate(mock.url("/octocat/Hello-World"));

    assertThatThrownBy(() -> client.openPullRequest(OpenPullRequest.of(remote, "feature/revenue", "main", "t")))
        .isInstanceOf(ConflictException.class).hasMessageContaining("A pull request already exists");
    assertJsonBody(mock.take("POST", "/api/v3/repos/octocat/Hello-World/pulls"),
        "{\"title\":\"t\",\"head\":\"feature/revenue\",\"base\":\"main\"}");
  }

  @Test
  void secondaryRateLimitOn403WithRetryAfterIsRetriedForGets() throws Exception {
    mock.enqueue(403, "{\"message\":\"You have exceeded a secondary rate limit.\"}", "retry-after", "2");
    mock.enqueue(200, "{\"login\":\"octocat\",\"id\":1}");

    assertThat(client.whoami().username()).isEqualTo("octocat");
    assertThat(mock.waits).containsExactly(java.time.Duration.ofSeconds(2));
  }

  @Test
  void primaryRateLimitOnAPostIsReportedNotRetried() throws Exception {
    mock.enqueue(403, "{\"message\":\"API rate limit exceeded for user ID 1.\"}", "x-ratelimit-remaining", "0",
        "x-ratelimit-reset", "1700000000");

    assertThatThrownBy(() -> client.createRepository(CreateRepository.named("shop")))
        .isInstanceOf(ConnectorException.class)
        .hasMessageContaining("throttling requests (HTTP 403: API rate limit exceeded")
        .hasMessageContaining("not retried, since create repository shop is not safe to repeat");
    assertThat(mock.server.getRequestCount()).isEqualTo(1);
    assertThat(mock.waits).isEmpty();
  }

  @Test
  void theDefaultOptionsReallyWaitAndRetry() throws Exception {
    mock.enqueue(429, "{\"message\":\"You have exceeded a secondary rate limit.\"}", "Retry-After", "1");
    mock.enqueue(200, "{\"login\":\"octocat\",\"id\":1}");
    try (ProviderClient withDefaults = enterprise.client(GitCredentials.token(Secret.of(TOKEN)), ClientOptions.defaults())) {
      assertThat(withDefaults.whoami().username()).isEqualTo("octocat");
    }
    mock.take("GET", "/api/v3/user");
    mock.take("GET", "/api/v3/user");
  }

  @Test
  void httpsUserIsTheGitHubLogin() {
    assertThat(enterprise.httpsCredentials(GitCredentials.of("octocat", Secret.of(TOKEN))).username())
        .isEqualTo("octocat");
    assertThatThrownBy(() -> enterprise.httpsCredentials(GitCredentials.token(Secret.of(TOKEN))))
        .isInstanceOf(io.prophecy.sdk.InvalidInputException.class)
        .hasMessageContaining("expects your GitHub login as the user name")
        .hasMessageNotContaining(TOKEN);
  }
}
