package io.prophecy.sdk.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prophecy.sdk.InvalidInputException;
import io.prophecy.sdk.NotFoundException;
import io.prophecy.sdk.Project;
import io.prophecy.sdk.Prophecy;
import io.prophecy.sdk.ProphecySession;
import io.prophecy.sdk.Team;
import io.prophecy.sdk.git.provider.ProviderKind;
import io.prophecy.sdk.model.ProjectSpec;
import io.prophecy.sdk.model.Role;
import io.prophecy.sdk.model.Secret;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The user name JGit sends beside a token, per Git hosting provider, as the embedded JGit HTTP server's
 * basic-auth filter sees it: each provider is registered on the code store at a base URL of that server
 * (as a GitHub Enterprise Server, a self-managed GitLab... would be), and a repository is served at the
 * provider's own clone-URL form below it.
 */
class GitProviderUsernameTest {
  private static final String ALICE_TOKEN = "tokenOfAlice_0123456789abcdef";
  private static final String BOB_TOKEN = "tokenOfBob_fedcba9876543210";

  @TempDir Path tmp;
  private GitHttpServer server;
  private Prophecy prophecy;

  @BeforeEach
  void start() throws Exception {
    server = new GitHttpServer(Files.createDirectories(tmp.resolve("server"))).allowToken(ALICE_TOKEN);
  }

  @AfterEach
  void stop() throws Exception {
    if (prophecy != null) {
      prophecy.close();
    }
    server.close();
  }

  /** Where a provider sits on the test server, its clone-URL form, and the user name it sends without a stored one. */
  private record Layout(String basePath, String repoPath, String urlPath, Optional<String> defaultUser, String hint) {}

  private static Layout layout(ProviderKind kind) {
    return switch (kind) {
      case GITHUB -> new Layout("github", "github/acme/shop", "acme/shop.git", Optional.empty(), "GitHub login");
      case GITLAB -> new Layout("gitlab", "gitlab/data/analytics/shop", "data/analytics/shop.git", Optional.of("oauth2"), "");
      case BITBUCKET_CLOUD -> new Layout("bitbucket", "bitbucket/acme/shop", "acme/shop.git",
          Optional.of("x-bitbucket-api-token-auth"), "");
      case BITBUCKET_SERVER -> new Layout("bitbucket-server", "bitbucket-server/scm/DATA/shop", "scm/DATA/shop.git",
          Optional.empty(), "Bitbucket user name");
      case AZURE_DEVOPS -> new Layout("tfs", "tfs/acme/Data/_git/shop", "acme/Data/_git/shop", Optional.of(""), "");
      case GITEA -> new Layout("gitea", "gitea/acme/shop", "acme/shop.git", Optional.empty(), "Gitea login");
    };
  }

  private String baseUrl(Layout l) {
    return server.base() + "/" + l.basePath();
  }

  private Team sharedTeam(ProphecySession alice) {
    Team team = alice.teams().create("analytics");
    team.members().add("bob@example.com", Role.MEMBER);
    return team;
  }

