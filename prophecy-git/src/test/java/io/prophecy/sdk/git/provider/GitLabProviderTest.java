package io.prophecy.sdk.git.provider;

import static io.prophecy.sdk.git.provider.ProviderMockServer.TOKEN;
import static io.prophecy.sdk.git.provider.ProviderMockServer.assertJsonBody;
import static io.prophecy.sdk.git.provider.ProviderMockServer.assertNoBody;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prophecy.sdk.ConflictException;
import io.prophecy.sdk.NotFoundException;
import io.prophecy.sdk.PermissionDeniedException;
import io.prophecy.sdk.model.Secret;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** GitLab's REST API v4 as docs.gitlab.com shows it (users, namespaces, projects, merge requests), self-managed. */
class GitLabProviderTest {
  private ProviderMockServer mock;
  private GitProvider gitlab;
  private ProviderClient client;

  @BeforeEach
  void start() throws Exception {
    mock = new ProviderMockServer();
    gitlab = GitProviders.builder().host(ProviderKind.GITLAB, mock.url("")).build().provider(mock.url("/g/p.git"));
    client = gitlab.client(GitCredentials.token(Secret.of(TOKEN)), mock.options());
  }

  @AfterEach
  void stop() {
    client.close();
    mock.close();
  }

  private static void assertGitLabHeaders(RecordedRequest r) {
    assertThat(r.getHeaders().get("PRIVATE-TOKEN")).isEqualTo(TOKEN);
    assertThat(r.getHeaders().get("Authorization")).isNull();
  }

  @Test
  void whoamiReadsTheCurrentUser() throws Exception {
    mock.enqueue(200, "{\"id\":1,\"username\":\"john_smith\",\"name\":\"John Smith\",\"state\":\"active\","
        + "\"web_url\":\"http://localhost:3000/john_smith\"}");

    assertThat(client.whoami()).isEqualTo(new Account("john_smith", "John Smith", "1"));
    RecordedRequest r = mock.take("GET", "/api/v4/user");
    assertGitLabHeaders(r);
    assertNoBody(r);
  }

  @Test
  void createsAProjectInTheUsersNamespace() throws Exception {
    mock.enqueue(201, "{\"id\":4,\"name\":\"shop\",\"path\":\"shop\",\"path_with_namespace\":\"john_smith/shop\","
        + "\"visibility\":\"private\",\"http_url_to_repo\":\"https://gitlab.example.com/john_smith/shop.git\","
        + "\"web_url\":\"https://gitlab.example.com/john_smith/shop\",\"namespace\":{\"id\":2,\"full_path\":\"john_smith\","
        + "\"kind\":\"user\"}}");

    Repository repo = client.createRepository(CreateRepository.named("shop").withDescription("Prophecy project"));

    assertThat(repo).isEqualTo(new Repository(ProviderKind.GITLAB, "john_smith", null, "shop",
        "https://gitlab.example.com/john_smith/shop.git", "https://gitlab.example.com/john_smith/shop", true));
    RecordedRequest r = mock.take("POST", "/api/v4/projects");
    assertGitLabHeaders(r);
    assertJsonBody(r, "{\"name\":\"shop\",\"path\":\"shop\",\"visibility\":\"private\",\"description\":\"Prophecy project\"}");
  }

  @Test
  void createsAProjectInASubgroupByItsNamespaceId() throws Exception {
    mock.enqueue(200, "{\"id\":130,\"name\":\"etl\",\"path\":\"etl\",\"kind\":\"group\",\"full_path\":\"data/etl\","
        + "\"parent_id\":129}");
    mock.enqueue(201, "{\"id\":5,\"path\":\"shop\",\"visibility\":\"public\",\"http_url_to_repo\":"
        + "\"https://gitlab.example.com/data/etl/shop.git\",\"web_url\":\"https://gitlab.example.com/data/etl/shop\","
        + "\"namespace\":{\"id\":130,\"full_path\":\"data/etl\",\"kind\":\"group\"}}");

    Repository repo = client.createRepository(CreateRepository.named("shop").inOwner("data/etl").withPrivate(false));

    assertThat(repo.owner()).isEqualTo("data/etl");
    assertThat(repo.isPrivate()).isFalse();
    RecordedRequest lookup = mock.take("GET", "/api/v4/namespaces/data%2Fetl");
    assertGitLabHeaders(lookup);
    RecordedRequest create = mock.take("POST", "/api/v4/projects");
    assertJsonBody(create, "{\"name\":\"shop\",\"path\":\"shop\",\"namespace_id\":130,\"visibility\":\"public\"}");
  }

