package io.prophecy.sdk.git.provider;

import static io.prophecy.sdk.git.provider.ProviderMockServer.TOKEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.prophecy.sdk.ConnectorException;
import io.prophecy.sdk.PermissionDeniedException;
import io.prophecy.sdk.model.Secret;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

/**
 * What every provider client does alike: throttled GETs retried a bounded number of times after the provider's
 * Retry-After (seconds or an HTTP date), throttled or unavailable creates reported and never repeated, timeouts
 * reported with the timeout that ran out, and the token kept out of messages, logs and other hosts.
 */
class ProviderHttpBehaviourTest {
  /** One provider on the mock server: how to make it, and its "who am I" request and a documented answer. */
  record Fixture(ProviderKind kind, Function<ProviderMockServer, GitProvider> provider, GitCredentials credentials,
      String whoamiTarget, String whoamiBody, String[] whoamiHeaders, CreateRepository create, String createTarget) {
    @Override
    public String toString() {
      return kind.id();
    }
  }

  static Stream<Fixture> providers() {
    Secret token = Secret.of(TOKEN);
    return Stream.of(
        new Fixture(ProviderKind.GITHUB, m -> provider(ProviderKind.GITHUB, m.url(""), null, m.url("/x/y")),
            GitCredentials.token(token), "/api/v3/user", "{\"login\":\"octocat\",\"id\":1}", new String[0],
            CreateRepository.named("shop"), "/api/v3/user/repos"),
        new Fixture(ProviderKind.GITLAB, m -> provider(ProviderKind.GITLAB, m.url(""), null, m.url("/x/y")),
            GitCredentials.token(token), "/api/v4/user", "{\"username\":\"john_smith\",\"id\":1}", new String[0],
            CreateRepository.named("shop"), "/api/v4/projects"),
        new Fixture(ProviderKind.BITBUCKET_CLOUD,
            m -> provider(ProviderKind.BITBUCKET_CLOUD, "https://bitbucket.org", m.url("/2.0"), "https://bitbucket.org/x/y"),
            new GitCredentials(null, "alice@example.com", token), "/2.0/user",
            "{\"uuid\":\"{1}\",\"nickname\":\"alice\"}", new String[0], CreateRepository.named("shop").inOwner("acme"),
            "/2.0/repositories/acme/shop"),
        new Fixture(ProviderKind.BITBUCKET_SERVER,
            m -> provider(ProviderKind.BITBUCKET_SERVER, m.url(""), null, m.url("/scm/X/y.git")),
            GitCredentials.of("jdoe", token), "/rest/api/1.0/application-properties", "{\"version\":\"8.19.1\"}",
            new String[] {"X-AUSERNAME", "jdoe"}, CreateRepository.named("shop").inOwner("DATA"),
            "/rest/api/1.0/projects/DATA/repos"),
        new Fixture(ProviderKind.AZURE_DEVOPS,
            m -> provider(ProviderKind.AZURE_DEVOPS, m.url(""), m.url("/vssps"), m.url("/org/p/_git/r")),
            GitCredentials.token(token), "/vssps/_apis/profile/profiles/me?api-version=7.1",
            "{\"id\":\"d6245f20\",\"publicAlias\":\"d6245f20\",\"displayName\":\"Jamal\"}", new String[0], null, null),
        new Fixture(ProviderKind.GITEA, m -> provider(ProviderKind.GITEA, m.url(""), null, m.url("/x/y")),
            GitCredentials.of("alice", token), "/api/v1/user", "{\"login\":\"alice\",\"id\":3}", new String[0],
            CreateRepository.named("shop"), "/api/v1/user/repos"));
  }

  private static GitProvider provider(ProviderKind kind, String base, String api, String sampleRemote) {
    return GitProviders.builder().host(kind, base, api).build().provider(sampleRemote);
  }

  private ProviderMockServer mock;
  private ListAppender<ILoggingEvent> logs;

  @BeforeEach
  void start() throws Exception {
    mock = new ProviderMockServer();
    logs = new ListAppender<>();
    logs.start();
    Logger logger = (Logger) LoggerFactory.getLogger("io.prophecy.sdk.git.provider");
    logger.setLevel(ch.qos.logback.classic.Level.DEBUG);
    logger.addAppender(logs);
  }

  @AfterEach
  void stop() {
    ((Logger) LoggerFactory.getLogger("io.prophecy.sdk.git.provider")).detachAppender(logs);
    mock.close();
    assertThat(logs.list).extracting(ILoggingEvent::getFormattedMessage).noneMatch(m -> m.contains(TOKEN));
  }

  private ProviderClient client(Fixture f) {
    return f.provider().apply(mock).client(f.credentials(), mock.options());
  }

