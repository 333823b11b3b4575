package io.prophecy.sdk.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.prophecy.sdk.GitAuthenticationException;
import io.prophecy.sdk.GitCredentials;
import io.prophecy.sdk.InvalidInputException;
import io.prophecy.sdk.Project;
import io.prophecy.sdk.Prophecy;
import io.prophecy.sdk.ProphecySession;
import io.prophecy.sdk.Team;
import io.prophecy.sdk.model.AuditEvent;
import io.prophecy.sdk.model.Role;
import io.prophecy.sdk.model.Secret;
import io.prophecy.sdk.spi.CodeStore;
import io.prophecy.sdk.spi.RemoteAuth;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** Each user's Git tokens per host: stored encrypted, used for that user only, never shown. */
class GitCredentialsTest {
  private static final String TOKEN = "test-token-" + java.util.UUID.randomUUID();

  @TempDir Path tmp;
  private GitHttpServer server;
  private Prophecy prophecy;
  private ProphecySession alice;
  private Team team;

  @BeforeEach
  void start() throws Exception {
    server = new GitHttpServer(Files.createDirectories(tmp.resolve("server"))).allowToken(TOKEN);
    GitFixtures.seed(server.createBare("shop"), "git_shop", tmp.resolve("seed"));
    prophecy = Prophecy.builder().home(tmp.resolve("home")).build();
    prophecy.users().create("alice@example.com");
    prophecy.users().create("bob@example.com");
    alice = prophecy.as("alice@example.com");
    team = alice.teams().create("analytics");
    team.members().add("bob@example.com", Role.MEMBER);
  }

  @AfterEach
  void stop() throws Exception {
    prophecy.close();
    server.close();
  }

  @Test
  void tokensAreStoredPerUserAndHostAndListedWithoutTheirValues() {
    GitCredentials creds = alice.gitCredentials();
    creds.set("GitHub.com", Secret.of(TOKEN));
    creds.set("git.example.com:8443", "alice", Secret.of(TOKEN));
    assertThat(creds.hosts()).containsExactly("git.example.com:8443", "github.com");
    assertThat(creds.isSet("github.com")).isTrue();
    assertThat(prophecy.as("bob@example.com").gitCredentials().hosts()).isEmpty();
    assertThat(creds.clear("github.com")).isTrue();
    assertThat(creds.clear("github.com")).isFalse();
    assertThat(creds.hosts()).containsExactly("git.example.com:8443");
    assertThat(creds.toString()).doesNotContain(TOKEN);
    assertThat(RemoteAuth.token("github.com", "git", Secret.of(TOKEN)).toString()).doesNotContain(TOKEN).contains("****");
    assertThatThrownBy(() -> creds.set("https://github.com/org", Secret.of(TOKEN)))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("gitCredentials.host")
        .hasMessageContaining("no scheme").satisfies(e -> assertThat(e.getMessage()).doesNotContain(TOKEN));
    assertThat(prophecy.auditLog(10)).extracting(AuditEvent::action).contains("git.credential.set", "git.credential.clear");
    assertThat(prophecy.auditLog(10)).allSatisfy(e -> assertThat(e.toString()).doesNotContain(TOKEN));
  }

  @Test
  void anotherMembersTokenIsNeverUsed() {
    alice.gitCredentials().set(server.host(), Secret.of(TOKEN));
    Team bobsView = prophecy.as("bob@example.com").teams().get("analytics");
    assertThatThrownBy(() -> bobsView.projects().clone("shop", server.url("shop")))
        .isInstanceOf(GitAuthenticationException.class).hasMessageContaining("none are stored");
    assertThat(team.projects().clone("shop", server.url("shop")).pipelines().list()).hasSize(1);
  }

  @Test
  void aRemoteUrlWithAPasswordIsRefusedBeforeAnythingIsWritten() {
    String url = "http://alice:" + TOKEN + "@" + server.host() + "/git/shop.git";
    assertThatThrownBy(() -> team.projects().clone("shop", url)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("password").satisfies(e -> assertThat(e.getMessage()).doesNotContain(TOKEN));
    assertThat(tmp.resolve("home/projects").resolve(team.info().id()).resolve("shop")).doesNotExist();
    assertThatThrownBy(() -> team.projects().clone("shop", "git@github.com:acme/shop.git"))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("SSH remote").hasMessageContaining("https");
  }

  @Test
  void rotatingTheVaultKeyReencryptsGitTokensAndTheyKeepWorking() throws Exception {
    alice.gitCredentials().set(server.host(), Secret.of(TOKEN));
    prophecy.vault().rotateKey();
    assertThat(prophecy.vault().reencryptAll()).isEqualTo(1);
    Project shop = team.projects().clone("shop", server.url("shop"));
    assertThat(shop.git().log(1)).hasSize(1);
    assertThat(GitFixtures.filesContaining(tmp.resolve("home"), TOKEN)).isEmpty();
  }

  @Test
  void noLogLineEvenAtTraceCarriesTheToken() throws Exception {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    Level was = root.getLevel();
    ListAppender<ILoggingEvent> captured = new ListAppender<>();
    captured.start();
    root.addAppender(captured);
    root.setLevel(Level.TRACE);
    try {
      alice.gitCredentials().set(server.host(), Secret.of(TOKEN));
      Project shop = team.projects().clone("shop", server.url("shop"));
      Files.writeString(shop.workingCopy().resolve("notes.md"), "n\n");
      shop.git().commit("Notes");
      shop.git().push();
      shop.git().pull();
      shop.git().release();
      alice.gitCredentials().set(server.host(), Secret.of("ghp_wrong_token_in_trace"));
      assertThatThrownBy(() -> shop.git().push()).isInstanceOf(GitAuthenticationException.class);
    } finally {
      root.setLevel(was);
      root.detachAppender(captured);
    }
    assertThat(captured.list).isNotEmpty();
    for (ILoggingEvent e : captured.list) {
      String line = e.getFormattedMessage() + (e.getThrowableProxy() == null ? "" : e.getThrowableProxy().getMessage());
      assertThat(line).doesNotContain(TOKEN).doesNotContain("ghp_wrong_token_in_trace");
    }
  }

  @Test
  void theStoreIsFoundByServiceLoaderAndARegisteredOneWinsWithItsUserNameConvention() throws Exception {
    assertThat(ServiceLoader.load(CodeStore.class).stream().map(p -> p.type().getName()).toList())
        .containsExactly(JGitCodeStore.class.getName());
    server.allow("x-access-token", "ghs_installationTOKEN_77");
    try (Prophecy custom = Prophecy.builder().home(tmp.resolve("home2"))
        .codeStore(new JGitCodeStore().withTokenUsernames(host -> "x-access-token")).build()) {
      custom.users().create("carol@example.com");
      ProphecySession carol = custom.as("carol@example.com");
      carol.gitCredentials().set(server.host(), Secret.of("ghs_installationTOKEN_77"));
      Project shop = carol.personalTeam().projects().clone("shop", server.url("shop"));
      assertThat(shop.pipelines().list()).hasSize(1);
    }
    assertThat(server.requests).anyMatch(r -> r.contains(" x-access-token 200"));
    List<String> kinds = List.of(new JGitCodeStore().kind());
    assertThat(kinds).containsExactly("git");
  }
}