  @Test
  void opensAMergeRequestByTheProjectsEncodedPath() throws Exception {
    mock.enqueue(201, "{\"id\":31,\"iid\":1,\"project_id\":3,\"title\":\"Daily revenue\",\"state\":\"opened\","
        + "\"source_branch\":\"feature/revenue\",\"target_branch\":\"main\","
        + "\"web_url\":\"https://gitlab.example.com/data/etl/shop/-/merge_requests/1\"}");
    RemoteUrl remote = gitlab.validate(mock.url("/data/etl/shop.git"));

    PullRequest mr = client.openPullRequest(OpenPullRequest.of(remote, "feature/revenue", "main", "Daily revenue"));

    assertThat(mr).isEqualTo(new PullRequest(1, "Daily revenue", "opened",
        "https://gitlab.example.com/data/etl/shop/-/merge_requests/1"));
    RecordedRequest r = mock.take("POST", "/api/v4/projects/data%2Fetl%2Fshop/merge_requests");
    assertGitLabHeaders(r);
    assertJsonBody(r, "{\"source_branch\":\"feature/revenue\",\"target_branch\":\"main\",\"title\":\"Daily revenue\"}");
  }

  @Test
  void wrongTokenIsAnAuthenticationError() throws Exception {
    mock.enqueue(401, "{\"message\":\"401 Unauthorized\"}");
    assertThatThrownBy(client::whoami).isInstanceOf(PermissionDeniedException.class)
        .hasMessageContaining("GitLab at " + mock.hostPort()).hasMessageContaining("401 Unauthorized")
        .hasMessageNotContaining(TOKEN);
    assertGitLabHeaders(mock.take("GET", "/api/v4/user"));
  }

  @Test
  void unknownGroupIsNotFound() throws Exception {
    mock.enqueue(404, "{\"message\":\"404 Namespace Not Found\"}");
    assertThatThrownBy(() -> client.createRepository(CreateRepository.named("shop").inOwner("nogroup")))
        .isInstanceOf(NotFoundException.class).hasMessageContaining("look up namespace nogroup")
        .hasMessageContaining("404 Namespace Not Found");
    assertGitLabHeaders(mock.take("GET", "/api/v4/namespaces/nogroup"));
    assertThat(mock.server.getRequestCount()).as("no create after the failed lookup").isEqualTo(1);
  }

  @Test
  void takenNameIsAConflictThoughGitLabAnswers400() throws Exception {
    mock.enqueue(400, "{\"message\":{\"name\":[\"has already been taken\"],\"path\":[\"has already been taken\"]}}");
    assertThatThrownBy(() -> client.createRepository(CreateRepository.named("shop")))
        .isInstanceOf(ConflictException.class)
        .hasMessageContaining("name has already been taken; path has already been taken");
    assertJsonBody(mock.take("POST", "/api/v4/projects"), "{\"name\":\"shop\",\"path\":\"shop\",\"visibility\":\"private\"}");
  }

  @Test
  void existingMergeRequestIsAConflict() throws Exception {
    mock.enqueue(409, "{\"message\":[\"Another open merge request already exists for this source branch: !1\"]}");
    RemoteUrl remote = gitlab.validate(mock.url("/data/shop"));
    assertThatThrownBy(() -> client.openPullRequest(OpenPullRequest.of(remote, "f", "main", "t")))
        .isInstanceOf(ConflictException.class).hasMessageContaining("Another open merge request already exists");
    assertJsonBody(mock.take("POST", "/api/v4/projects/data%2Fshop/merge_requests"),
        "{\"source_branch\":\"f\",\"target_branch\":\"main\",\"title\":\"t\"}");
  }

  @Test
  void httpsUserIsTheStoredNameOrOauth2() {
    assertThat(gitlab.httpsCredentials(GitCredentials.token(Secret.of(TOKEN))).username()).isEqualTo("oauth2");
    assertThat(gitlab.httpsUser(GitCredentials.token(Secret.of(TOKEN)))).isEqualTo("oauth2");
    assertThat(gitlab.httpsCredentials(GitCredentials.of("john_smith", Secret.of(TOKEN))).username())
        .isEqualTo("john_smith");
  }
}