  private static String httpDate(Duration fromNow) {
    return DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plus(fromNow));
  }

  /** A create for the providers whose create is one POST (Azure DevOps looks the project up first). */
  private static Runnable create(ProviderClient client, Fixture f) {
    return () -> client.createRepository(f.create());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("providers")
  void throttledGetIsRetriedAfterRetryAfterSeconds(Fixture f) throws Exception {
    mock.enqueue(429, "{\"message\":\"slow down\"}", "Retry-After", "7");
    mock.enqueue(200, f.whoamiBody(), f.whoamiHeaders());
    try (ProviderClient client = client(f)) {
      assertThat(client.whoami().id()).isNotBlank();
    }
    assertThat(mock.waits).containsExactly(Duration.ofSeconds(7));
    mock.take("GET", f.whoamiTarget());
    mock.take("GET", f.whoamiTarget());
    assertThat(logs.list).anyMatch(e -> e.getFormattedMessage().contains("throttled GET")
        && e.getFormattedMessage().contains("retry 1 of 3 in 7000 ms"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("providers")
  void throttledGetIsRetriedAfterRetryAfterHttpDate(Fixture f) throws Exception {
    mock.enqueue(429, null, "Retry-After", httpDate(Duration.ofSeconds(30)));
    mock.enqueue(200, f.whoamiBody(), f.whoamiHeaders());
    try (ProviderClient client = client(f)) {
      client.whoami();
    }
    assertThat(mock.waits).hasSize(1);
    assertThat(mock.waits.get(0)).isBetween(Duration.ofSeconds(27), Duration.ofSeconds(30));
    assertThat(mock.server.getRequestCount()).isEqualTo(2);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("providers")
  void unavailableGetWithoutRetryAfterBacksOffAndIsBoundedByMaxRetries(Fixture f) {
    for (int i = 0; i < 4; i++) {
      mock.enqueue(503, null);
    }
    try (ProviderClient client = client(f)) {
      assertThatThrownBy(client::whoami).isInstanceOf(ConnectorException.class)
          .hasMessageStartingWith("[" + f.kind().id() + "] " + f.kind().displayName() + " at ")
          .hasMessageContaining("is unavailable (HTTP 503)")
          .hasMessageContaining("still throttled after 3 retries");
    }
    assertThat(mock.waits).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4));
    assertThat(mock.server.getRequestCount()).isEqualTo(4);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("providers")
  void aWaitLongerThanMaxRetryWaitIsNotWaited(Fixture f) {
    mock.enqueue(429, null, "Retry-After", "3600");
    try (ProviderClient client = client(f)) {
      assertThatThrownBy(client::whoami).isInstanceOf(ConnectorException.class)
          .hasMessageContaining("throttling requests (HTTP 429)")
          .hasMessageContaining("the wait is longer than ClientOptions.maxRetryWait (60 s); it asks to wait 3600 s");
    }
    assertThat(mock.waits).isEmpty();
    assertThat(mock.server.getRequestCount()).isEqualTo(1);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("providers")
  void aWaitThatWouldPassTheCallTimeoutIsNotWaited(Fixture f) {
    mock.enqueue(429, null, "Retry-After", "20");
    ClientOptions options = mock.options().withCallTimeout(Duration.ofSeconds(10));
    try (ProviderClient client = f.provider().apply(mock).client(f.credentials(), options)) {
      assertThatThrownBy(client::whoami).isInstanceOf(ConnectorException.class)
          .hasMessageContaining("not retried, since the wait would pass ClientOptions.callTimeout (10 s); it asks to wait 20 s");
    }
    assertThat(mock.waits).isEmpty();
    assertThat(mock.server.getRequestCount()).isEqualTo(1);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("providers")
  void throttledCreateIsReportedAndNeverRepeated(Fixture f) throws Exception {
    if (f.create() == null) {
      // Azure DevOps: the project lookup is a GET (retried), the create itself a POST.
      mock.enqueue(200, "{\"id\":\"6ce954b1\",\"visibility\":\"private\"}");
      mock.enqueue(429, "{\"message\":\"TF400733: The request has been throttled\"}", "Retry-After", "30");
      try (ProviderClient client = client(f)) {
        assertThatThrownBy(() -> client.createRepository(CreateRepository.named("shop").inOwner("org").inProject("p")))
            .isInstanceOf(ConnectorException.class)
            .hasMessageContaining("HTTP 429: TF400733")
            .hasMessageContaining("not retried, since create repository org/p/shop is not safe to repeat; it asks to wait 30 s");
      }
      mock.take("GET", "/org/_apis/projects/p?api-version=7.1");
      mock.take("POST", "/org/p/_apis/git/repositories?api-version=7.1");
    } else {
      mock.enqueue(429, null, "Retry-After", "30");
      try (ProviderClient client = client(f)) {
        assertThatThrownBy(create(client, f)::run).isInstanceOf(ConnectorException.class)
            .hasMessageContaining("throttling requests (HTTP 429)")
            .hasMessageContaining("is not safe to repeat; it asks to wait 30 s");
      }
      mock.take("POST", f.createTarget());
    }
    assertThat(mock.waits).isEmpty();
    assertThat(mock.server.getRequestCount()).isEqualTo(f.create() == null ? 2 : 1);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("providers")
  void unavailablePullRequestWithAnHttpDateIsReportedNotRetried(Fixture f) {
    mock.enqueue(503, null, "Retry-After", httpDate(Duration.ofSeconds(120)));
    GitProvider p = f.provider().apply(mock);
    RemoteUrl remote = p.validate(sampleRemote(f, p));
    try (ProviderClient client = p.client(f.credentials(), mock.options())) {
      assertThatThrownBy(() -> client.openPullRequest(OpenPullRequest.of(remote, "feature", "main", "t")))
          .isInstanceOf(ConnectorException.class)
          .hasMessageContaining("is unavailable (HTTP 503)")
          .hasMessageContaining("is not safe to repeat; it asks to wait 1");
    }
    assertThat(mock.waits).isEmpty();
    assertThat(mock.server.getRequestCount()).isEqualTo(1);
  }

  private static String sampleRemote(Fixture f, GitProvider p) {
    return switch (f.kind()) {
      case BITBUCKET_SERVER -> p.baseUrl() + "/scm/DATA/shop.git";
      case AZURE_DEVOPS -> p.baseUrl() + "/org/p/_git/shop";
      default -> p.baseUrl() + "/acme/shop.git";
    };
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("providers")
  void aCallOnAnInterruptedThreadSaysSoAndKeepsTheInterrupt(Fixture f) {
    mock.enqueue(200, f.whoamiBody(), f.whoamiHeaders());
    try (ProviderClient client = client(f)) {
      Thread.currentThread().interrupt();
      try {
        assertThatThrownBy(client::whoami).isInstanceOf(ConnectorException.class)
            .hasMessageContaining("was interrupted").hasMessageNotContaining(TOKEN)
            .hasMessageNotContaining("did not answer");
        assertThat(Thread.currentThread().isInterrupted()).isTrue();
      } finally {
        Thread.interrupted();
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("providers")
  void aSlowAnswerIsATimeoutNamingTheTimeout(Fixture f) {
    mock.enqueueSlow(Duration.ofSeconds(3), f.whoamiBody());
    try (ProviderClient client = client(f)) {
      assertThatThrownBy(client::whoami).isInstanceOf(ConnectorException.class)
          .hasMessageContaining("did not answer GET ")
          .hasMessageContaining("in time: no answer within the read timeout of 500 ms")
          .hasMessageContaining("raise the timeouts in ClientOptions")
          .hasCauseInstanceOf(java.io.InterruptedIOException.class);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("providers")
  void aRefusedPermissionAndAServerErrorAreReportedAndNotRetried(Fixture f) throws Exception {
    mock.enqueue(403, "{\"message\":\"Resource not accessible by personal access token\"}");
    mock.enqueue(500, "{\"message\":\"Internal Server Error\"}");
    try (ProviderClient client = client(f)) {
      assertThatThrownBy(client::whoami).isInstanceOf(PermissionDeniedException.class)
          .hasMessageContaining(f.kind().displayName() + " at ")
          .hasMessageContaining("refused who am I (HTTP 403: Resource not accessible by personal access token)")
          .hasMessageContaining("lacks the permission or scope");
      assertThatThrownBy(client::whoami).isInstanceOf(ConnectorException.class)
          .hasMessageContaining("failed who am I (HTTP 500: Internal Server Error on GET ");
    }
    mock.take("GET", f.whoamiTarget());
    mock.take("GET", f.whoamiTarget());
    assertThat(mock.server.getRequestCount()).isEqualTo(2);
    assertThat(mock.waits).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("providers")
  void aTokenEchoedByTheProviderIsMaskedInTheMessage(Fixture f) {
    mock.enqueue(401, "{\"message\":\"token " + TOKEN + " is not valid\"}");
    try (ProviderClient client = client(f)) {
      assertThatThrownBy(client::whoami).isInstanceOf(PermissionDeniedException.class)
          .hasMessageContaining("token **** is not valid").hasMessageNotContaining(TOKEN);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("providers")
  void aRedirectToAnotherHostCarriesNoToken(Fixture f) throws Exception {
    try (MockWebServer other = new MockWebServer()) {
      other.start();
      other.enqueue(new MockResponse.Builder().code(200).body(f.whoamiBody()).build());
      mock.server.enqueue(new MockResponse.Builder().code(302).addHeader("Location", other.url("/elsewhere")).build());
      try (ProviderClient client = client(f)) {
        try {
          client.whoami();
        } catch (PermissionDeniedException expected) {
          // Bitbucket Server: the other host's answer has no X-AUSERNAME.
        }
      }
      RecordedRequest first = mock.take("GET", f.whoamiTarget());
      String sent = first.getHeaders().get("Authorization") != null ? first.getHeaders().get("Authorization")
          : first.getHeaders().get("PRIVATE-TOKEN");
      assertThat(sent).as("the API host itself gets the token").isNotNull();
      RecordedRequest redirected = other.takeRequest(5, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(redirected).isNotNull();
      List<String> names = redirected.getHeaders().names().stream().map(String::toLowerCase).toList();
      assertThat(names).doesNotContain("authorization", "private-token");
      for (String name : redirected.getHeaders().names()) {
        assertThat(redirected.getHeaders().values(name)).noneMatch(v -> v.contains(TOKEN));
      }
    }
  }
}
