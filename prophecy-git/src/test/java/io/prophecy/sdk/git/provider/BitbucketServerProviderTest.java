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

/**
 * Bitbucket Data Center's REST API 1.0 as developer.atlassian.com/server/bitbucket/rest shows it, on a server with
 * the context path /bitbucket.
 */
class BitbucketServerProviderTest {
  private static final String APP_PROPERTIES = "{\"version\":\"8.19.1\",\"buildNumber\":\"8019001\","
      + "\"buildDate\":\"1714000000000\",\"displayName\":\"Bitbucket\"}";

  private ProviderMockServer mock;
  private GitProvider server;
  private ProviderClient client;

  @BeforeEach
  void start() throws Exception {
    mock = new ProviderMockServer();
    server = GitProviders.builder().host(ProviderKind.BITBUCKET_SERVER, mock.url("/bitbucket")).build()
        .provider(mock.url("/bitbucket/scm/DATA/shop.git"));
    client = server.client(GitCredentials.of("jdoe", Secret.of(TOKEN)), mock.options());
  }

  @AfterEach
  void stop() {
    client.close();
    mock.close();
  }

  private static void assertBearer(RecordedRequest r) {
    assertThat(r.getHeaders().get("Authorization")).isEqualTo("Bearer " + TOKEN);
    assertThat(r.getHeaders().get("Accept")).isEqualTo("application/json");
  }

  @Test
  void whoamiReadsTheAuthenticatedUserFromTheAnswersHeaders() throws Exception {
    mock.enqueue(200, APP_PROPERTIES, "X-AUSERNAME", "jdoe", "X-AUSERID", "101");

    assertThat(client.whoami()).isEqualTo(new Account("jdoe", null, "101"));
    RecordedRequest r = mock.take("GET", "/bitbucket/rest/api/1.0/application-properties");
    assertBearer(r);
    assertNoBody(r);
  }

  @Test
  void anAnonymousAnswerMeansTheTokenWasNotAccepted() {
    mock.enqueue(200, APP_PROPERTIES);
    assertThatThrownBy(client::whoami).isInstanceOf(PermissionDeniedException.class)
        .hasMessageContaining("answered who am I anonymously (no X-AUSERNAME header)").hasMessageNotContaining(TOKEN);
  }

  @Test
  void createsARepositoryInAProject() throws Exception {
    mock.enqueue(201, "{\"slug\":\"shop\",\"id\":1,\"name\":\"shop\",\"scmId\":\"git\",\"state\":\"AVAILABLE\","
        + "\"forkable\":true,\"project\":{\"key\":\"DATA\",\"id\":1,\"name\":\"Data\"},\"public\":false,"
        + "\"links\":{\"clone\":[{\"href\":\"ssh://git@bitbucket.acme:7999/data/shop.git\",\"name\":\"ssh\"},"
        + "{\"href\":\"https://jdoe@bitbucket.acme/bitbucket/scm/data/shop.git\",\"name\":\"http\"}],"
        + "\"self\":[{\"href\":\"https://bitbucket.acme/bitbucket/projects/DATA/repos/shop/browse\"}]}}");

    Repository repo = client.createRepository(CreateRepository.named("shop").inOwner("DATA")
        .withDescription("Prophecy project"));

    assertThat(repo).isEqualTo(new Repository(ProviderKind.BITBUCKET_SERVER, "DATA", null, "shop",
        "https://bitbucket.acme/bitbucket/scm/data/shop.git",
        "https://bitbucket.acme/bitbucket/projects/DATA/repos/shop/browse", true));
    RecordedRequest r = mock.take("POST", "/bitbucket/rest/api/1.0/projects/DATA/repos");
    assertBearer(r);
    assertJsonBody(r, "{\"name\":\"shop\",\"scmId\":\"git\",\"forkable\":true,\"public\":false,"
        + "\"description\":\"Prophecy project\"}");
  }

