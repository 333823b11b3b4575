package io.prophecy.sdk.git.provider;

import static io.prophecy.sdk.git.provider.ProviderMockServer.TOKEN;
import static io.prophecy.sdk.git.provider.ProviderMockServer.assertJsonBody;
import static io.prophecy.sdk.git.provider.ProviderMockServer.assertNoBody;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prophecy.sdk.ConflictException;
import io.prophecy.sdk.InvalidInputException;
import io.prophecy.sdk.NotFoundException;
import io.prophecy.sdk.PermissionDeniedException;
import io.prophecy.sdk.model.Secret;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Gitea's API v1 as its Swagger and docs.gitea.com ("API Usage") show it, on a server under the sub-path /git. */
class GiteaProviderTest {
  private ProviderMockServer mock;
  private GitProvider gitea;
  private ProviderClient client;

  @BeforeEach
  void start() throws Exception {
    mock = new ProviderMockServer();
    gitea = GitProviders.builder().host(ProviderKind.GITEA, mock.url("/git")).build().provider(mock.url("/git/a/b.git"));
    client = gitea.client(GitCredentials.of("alice", Secret.of(TOKEN)), mock.options());
  }

  @AfterEach
  void stop() {
    client.close();
    mock.close();
  }

  private static void assertToken(RecordedRequest r) {
    assertThat(r.getHeaders().get("Authorization")).isEqualTo("token " + TOKEN);
    assertThat(r.getHeaders().get("Accept")).isEqualTo("application/json");
  }

  @Test
  void whoamiReadsTheAuthenticatedUser() throws Exception {
    mock.enqueue(200, "{\"id\":3,\"login\":\"alice\",\"full_name\":\"Alice A\",\"email\":\"alice@example.com\","
        + "\"is_admin\":false}");
    assertThat(client.whoami()).isEqualTo(new Account("alice", "Alice A", "3"));
    RecordedRequest r = mock.take("GET", "/git/api/v1/user");
    assertToken(r);
    assertNoBody(r);
  }

  @Test
  void createsRepositoriesForTheUserAndInAnOrganization() throws Exception {
    String created = "{\"id\":9,\"owner\":{\"id\":3,\"login\":\"%s\"},\"name\":\"shop\",\"full_name\":\"%s/shop\","
        + "\"private\":%s,\"html_url\":\"https://gitea.acme/%s/shop\",\"clone_url\":\"https://gitea.acme/%s/shop.git\"}";
    mock.enqueue(201, created.formatted("alice", "alice", "true", "alice", "alice"));
    mock.enqueue(201, created.formatted("data", "data", "false", "data", "data"));

    Repository mine = client.createRepository(CreateRepository.named("shop").withDescription("Prophecy project"));
    Repository org = client.createRepository(CreateRepository.named("shop").inOwner("data").withPrivate(false));

    assertThat(mine).isEqualTo(new Repository(ProviderKind.GITEA, "alice", null, "shop", "https://gitea.acme/alice/shop.git",
        "https://gitea.acme/alice/shop", true));
    assertThat(org.isPrivate()).isFalse();
    RecordedRequest r1 = mock.take("POST", "/git/api/v1/user/repos");
    assertToken(r1);
    assertJsonBody(r1, "{\"name\":\"shop\",\"description\":\"Prophecy project\",\"private\":true}");
    RecordedRequest r2 = mock.take("POST", "/git/api/v1/orgs/data/repos");
    assertJsonBody(r2, "{\"name\":\"shop\",\"private\":false}");
  }

  @Test
  void opensAPullRequest() throws Exception {
    mock.enqueue(201, "{\"id\":40,\"number\":2,\"title\":\"Daily revenue\",\"state\":\"open\","
        + "\"html_url\":\"https://gitea.acme/data/shop/pulls/2\"}");
    RemoteUrl remote = gitea.validate(mock.url("/git/data/shop.git"));

    PullRequest pr = client.openPullRequest(OpenPullRequest.of(remote, "feature/revenue", "main", "Daily revenue")
        .withDescription("Adds the pipeline"));

    assertThat(pr).isEqualTo(new PullRequest(2, "Daily revenue", "open", "https://gitea.acme/data/shop/pulls/2"));
    RecordedRequest r = mock.take("POST", "/git/api/v1/repos/data/shop/pulls");
    assertToken(r);
    assertJsonBody(r, "{\"head\":\"feature/revenue\",\"base\":\"main\",\"title\":\"Daily revenue\","
        + "\"body\":\"Adds the pipeline\"}");
  }

  @Test
  void errorsCarryGiteasMessages() throws Exception {
    mock.enqueue(401, "{\"message\":\"user does not exist [uid: 0, name: ]\",\"url\":\"https://gitea.acme/api/swagger\"}");
    mock.enqueue(404, "{\"message\":\"GetOrgByName\",\"url\":\"https://gitea.acme/api/swagger\"}");
    mock.enqueue(409, "{\"message\":\"The repository with the same name already exists.\","
        + "\"url\":\"https://gitea.acme/api/swagger\"}");

    assertThatThrownBy(client::whoami).isInstanceOf(PermissionDeniedException.class)
        .hasMessageContaining("Gitea at " + mock.hostPort() + " did not accept the token");
    assertThatThrownBy(() -> client.createRepository(CreateRepository.named("shop").inOwner("nope")))
        .isInstanceOf(NotFoundException.class).hasMessageContaining("GetOrgByName");
    assertThatThrownBy(() -> client.createRepository(CreateRepository.named("shop")))
        .isInstanceOf(ConflictException.class).hasMessageContaining("The repository with the same name already exists.");
    assertToken(mock.take("GET", "/git/api/v1/user"));
    assertToken(mock.take("POST", "/git/api/v1/orgs/nope/repos"));
    assertJsonBody(mock.take("POST", "/git/api/v1/user/repos"), "{\"name\":\"shop\",\"private\":true}");
  }

  @Test
  void httpsUserIsTheGiteaLogin() {
    assertThat(gitea.httpsCredentials(GitCredentials.of("alice", Secret.of(TOKEN))).username()).isEqualTo("alice");
    assertThatThrownBy(() -> gitea.httpsCredentials(GitCredentials.token(Secret.of(TOKEN))))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("expects your Gitea login");
  }
}