  @ParameterizedTest
  @EnumSource(ProviderKind.class)
  void theUserNameSentWithATokenFollowsTheProviderAndAStoredOneWins(ProviderKind kind) throws Exception {
    Layout l = layout(kind);
    GitFixtures.seed(server.createBare(l.repoPath()), "git_shop", tmp.resolve("seed"));
    String url = baseUrl(l) + "/" + l.urlPath();
    String stored = "bob-on-" + kind.id();
    server.allow(stored, BOB_TOKEN);
    prophecy = Prophecy.builder().home(tmp.resolve("home"))
        .codeStore(new JGitCodeStore().withHost(kind, baseUrl(l))).build();
    prophecy.users().create("alice@example.com");
    prophecy.users().create("bob@example.com");
    ProphecySession alice = prophecy.as("alice@example.com");
    ProphecySession bob = prophecy.as("bob@example.com");
    Team team = sharedTeam(alice);
    alice.gitCredentials().set(server.host(), Secret.of(ALICE_TOKEN));
    bob.gitCredentials().set(server.host(), stored, Secret.of(BOB_TOKEN));

    // A token alone: the provider's user name, or a refusal saying what to store, before any request.
    if (l.defaultUser().isPresent()) {
      Project shop = team.projects().clone("shop", url);
      assertThat(shop.pipelines().list()).extracting(p -> p.name()).containsExactly("daily_orders");
      assertThat(server.users).isNotEmpty().containsOnly(l.defaultUser().get());
    } else {
      assertThatThrownBy(() -> team.projects().clone("shop", url))
          .isInstanceOfSatisfying(InvalidInputException.class, e -> {
            assertThat(e.location()).isEqualTo("gitCredentials.username");
            assertThat(e.getMessage()).contains(kind.displayName() + " at " + server.host())
                .contains("needs your " + l.hint())
                .contains("session.gitCredentials().set(\"" + server.host() + "\", \"<" + l.hint() + ">\", token)")
                .doesNotContain(ALICE_TOKEN);
          });
      assertThat(server.requests).isEmpty();
      assertThatThrownBy(() -> team.projects().get("shop")).isInstanceOf(NotFoundException.class);
      assertThat(prophecy.auditLog(50)).noneMatch(e -> e.action().equals("credential.use"));
    }

    // A stored user name wins, for the clone and for the push.
    server.users.clear();
    Team bobs = bob.teams().get("analytics");
    Project bobShop = bobs.projects().clone(ProjectSpec.builder().name("bob-shop").gitRemote(url)
        .workingCopy(tmp.resolve("bob-shop")).build());
    bobShop.datasets().create(io.prophecy.sdk.model.DatasetSpec.builder().name("customers").format("csv")
        .path("data/customers.csv").build());
    bobShop.git().commit("Customers");
    bobShop.git().push();
    assertThat(server.users).containsOnly(stored);
    assertThat(server.requests).anyMatch(r -> r.contains("git-receive-pack") && r.endsWith(" " + stored + " 200"));
    try (var git = server.open(l.repoPath())) {
      assertThat(git.log().setMaxCount(1).call().iterator().next().getFullMessage()).isEqualTo("Customers");
    }
  }

  @Test
  void aHostApplicationsUserNameHookWinsOverTheProviderConvention() throws Exception {
    Layout l = layout(ProviderKind.GITHUB);
    GitFixtures.seed(server.createBare(l.repoPath()), "git_shop", tmp.resolve("seed"));
    prophecy = Prophecy.builder().home(tmp.resolve("home")).codeStore(new JGitCodeStore()
        .withHost(ProviderKind.GITHUB, baseUrl(l)).withTokenUsernames(host -> "x-access-token")).build();
    prophecy.users().create("alice@example.com");
    ProphecySession alice = prophecy.as("alice@example.com");
    alice.gitCredentials().set(server.host(), Secret.of(ALICE_TOKEN));
    alice.personalTeam().projects().clone("shop", baseUrl(l) + "/" + l.urlPath());
    assertThat(server.users).isNotEmpty().containsOnly("x-access-token");
  }

  @Test
  void theStoreServiceLoaderFindsKnowsThePublicHosts() {
    JGitCodeStore store = new JGitCodeStore();
    assertThat(store.tokenUsername("gitlab.com", "https://gitlab.com/data/shop.git")).isEqualTo("oauth2");
    assertThat(store.tokenUsername("bitbucket.org", "https://bitbucket.org/acme/shop.git"))
        .isEqualTo("x-bitbucket-api-token-auth");
    assertThat(store.tokenUsername("dev.azure.com", "https://dev.azure.com/acme/Data/_git/shop")).isEmpty();
    assertThat(store.tokenUsername("acme.visualstudio.com", "https://acme.visualstudio.com/Data/_git/shop")).isEmpty();
    assertThatThrownBy(() -> store.tokenUsername("github.com", "https://github.com/acme/shop.git"))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("needs your GitHub login");
    assertThat(store.tokenUsername("git.example.com", "https://git.example.com/shop.git")).isEqualTo("git");
    assertThat(store.tokenUsername("git.example.com")).isEqualTo("git");
  }

