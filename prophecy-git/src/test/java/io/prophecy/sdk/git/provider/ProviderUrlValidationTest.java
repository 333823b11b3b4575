package io.prophecy.sdk.git.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prophecy.sdk.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Remote URLs of every provider, public and self-hosted, and the refusals of malformed ones. */
class ProviderUrlValidationTest {
  private static final GitProviders PROVIDERS = GitProviders.builder()
      .host(ProviderKind.GITHUB, "https://github.acme.example")
      .host(ProviderKind.GITLAB, "https://gitlab.acme.example/")
      .host(ProviderKind.BITBUCKET_SERVER, "https://git.acme.example/bitbucket")
      .host(ProviderKind.GITEA, "https://git.acme.example")
      .host(ProviderKind.AZURE_DEVOPS, "https://tfs.acme.example/tfs")
      .build();

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
      https://github.com/octocat/Hello-World.git             | GITHUB           | https://github.com              | octocat          | -              | Hello-World | https://github.com/octocat/Hello-World.git
      https://github.com/octocat/Hello-World                 | GITHUB           | https://github.com              | octocat          | -              | Hello-World | https://github.com/octocat/Hello-World.git
      https://GitHub.com/octocat/Hello-World.git/            | GITHUB           | https://github.com              | octocat          | -              | Hello-World | https://github.com/octocat/Hello-World.git
      https://github.acme.example/data/shop.git              | GITHUB           | https://github.acme.example     | data             | -              | shop        | https://github.acme.example/data/shop.git
      https://gitlab.com/gitlab-org/gitlab.git               | GITLAB           | https://gitlab.com              | gitlab-org       | -              | gitlab      | https://gitlab.com/gitlab-org/gitlab.git
      https://gitlab.acme.example/data/etl/shop.git          | GITLAB           | https://gitlab.acme.example     | data/etl         | -              | shop        | https://gitlab.acme.example/data/etl/shop.git
      https://bitbucket.org/acme/shop.git                    | BITBUCKET_CLOUD  | https://bitbucket.org           | acme             | -              | shop        | https://bitbucket.org/acme/shop.git
      https://alice@bitbucket.org/acme/shop.git              | BITBUCKET_CLOUD  | https://bitbucket.org           | acme             | -              | shop        | https://bitbucket.org/acme/shop.git
      https://git.acme.example/bitbucket/scm/DATA/shop.git   | BITBUCKET_SERVER | https://git.acme.example/bitbucket | DATA          | -              | shop        | https://git.acme.example/bitbucket/scm/DATA/shop.git
      https://git.acme.example/bitbucket/scm/~jdoe/shop.git  | BITBUCKET_SERVER | https://git.acme.example/bitbucket | ~jdoe         | -              | shop        | https://git.acme.example/bitbucket/scm/~jdoe/shop.git
      https://git.acme.example/data/shop.git                 | GITEA            | https://git.acme.example        | data             | -              | shop        | https://git.acme.example/data/shop.git
      https://dev.azure.com/fabrikam/Fabrikam%20Fiber/_git/shop | AZURE_DEVOPS  | https://dev.azure.com           | fabrikam         | Fabrikam Fiber | shop        | https://dev.azure.com/fabrikam/Fabrikam%20Fiber/_git/shop
      https://fabrikam@dev.azure.com/fabrikam/Fiber/_git/shop   | AZURE_DEVOPS  | https://dev.azure.com           | fabrikam         | Fiber          | shop        | https://dev.azure.com/fabrikam/Fiber/_git/shop
      https://dev.azure.com/fabrikam/_git/shop               | AZURE_DEVOPS     | https://dev.azure.com           | fabrikam         | shop           | shop        | https://dev.azure.com/fabrikam/shop/_git/shop
      https://fabrikam.visualstudio.com/Fiber/_git/shop      | AZURE_DEVOPS     | https://fabrikam.visualstudio.com | fabrikam       | Fiber          | shop        | https://fabrikam.visualstudio.com/Fiber/_git/shop
      https://fabrikam.visualstudio.com/DefaultCollection/Fiber/_git/shop | AZURE_DEVOPS | https://fabrikam.visualstudio.com | fabrikam | Fiber       | shop        | https://fabrikam.visualstudio.com/Fiber/_git/shop
      https://tfs.acme.example/tfs/DefaultCollection/Fiber/_git/shop | AZURE_DEVOPS | https://tfs.acme.example/tfs | DefaultCollection | Fiber         | shop        | https://tfs.acme.example/tfs/DefaultCollection/Fiber/_git/shop
      """)
  void resolvesEachProvidersCloneUrls(String url, ProviderKind kind, String base, String owner, String project,
      String name, String https) {
    RemoteUrl remote = PROVIDERS.resolve(url);

    assertThat(remote).isEqualTo(new RemoteUrl(kind, base, owner, project, name, https));
    assertThat(PROVIDERS.provider(remote).kind()).isEqualTo(kind);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(delimiter = '|', textBlock = """
      ''                                                   | the remote URL is empty
      not a url                                            | is not a URL
      github.com/octocat/Hello-World                       | is not an absolute URL with a host
      git@github.com:octocat/Hello-World.git               | is an SSH or git:// URL; personal access tokens work over HTTPS only
      ssh://git@github.com/octocat/Hello-World.git         | is an SSH or git:// URL
      ftp://github.com/octocat/Hello-World.git             | uses the scheme 'ftp'
      http://github.com/octocat/Hello-World.git            | uses http, but GitHub at github.com is served over https
      https://github.com/octocat/Hello-World.git?ref=main  | has a query or fragment
      https://unknown.example/octocat/Hello-World.git      | is on unknown.example, which is not a known Git provider host
      https://github.com/                                  | has no owner and repository; a GitHub clone URL is https://github.com/OWNER/REPO.git
      https://github.com/octocat                           | has no repository after the owner 'octocat'
      https://github.com/octocat/Hello-World/tree/main     | looks like a page of the repository
      https://github.com/-octocat/Hello-World              | has the owner '-octocat', which is not valid
      https://gitlab.com/group                             | has no project after the namespace 'group'
      https://gitlab.com/group/project/-/tree/main         | is a page of a project (it has '/-/' in its path)
      https://bitbucket.org/acme                           | has no repository after the workspace 'acme'
      https://git.acme.example/bitbucket/projects/DATA/repos/shop/browse | is a page of the repository, not its clone URL
      https://git.acme.example/bitbucket/scm/DATA          | has no repository after the project 'DATA'
      https://git.acme.example/bitbucket/DATA/shop.git     | does not start with /scm/ below the base URL
      https://git.acme.example/data                        | has no repository after the owner 'data'
      https://dev.azure.com/fabrikam/Fiber/shop            | has no /_git/ before the repository
      https://dev.azure.com/fabrikam/Fiber/_git/shop/pullrequest/1 | has more after /_git/REPO
      https://dev.azure.com/fabrikam/Fiber/_git            | has no repository after /_git/
      https://someone@dev.azure.com/fabrikam/Fiber/_git/shop | has user info before the host
      """)
  void refusesMalformedUrlsSayingWhatIsWrong(String url, String message) {
    assertThatThrownBy(() -> PROVIDERS.resolve(url)).isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("remoteUrl: ").hasMessageContaining(message);
  }

  @Test
  void credentialsInTheUrlAreRefusedWithoutEchoingThem() {
    assertThatThrownBy(() -> PROVIDERS.resolve("https://octocat:ghp_s3cretToken@github.com/octocat/Hello-World.git"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("carries credentials")
        .hasMessageContaining("https://****@github.com/octocat/Hello-World.git")
        .hasMessageNotContaining("ghp_s3cretToken").hasMessageNotContaining("octocat:");
    // GitHub also takes a token as the user name alone: refused as user info, and not shown either.
    assertThatThrownBy(() -> PROVIDERS.resolve("https://ghp_s3cretToken@github.com/octocat/Hello-World.git"))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("has user info before the host")
        .hasMessageNotContaining("ghp_s3cretToken");
    assertThatThrownBy(() -> PROVIDERS.resolve("git@github.com:octocat/x.git")).hasMessageContaining("'****@github.com:");
  }

  @Test
  void aProviderRefusesAnotherHostsUrl() {
    GitProvider github = PROVIDERS.provider(ProviderKind.GITHUB, "https://github.com");
    assertThatThrownBy(() -> github.validate("https://gitlab.com/group/project.git"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("is on host gitlab.com, not on GitHub at github.com");
    GitProvider bbs = PROVIDERS.provider(ProviderKind.BITBUCKET_SERVER, "https://git.acme.example/bitbucket");
    assertThatThrownBy(() -> bbs.validate("https://git.acme.example/scm/DATA/shop.git"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("is not under the base URL https://git.acme.example/bitbucket");
  }

  @Test
  void theLongestBasePathOnAHostWins() {
    assertThat(PROVIDERS.provider("https://git.acme.example/bitbucket/scm/DATA/shop.git").kind())
        .isEqualTo(ProviderKind.BITBUCKET_SERVER);
    assertThat(PROVIDERS.provider("https://git.acme.example/bitbucketx/shop.git").kind()).isEqualTo(ProviderKind.GITEA);
  }

  @Test
  void registrationsAreChecked() {
    assertThatThrownBy(() -> GitProviders.builder().host(ProviderKind.GITHUB, "https://git.acme.example")
        .host(ProviderKind.GITLAB, "https://git.acme.example/")).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("registered twice, as GitHub and as GitLab");
    assertThatThrownBy(() -> GitProviders.builder().host(ProviderKind.GITEA, "ftp://git.acme.example"))
        .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("gitea.baseUrl: ")
        .hasMessageContaining("is not an http(s) URL");
    assertThatThrownBy(() -> GitProviders.builder().host(ProviderKind.GITEA, "https://admin:pw@git.acme.example"))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("without user info")
        .hasMessageNotContaining("pw");
    assertThatThrownBy(() -> GitProviders.builder().withoutPublicHosts().build().resolve("https://github.com/o/r"))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("not a known Git provider host");
    assertThatThrownBy(() -> PROVIDERS.provider(ProviderKind.GITEA, "https://nowhere.example"))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("no Gitea is registered at https://nowhere.example");
  }

  @Test
  void kindsHaveStableIds() {
    assertThat(ProviderKind.ofId("Bitbucket-Server")).isEqualTo(ProviderKind.BITBUCKET_SERVER);
    assertThat(ProviderKind.AZURE_DEVOPS.id()).isEqualTo("azure-devops");
    assertThatThrownBy(() -> ProviderKind.ofId("svn")).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("use one of github, gitlab, bitbucket-cloud, bitbucket-server, azure-devops, gitea");
  }
}
