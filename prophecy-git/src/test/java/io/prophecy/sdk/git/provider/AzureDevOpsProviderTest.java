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
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Azure DevOps REST API 7.1 as learn.microsoft.com/rest/api/azure/devops shows it (Profiles - Get, Projects - Get,
 * Repositories - Create, Pull Requests - Create), with an organization URL and the profile service both on a
 * MockWebServer.
 */
class AzureDevOpsProviderTest {
  private ProviderMockServer mock;
  private GitProvider azure;
  private ProviderClient client;

  @BeforeEach
  void start() throws Exception {
    mock = new ProviderMockServer();
    azure = GitProviders.builder().host(ProviderKind.AZURE_DEVOPS, mock.url(""), mock.url("/vssps")).build()
        .provider(mock.url("/fabrikam/Fabrikam-Fiber-Git/_git/shop"));
    client = azure.client(GitCredentials.token(Secret.of(TOKEN)), mock.options());
  }

  @AfterEach
  void stop() {
    client.close();
    mock.close();
  }

  private static void assertAzureHeaders(RecordedRequest r) {
    String basic = Base64.getEncoder().encodeToString((":" + TOKEN).getBytes(StandardCharsets.UTF_8));
    assertThat(r.getHeaders().get("Authorization")).isEqualTo("Basic " + basic);
    assertThat(r.getHeaders().get("Accept")).isEqualTo("application/json");
  }

  @Test
  void whoamiReadsTheProfile() throws Exception {
    mock.enqueue(200, "{\"displayName\":\"Jamal Hartnett\",\"publicAlias\":\"d6245f20-2af8-44f4-9451-8107cb2767db\","
        + "\"emailAddress\":\"fabrikamfiber4@hotmail.com\",\"coreRevision\":1647,"
        + "\"id\":\"d6245f20-2af8-44f4-9451-8107cb2767db\"}");

    assertThat(client.whoami()).isEqualTo(new Account("fabrikamfiber4@hotmail.com", "Jamal Hartnett",
        "d6245f20-2af8-44f4-9451-8107cb2767db"));
    RecordedRequest r = mock.take("GET", "/vssps/_apis/profile/profiles/me?api-version=7.1");
    assertAzureHeaders(r);
    assertNoBody(r);
  }

  @Test
  void createsARepositoryInAProjectByItsId() throws Exception {
    mock.enqueue(200, "{\"id\":\"6ce954b1-ce1f-45d1-b94d-e6bf2464ba2c\",\"name\":\"Fabrikam-Fiber-Git\","
        + "\"state\":\"wellFormed\",\"visibility\":\"private\"}");
    mock.enqueue(201, "{\"id\":\"5febef5a-833d-4e14-b9c0-14cb638f91e6\",\"name\":\"shop\","
        + "\"project\":{\"id\":\"6ce954b1-ce1f-45d1-b94d-e6bf2464ba2c\",\"name\":\"Fabrikam-Fiber-Git\"},"
        + "\"remoteUrl\":\"https://dev.azure.com/fabrikam/Fabrikam-Fiber-Git/_git/shop\","
        + "\"webUrl\":\"https://dev.azure.com/fabrikam/Fabrikam-Fiber-Git/_git/shop\"}");

    Repository repo = client.createRepository(CreateRepository.named("shop").inOwner("fabrikam")
        .inProject("Fabrikam-Fiber-Git"));

    assertThat(repo).isEqualTo(new Repository(ProviderKind.AZURE_DEVOPS, "fabrikam", "Fabrikam-Fiber-Git", "shop",
        "https://dev.azure.com/fabrikam/Fabrikam-Fiber-Git/_git/shop",
        "https://dev.azure.com/fabrikam/Fabrikam-Fiber-Git/_git/shop", true));
    RecordedRequest lookup = mock.take("GET", "/fabrikam/_apis/projects/Fabrikam-Fiber-Git?api-version=7.1");
    assertAzureHeaders(lookup);
    RecordedRequest create = mock.take("POST", "/fabrikam/Fabrikam-Fiber-Git/_apis/git/repositories?api-version=7.1");
    assertAzureHeaders(create);
    assertJsonBody(create, "{\"name\":\"shop\",\"project\":{\"id\":\"6ce954b1-ce1f-45d1-b94d-e6bf2464ba2c\"}}");
  }

  @Test
  void organizationAndProjectAreRequired() {
    assertThatThrownBy(() -> client.createRepository(CreateRepository.named("shop").inProject("p")))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("inOwner(org)");
    assertThatThrownBy(() -> client.createRepository(CreateRepository.named("shop").inOwner("fabrikam")))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("inProject(project)");
    assertThat(mock.server.getRequestCount()).isZero();
  }