  @Test
  void theDiscoveredStoreChecksPublicProviderUrlsBeforeWritingAnything() throws Exception {
    prophecy = Prophecy.builder().home(tmp.resolve("home")).build(); // the store ServiceLoader finds
    prophecy.users().create("alice@example.com");
    ProphecySession alice = prophecy.as("alice@example.com");
    Team team = alice.personalTeam();
    Path dir = tmp.resolve("made");

    assertThatThrownBy(() -> team.projects().create(ProjectSpec.builder().name("shop")
        .gitRemote("https://github.com/acme/shop/tree/main").workingCopy(dir).build()))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.getMessage())
            .contains("'https://github.com/acme/shop/tree/main'").contains("looks like a page of the repository")
            .contains("https://github.com/OWNER/REPO.git"));
    assertThat(dir).doesNotExist();
    assertThatThrownBy(() -> team.projects().get("shop")).isInstanceOf(NotFoundException.class);

    assertThatThrownBy(() -> team.projects().clone(ProjectSpec.builder().name("shop")
        .gitRemote("https://gitlab.com/data/shop/-/tree/main").workingCopy(dir).build()))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("is a page of a project");
    assertThatThrownBy(() -> team.projects().clone("shop", "https://dev.azure.com/acme/Data/shop"))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("has no /_git/ before the repository");
    assertThatThrownBy(() -> team.projects().clone("shop", "http://github.com/acme/shop.git"))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("uses http");
    assertThat(dir).doesNotExist();
    assertThat(team.projects().list()).isEmpty();

    // A token alone for github.com: refused with what to store, before any connection.
    alice.gitCredentials().set("github.com", Secret.of("ghp_onlyAToken_0000"));
    assertThatThrownBy(() -> team.projects().clone(ProjectSpec.builder().name("shop")
        .gitRemote("https://github.com/acme/shop.git").workingCopy(dir).build()))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.getMessage())
            .contains("GitHub at github.com needs your GitHub login")
            .contains("session.gitCredentials().set(\"github.com\", \"<GitHub login>\", token)")
            .doesNotContain("ghp_onlyAToken_0000"));
    assertThat(dir).doesNotExist();
  }

  @Test
  void credentialsInARemoteUrlAreRefusedAndNeverShown() throws Exception {
    Layout l = layout(ProviderKind.GITHUB);
    GitFixtures.seed(server.createBare(l.repoPath()), "git_shop", tmp.resolve("seed"));
    prophecy = Prophecy.builder().home(tmp.resolve("home"))
        .codeStore(new JGitCodeStore().withHost(ProviderKind.GITHUB, baseUrl(l))).build();
    prophecy.users().create("alice@example.com");
    Team team = prophecy.as("alice@example.com").personalTeam();
    String secret = "ghp_inTheUrl_5555";
    String withPassword = baseUrl(l).replace("http://", "http://alice:" + secret + "@") + "/" + l.urlPath();
    String withUser = baseUrl(l).replace("http://", "http://alice-login@") + "/" + l.urlPath();
    for (String url : List.of(withPassword, withUser)) {
      for (boolean clone : List.of(true, false)) {
        assertThatThrownBy(() -> {
          ProjectSpec spec = ProjectSpec.builder().name("shop").gitRemote(url).workingCopy(tmp.resolve("wc")).build();
          if (clone) {
            team.projects().clone(spec);
          } else {
            team.projects().create(spec);
          }
        }).isInstanceOfSatisfying(InvalidInputException.class, e -> {
          for (Throwable t = e; t != null; t = t.getCause()) {
            assertThat(String.valueOf(t.getMessage())).doesNotContain(secret).doesNotContain("alice-login");
          }
        });
        assertThat(tmp.resolve("wc")).doesNotExist();
      }
    }
    assertThatThrownBy(() -> team.projects().clone("shop", withUser)).hasMessageContaining("has user info before the host");
    assertThat(server.requests).isEmpty();
    assertThat(prophecy.auditLog(100)).allSatisfy(e -> assertThat(e.toString()).doesNotContain(secret));
  }

  @Test
  void aSelfHostedProviderRefusesUrlsOfAnotherFormOnItsHost() throws Exception {
    Layout l = layout(ProviderKind.BITBUCKET_SERVER);
    prophecy = Prophecy.builder().home(tmp.resolve("home"))
        .codeStore(new JGitCodeStore().withHost(ProviderKind.BITBUCKET_SERVER, baseUrl(l))).build();
    prophecy.users().create("alice@example.com");
    Team team = prophecy.as("alice@example.com").personalTeam();
    assertThatThrownBy(() -> team.projects().clone("shop", baseUrl(l) + "/projects/DATA/repos/shop/browse"))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("is a page of the repository");
    assertThatThrownBy(() -> team.projects().clone("shop", baseUrl(l) + "/DATA/shop.git"))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("does not start with /scm/");
    // The provider's host outside its base path: a URL missing the context path, refused as such.
    assertThatThrownBy(() -> team.projects().clone("shop", server.url("scm/DATA/shop")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("is not under the base URL " + baseUrl(l) + " of Bitbucket Server");
    assertThat(team.projects().list()).isEmpty();
    assertThat(server.requests).isEmpty();
  }
}