  @Test
  void createsAPersonalRepositoryUnderTheUsersTildeProject() throws Exception {
    mock.enqueue(200, APP_PROPERTIES, "X-AUSERNAME", "jdoe", "X-AUSERID", "101");
    mock.enqueue(201, "{\"slug\":\"shop\",\"name\":\"shop\",\"project\":{\"key\":\"~JDOE\",\"type\":\"PERSONAL\"},"
        + "\"public\":false,\"links\":{\"self\":[{\"href\":\"https://bitbucket.acme/bitbucket/users/jdoe/repos/shop/browse\"}]}}");

    Repository repo = client.createRepository(CreateRepository.named("shop"));

    assertThat(repo.owner()).isEqualTo("~JDOE");
    assertThat(repo.cloneUrl()).isEqualTo(mock.url("/bitbucket/scm/~JDOE/shop.git"));
    mock.take("GET", "/bitbucket/rest/api/1.0/application-properties");
    RecordedRequest r = mock.take("POST", "/bitbucket/rest/api/1.0/projects/~jdoe/repos");
    assertJsonBody(r, "{\"name\":\"shop\",\"scmId\":\"git\",\"forkable\":true,\"public\":false}");
  }

  @Test
  void opensAPullRequestBetweenRefsOfTheRepository() throws Exception {
    mock.enqueue(201, "{\"id\":12,\"version\":0,\"title\":\"Daily revenue\",\"state\":\"OPEN\",\"open\":true,"
        + "\"links\":{\"self\":[{\"href\":\"https://bitbucket.acme/bitbucket/projects/DATA/repos/shop/pull-requests/12\"}]}}");
    RemoteUrl remote = server.validate(mock.url("/bitbucket/scm/DATA/shop.git"));

    PullRequest pr = client.openPullRequest(OpenPullRequest.of(remote, "feature/revenue", "main", "Daily revenue")
        .withDescription("Adds the pipeline"));

    assertThat(pr).isEqualTo(new PullRequest(12, "Daily revenue", "OPEN",
        "https://bitbucket.acme/bitbucket/projects/DATA/repos/shop/pull-requests/12"));
    RecordedRequest r = mock.take("POST", "/bitbucket/rest/api/1.0/projects/DATA/repos/shop/pull-requests");
    assertBearer(r);
    assertJsonBody(r, "{\"title\":\"Daily revenue\",\"description\":\"Adds the pipeline\","
        + "\"fromRef\":{\"id\":\"refs/heads/feature/revenue\",\"repository\":{\"slug\":\"shop\",\"project\":{\"key\":\"DATA\"}}},"
        + "\"toRef\":{\"id\":\"refs/heads/main\",\"repository\":{\"slug\":\"shop\",\"project\":{\"key\":\"DATA\"}}}}");
  }

  @Test
  void errorsCarryBitbucketsMessages() throws Exception {
    mock.enqueue(401, "{\"errors\":[{\"context\":null,\"message\":\"Authentication failed. Please check your "
        + "credentials and try again.\",\"exceptionName\":\"com.atlassian.bitbucket.auth.IncorrectPasswordAuthenticationException\"}]}");
    mock.enqueue(404, "{\"errors\":[{\"context\":null,\"message\":\"Project NOPE does not exist.\","
        + "\"exceptionName\":\"com.atlassian.bitbucket.project.NoSuchProjectException\"}]}");
    mock.enqueue(409, "{\"errors\":[{\"context\":\"name\",\"message\":\"This repository URL is already taken.\","
        + "\"exceptionName\":null}]}");

    assertThatThrownBy(() -> client.createRepository(CreateRepository.named("shop").inOwner("DATA")))
        .isInstanceOf(PermissionDeniedException.class).hasMessageContaining("Authentication failed");
    assertThatThrownBy(() -> client.createRepository(CreateRepository.named("shop").inOwner("NOPE")))
        .isInstanceOf(NotFoundException.class).hasMessageContaining("Project NOPE does not exist.");
    assertThatThrownBy(() -> client.createRepository(CreateRepository.named("shop").inOwner("DATA")))
        .isInstanceOf(ConflictException.class).hasMessageContaining("This repository URL is already taken.");
    assertBearer(mock.take("POST", "/bitbucket/rest/api/1.0/projects/DATA/repos"));
    assertBearer(mock.take("POST", "/bitbucket/rest/api/1.0/projects/NOPE/repos"));
    assertJsonBody(mock.take("POST", "/bitbucket/rest/api/1.0/projects/DATA/repos"),
        "{\"name\":\"shop\",\"scmId\":\"git\",\"forkable\":true,\"public\":false}");
  }

  @Test
  void httpsUserIsTheBitbucketUserName() {
    assertThat(server.httpsCredentials(GitCredentials.of("jdoe", Secret.of(TOKEN))).username()).isEqualTo("jdoe");
    assertThatThrownBy(() -> server.httpsCredentials(GitCredentials.token(Secret.of(TOKEN))))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("expects your Bitbucket user name");
  }
}