  @Test
  void opensAPullRequestWithFullRefNames() throws Exception {
    mock.enqueue(201, "{\"pullRequestId\":22,\"status\":\"active\",\"title\":\"Daily revenue\","
        + "\"sourceRefName\":\"refs/heads/feature/revenue\",\"targetRefName\":\"refs/heads/main\","
        + "\"repository\":{\"id\":\"3411ebc1-d5aa-464f-9615-0b527bc66719\",\"name\":\"shop\","
        + "\"webUrl\":\"https://dev.azure.com/fabrikam/Fabrikam%20Fiber/_git/shop\"}}");
    RemoteUrl remote = azure.validate(mock.url("/fabrikam/Fabrikam%20Fiber/_git/shop"));
    assertThat(remote.project()).isEqualTo("Fabrikam Fiber");

    PullRequest pr = client.openPullRequest(OpenPullRequest.of(remote, "feature/revenue", "main", "Daily revenue")
        .withDescription("Adds the pipeline"));

    assertThat(pr).isEqualTo(new PullRequest(22, "Daily revenue", "active",
        "https://dev.azure.com/fabrikam/Fabrikam%20Fiber/_git/shop/pullrequest/22"));
    RecordedRequest r = mock.take("POST",
        "/fabrikam/Fabrikam%20Fiber/_apis/git/repositories/shop/pullrequests?api-version=7.1");
    assertAzureHeaders(r);
    assertJsonBody(r, "{\"sourceRefName\":\"refs/heads/feature/revenue\",\"targetRefName\":\"refs/heads/main\","
        + "\"title\":\"Daily revenue\",\"description\":\"Adds the pipeline\"}");
  }

  @Test
  void errorsCarryAzureMessages() throws Exception {
    mock.enqueue(401, null);
    mock.enqueue(404, "{\"$id\":\"1\",\"innerException\":null,\"message\":\"TF200016: The following project does not "
        + "exist: Nope. Verify that the name of the project is correct and that the project exists on the specified "
        + "Azure DevOps Server.\",\"typeName\":\"Microsoft.TeamFoundation.Core.WebApi.ProjectDoesNotExistWithNameException\","
        + "\"typeKey\":\"ProjectDoesNotExistWithNameException\",\"errorCode\":0,\"eventId\":3000}");
    mock.enqueue(200, "{\"id\":\"6ce954b1\",\"name\":\"p\",\"visibility\":\"private\"}");
    mock.enqueue(409, "{\"$id\":\"1\",\"innerException\":null,\"message\":\"TF400948: A Git repository with the name "
        + "shop already exists.\",\"typeName\":\"Microsoft.TeamFoundation.Git.Server.GitRepositoryNameAlreadyExistsException\","
        + "\"typeKey\":\"GitRepositoryNameAlreadyExistsException\",\"errorCode\":0,\"eventId\":3000}");

    assertThatThrownBy(client::whoami).isInstanceOf(PermissionDeniedException.class)
        .hasMessageContaining("did not accept the token");
    assertThatThrownBy(() -> client.createRepository(CreateRepository.named("shop").inOwner("fabrikam").inProject("Nope")))
        .isInstanceOf(NotFoundException.class).hasMessageContaining("TF200016");
    assertThatThrownBy(() -> client.createRepository(CreateRepository.named("shop").inOwner("fabrikam").inProject("p")))
        .isInstanceOf(ConflictException.class).hasMessageContaining("TF400948");
    assertAzureHeaders(mock.take("GET", "/vssps/_apis/profile/profiles/me?api-version=7.1"));
    assertAzureHeaders(mock.take("GET", "/fabrikam/_apis/projects/Nope?api-version=7.1"));
    mock.take("GET", "/fabrikam/_apis/projects/p?api-version=7.1");
    assertJsonBody(mock.take("POST", "/fabrikam/p/_apis/git/repositories?api-version=7.1"),
        "{\"name\":\"shop\",\"project\":{\"id\":\"6ce954b1\"}}");
  }

  @Test
  void aSignInPageInsteadOfJsonMeansTheTokenWasRefused() {
    mock.server.enqueue(new MockResponse.Builder().code(203).addHeader("Content-Type", "text/html; charset=utf-8")
        .body("<html><head><title>Azure DevOps Services | Sign In</title></head></html>").build());
    assertThatThrownBy(client::whoami).isInstanceOf(PermissionDeniedException.class)
        .hasMessageContaining("sign-in page (HTTP 203)");
  }

  @Test
  void httpsUserIsEmptyAsForTheRestApiUnlessOneIsStored() {
    HttpsCredentials https = azure.httpsCredentials(GitCredentials.token(Secret.of(TOKEN)));
    assertThat(https.username()).isEmpty();
    assertThat(https.basicAuthorization()).isEqualTo("Basic "
        + Base64.getEncoder().encodeToString((":" + TOKEN).getBytes(StandardCharsets.UTF_8)));
  }
}
