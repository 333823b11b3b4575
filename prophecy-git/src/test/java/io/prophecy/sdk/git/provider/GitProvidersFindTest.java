package io.prophecy.sdk.git.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prophecy.sdk.InvalidInputException;
import io.prophecy.sdk.model.Secret;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Which provider, if any, a remote's host belongs to; adding hosts to a set; the user name sent without a stored one. */
class GitProvidersFindTest {
  private static final GitProviders PROVIDERS = GitProviders.builder()
      .host(ProviderKind.BITBUCKET_SERVER, "https://git.acme.example/bitbucket")
      .host(ProviderKind.GITEA, "https://git.acme.example")
      .host(ProviderKind.GITLAB, "https://gitlab.acme.example:8443")
      .build();

  private static Optional<ProviderKind> kindOf(String url) {
    return PROVIDERS.find(url).map(GitProvider::kind);
  }

  @Test
  void aUrlBelongsToTheProviderCoveringItsHostAndPathTheLongestBasePathWinning() {
    assertThat(kindOf("https://github.com/acme/shop.git")).contains(ProviderKind.GITHUB);
    assertThat(kindOf("https://gitlab.com/data/shop.git")).contains(ProviderKind.GITLAB);
    assertThat(kindOf("https://bitbucket.org/acme/shop.git")).contains(ProviderKind.BITBUCKET_CLOUD);
    assertThat(kindOf("https://dev.azure.com/acme/Data/_git/shop")).contains(ProviderKind.AZURE_DEVOPS);
    assertThat(kindOf("https://fabrikam.visualstudio.com/Data/_git/shop")).contains(ProviderKind.AZURE_DEVOPS);
    assertThat(kindOf("https://git.acme.example/bitbucket/scm/DATA/shop.git")).contains(ProviderKind.BITBUCKET_SERVER);
    assertThat(kindOf("https://git.acme.example/data/shop.git")).contains(ProviderKind.GITEA);
    assertThat(kindOf("https://gitlab.acme.example:8443/data/shop.git")).contains(ProviderKind.GITLAB);
  }

  @Test
  void otherHostsLocalPathsAndFileUrlsBelongToNoProvider() {
    assertThat(kindOf("https://git.example.com/shop.git")).isEmpty();
    assertThat(kindOf("http://127.0.0.1:58080/shop.git")).isEmpty();
    assertThat(kindOf("https://gitlab.acme.example/data/shop.git")).as("another port of a registered host").isEmpty();
    assertThat(kindOf("/srv/git/shop.git")).isEmpty();
    assertThat(kindOf("file:///srv/git/shop.git")).isEmpty();
    assertThat(kindOf("C:\\git\\shop")).isEmpty();
  }

  @Test
  void aUrlOnAProvidersHostOutsideItsBasePathStillBelongsToItAndValidateSaysWhy() {
    GitProviders bitbucketOnly = GitProviders.builder()
        .host(ProviderKind.BITBUCKET_SERVER, "https://git.acme.example/bitbucket").build();
    GitProvider p = bitbucketOnly.find("https://git.acme.example/scm/DATA/shop.git").orElseThrow();
    assertThat(p.kind()).isEqualTo(ProviderKind.BITBUCKET_SERVER);
    assertThatThrownBy(() -> p.validate("https://git.acme.example/scm/DATA/shop.git"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("is not under the base URL https://git.acme.example/bitbucket of Bitbucket Server");
  }

  @Test
  void sshUrlsAndPasswordsAreRefusedWithoutShowingThePassword() {
    assertThatThrownBy(() -> PROVIDERS.find("ssh://git@github.com/acme/shop.git"))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("SSH");
    assertThatThrownBy(() -> PROVIDERS.find("https://alice:s3cretTOKEN@github.com/acme/shop.git"))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("carries credentials")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cretTOKEN"));
  }

  @Test
  void newBuilderKeepsTheRegistrationsAndTheChoiceOfPublicHosts() {
    GitProviders more = PROVIDERS.newBuilder().host(ProviderKind.GITHUB, "https://github.acme.example").build();
    assertThat(more.find("https://github.acme.example/data/shop.git").map(GitProvider::kind)).contains(ProviderKind.GITHUB);
    assertThat(more.find("https://git.acme.example/bitbucket/scm/DATA/shop.git").map(GitProvider::kind))
        .contains(ProviderKind.BITBUCKET_SERVER);
    assertThat(more.find("https://github.com/acme/shop.git")).isPresent();
    assertThat(PROVIDERS.find("https://github.acme.example/data/shop.git")).as("the original is unchanged").isEmpty();

    GitProviders onlyOwn = GitProviders.builder().withoutPublicHosts()
        .host(ProviderKind.GITEA, "https://gitea.acme.example").build();
    GitProviders onlyOwnPlus = onlyOwn.newBuilder().host(ProviderKind.GITLAB, "https://gitlab.acme.example").build();
    assertThat(onlyOwnPlus.find("https://github.com/acme/shop.git")).isEmpty();
    assertThat(onlyOwnPlus.providers()).extracting(GitProvider::kind)
        .containsExactly(ProviderKind.GITEA, ProviderKind.GITLAB);
    assertThatThrownBy(() -> PROVIDERS.newBuilder().host(ProviderKind.GITHUB, "https://git.acme.example"))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("registered twice");
  }

  @ParameterizedTest
  @EnumSource(ProviderKind.class)
  void theDefaultUserNameIsTheOneHttpsCredentialsSendsWithoutAStoredName(ProviderKind kind) {
    GitProvider p = GitProviders.builder().host(kind, "https://git.test.example").build()
        .provider(kind, "https://git.test.example");
    GitCredentials tokenOnly = GitCredentials.token(Secret.of("t0ken"));
    if (p.defaultHttpsUser().isPresent()) {
      assertThat(p.httpsUser(tokenOnly)).isEqualTo(p.defaultHttpsUser().get());
    } else {
      assertThatThrownBy(() -> p.httpsUser(tokenOnly)).isInstanceOf(InvalidInputException.class);
    }
    assertThat(p.httpsUser(GitCredentials.of("me", Secret.of("t0ken")))).isEqualTo("me");
    assertThat(p.defaultHttpsUser()).isEqualTo(switch (kind) {
      case GITLAB -> Optional.of("oauth2");
      case BITBUCKET_CLOUD -> Optional.of("x-bitbucket-api-token-auth");
      case AZURE_DEVOPS -> Optional.of("");
      case GITHUB, BITBUCKET_SERVER, GITEA -> Optional.<String>empty();
    });
  }
}
