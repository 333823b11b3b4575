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
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Bitbucket Cloud's REST API 2.0 as developer.atlassian.com shows it (users, repositories, pullrequests): bitbucket.org
 * with its API pointed at a MockWebServer.
 */
class BitbucketCloudProviderTest {
  private ProviderMockServer mock;
  private GitProvider bitbucket;

  @BeforeEach
  void start() throws Exception {
    mock = new ProviderMockServer();
    bitbucket = GitProviders.builder().host(ProviderKind.BITBUCKET_CLOUD, "https://bitbucket.org", mock.url("/2.0"))
        .build().provider("https://bitbucket.org/acme/shop.git");
  }

  @AfterEach
  void stop() {
    mock.close();
  }

  private ProviderClient apiTokenClient() {
    return bitbucket.client(new GitCredentials(null, "alice@example.com", Secret.of(TOKEN)), mock.options());
  }

  @Test
  void apiTokenAuthenticatesWithTheAccountEmailByBasicAuth() throws Exception {
    mock.enqueue(200, "{\"type\":\"user\",\"uuid\":\"{d301aafa-d676-4ee0-88be-962be7417567}\",\"display_name\":\"Alice\","
        + "\"nickname\":\"alice\",\"account_id\":\"557058:1\"}");
    try (ProviderClient client = apiTokenClient()) {
      assertThat(client.whoami()).isEqualTo(new Account("alice", "Alice", "{d301aafa-d676-4ee0-88be-962be7417567}"));
    }
    RecordedRequest r = mock.take("GET", "/2.0/user");
    String basic = Base64.getEncoder().encodeToString(("alice@example.com:" + TOKEN).getBytes(StandardCharsets.UTF_8));
    assertThat(r.getHeaders().get("Authorization")).isEqualTo("Basic " + basic);
    assertThat(r.getHeaders().get("Accept")).isEqualTo("application/json");
    assertNoBody(r);
  }

  @Test
  void accessTokenIsSentAsBearer() throws Exception {
    mock.enqueue(200, "{\"type\":\"user\",\"uuid\":\"{1}\",\"display_name\":\"acme token\",\"nickname\":\"acme-token\"}");
    try (ProviderClient client = bitbucket.client(GitCredentials.token(Secret.of(TOKEN)), mock.options())) {
      client.whoami();
    }
    assertThat(mock.take("GET", "/2.0/user").getHeaders().get("Authorization")).isEqualTo("Bearer " + TOKEN);
  }

  @Test
  void createsARepositoryInAWorkspaceProject() throws Exception {
    mock.enqueue(200, "{\"type\":\"repository\",\"full_name\":\"acme/shop\",\"slug\":\"shop\",\"name\":\"shop\","
        + "\"is_private\":true,\"scm\":\"git\",\"project\":{\"type\":\"project\",\"key\":\"DATA\"},"
        + "\"links\":{\"html\":{\"href\":\"https://bitbucket.org/acme/shop\"},\"clone\":["
        + "{\"name\":\"https\",\"href\":\"https://alice@bitbucket.org/acme/shop.git\"},"
        + "{\"name\":\"ssh\",\"href\":\"git@bitbucket.org:acme/shop.git\"}]}}");
    Repository repo;
    try (ProviderClient client = apiTokenClient()) {
      repo = client.createRepository(CreateRepository.named("Shop").inOwner("acme").inProject("DATA")
          .withDescription("Prophecy project"));
    }
    assertThat(repo).isEqualTo(new Repository(ProviderKind.BITBUCKET_CLOUD, "acme", "DATA", "shop",
        "https://bitbucket.org/acme/shop.git", "https://bitbucket.org/acme/shop", true));
    RecordedRequest r = mock.take("POST", "/2.0/repositories/acme/shop");
    assertJsonBody(r, "{\"scm\":\"git\",\"is_private\":true,\"description\":\"Prophecy project\",\"project\":{\"key\":\"DATA\"}}");
  }

  @Test
  void aWorkspaceIsRequired() {
    try (ProviderClient client = apiTokenClient()) {
      assertThatThrownBy(() -> client.createRepository(CreateRepository.named("shop")))
          .isInstanceOf(InvalidInputException.class).hasMessageContaining("inOwner(workspace)");
    }
    assertThat(mock.server.getRequestCount()).isZero();
  }

  @Test
  void opensAPullRequest() throws Exception {
    mock.enqueue(201, "{\"type\":\"pullrequest\",\"id\":7,\"title\":\"Daily revenue\",\"state\":\"OPEN\","
        + "\"links\":{\"html\":{\"href\":\"https://bitbucket.org/acme/shop/pull-requests/7\"}}}");
    RemoteUrl remote = bitbucket.validate("https://alice@bitbucket.org/acme/shop.git");
    PullRequest pr;
    try (ProviderClient client = apiTokenClient()) {
      pr = client.openPullRequest(OpenPullRequest.of(remote, "feature/revenue", "main", "Daily revenue")
          .withDescription("Adds the pipeline"));
    }
    assertThat(pr).isEqualTo(new PullRequest(7, "Daily revenue", "OPEN", "https://bitbucket.org/acme/shop/pull-requests/7"));
    RecordedRequest r = mock.take("POST", "/2.0/repositories/acme/shop/pullrequests");
    assertJsonBody(r, "{\"title\":\"Daily revenue\",\"description\":\"Adds the pipeline\","
        + "\"source\":{\"branch\":{\"name\":\"feature/revenue\"}},\"destination\":{\"branch\":{\"name\":\"main\"}}}");
  }

  @Test
  void errorsAreMappedWithBitbucketsMessages() throws Exception {
    mock.enqueue(401, null, "WWW-Authenticate", "Basic realm=\"Bitbucket.org HTTP\"");
    mock.enqueue(404, "{\"type\":\"error\",\"error\":{\"message\":\"Repository acme/nope not found\"}}");
    mock.enqueue(400, "{\"type\":\"error\",\"error\":{\"message\":\"Repository with this Slug and Owner already exists.\"}}");
    try (ProviderClient client = apiTokenClient()) {
      assertThatThrownBy(client::whoami).isInstanceOf(PermissionDeniedException.class)
          .hasMessageContaining("Bitbucket Cloud at bitbucket.org did not accept the token");
      RemoteUrl remote = bitbucket.validate("https://bitbucket.org/acme/nope");
      assertThatThrownBy(() -> client.openPullRequest(OpenPullRequest.of(remote, "f", "main", "t")))
          .isInstanceOf(NotFoundException.class).hasMessageContaining("Repository acme/nope not found");
      assertThatThrownBy(() -> client.createRepository(CreateRepository.named("shop").inOwner("acme")))
          .isInstanceOf(ConflictException.class).hasMessageContaining("Slug and Owner already exists");
    }
    mock.take("GET", "/2.0/user");
    mock.take("POST", "/2.0/repositories/acme/nope/pullrequests");
    assertJsonBody(mock.take("POST", "/2.0/repositories/acme/shop"), "{\"scm\":\"git\",\"is_private\":true}");
  }

  @Test
  void httpsUserIsTheStaticApiTokenUserUnlessOneIsStored() {
    assertThat(bitbucket.httpsCredentials(new GitCredentials(null, "alice@example.com", Secret.of(TOKEN))).username())
        .isEqualTo("x-bitbucket-api-token-auth");
    assertThat(bitbucket.httpsCredentials(GitCredentials.of("x-token-auth", Secret.of(TOKEN))).username())
        .isEqualTo("x-token-auth");
  }
}
