package io.prophecy.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.prophecy.sdk.model.AuditEvent;
import io.prophecy.sdk.model.Credentials;
import io.prophecy.sdk.model.FabricSpec;
import io.prophecy.sdk.model.Role;
import io.prophecy.sdk.model.Secret;
import io.prophecy.sdk.spi.Capability;
import io.prophecy.sdk.spi.CodeLanguage;
import io.prophecy.sdk.spi.CodeUnit;
import io.prophecy.sdk.spi.ConnectorContext;
import io.prophecy.sdk.spi.ExecutionSession;
import io.prophecy.sdk.spi.FabricConfig;
import io.prophecy.sdk.spi.FabricConnection;
import io.prophecy.sdk.spi.FabricDescriptor;
import io.prophecy.sdk.spi.FabricProvider;
import io.prophecy.sdk.spi.SessionOptions;
import io.prophecy.sdk.spi.Setting;
import io.prophecy.sdk.spi.SettingType;
import io.prophecy.sdk.testing.Backend;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * {@link ConnectorContext#storeCredentials}, on each store backend: a connector writes fields (a token it generated) into the
 * acting user's stored credentials. They are merged, checked, encrypted, audited by name only, never
 * logged, and redacted from the connection's failures; other users' credentials stay as they were.
 */
abstract class ConnectorStoredCredentialsContract {
  @TempDir Path home;

  abstract Backend backend();

  private String storeUrl;

  /** A kind whose users store a user name and token, and whose connector may add a generated token. */
  static final class GeneratingProvider implements FabricProvider {
    final List<ConnectorContext> contexts = new CopyOnWriteArrayList<>();
    final List<Credentials> received = new CopyOnWriteArrayList<>();
    volatile String echoed = "nothing";

    @Override
    public String kind() {
      return "generating";
    }

    @Override
    public FabricDescriptor describe() {
      return FabricDescriptor.builder().kind("generating").displayName("Generating")
          .addSettings(Setting.optional("mode", SettingType.STRING, "fast", "How to run"))
          .addCredentials(Setting.builder().name("username").description("Your user name").required(true).build())
          .addCredentials(Setting.secret("token", "Your token"))
          .addCredentials(Setting.builder().name("generated").description("A token the connector made")
              .secret(true).build())
          .addCredentials(Setting.builder().name("generatedId").description("Its id").build())
          .addCapabilities(Capability.INTERACTIVE_SQL).build();
    }

    @Override
    public FabricConnection connect(FabricConfig config, Credentials credentials, ConnectorContext context) {
      contexts.add(context);
      received.add(credentials);
      return new FabricConnection() {
        @Override
        public Set<Capability> capabilities() {
          return Set.of(Capability.INTERACTIVE_SQL);
        }

        @Override
        public ExecutionSession openSession(SessionOptions options) {
          throw new ConnectorException("generating", "the server refused session token " + echoed);
        }

        @Override
        public String kind() {
          return "generating";
        }

        @Override
        public void close() {}
      };
    }
  }

  private final GeneratingProvider provider = new GeneratingProvider();
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private Logger root;
  private Level rootLevel;
  private Prophecy prophecy;
  private Fabric aliceDev;
  private Fabric bobDev;
  private String aliceToken;
  private String bobToken;

  private static String fresh(String prefix) {
    byte[] b = new byte[16];
    new SecureRandom().nextBytes(b);
    return prefix + HexFormat.of().formatHex(b);
  }

  @BeforeEach
  void start() {
    LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
    root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    rootLevel = root.getLevel();
    logs.setContext(ctx);
    logs.start();
    root.addAppender(logs);
    root.setLevel(Level.TRACE);

    storeUrl = backend().url(home);
    prophecy = Prophecy.builder().home(home).storeUrl(storeUrl).register(provider).build();
    prophecy.users().create("alice@example.com");
    prophecy.users().create("bob@example.com");
    Team team = prophecy.as("alice@example.com").teams().create("analytics");
    team.members().add("bob@example.com", Role.MEMBER);
    aliceDev = team.fabrics().create(FabricSpec.builder().kind("generating").name("dev").build());
    bobDev = prophecy.as("bob@example.com").teams().get("analytics").fabrics().get("dev");
    aliceToken = fresh("alice-");
    bobToken = fresh("bob-");
    aliceDev.credentials().set(Credentials.builder().put("username", "alice").put("token", Secret.of(aliceToken)).build());
    bobDev.credentials().set(Credentials.builder().put("username", "bob").put("token", Secret.of(bobToken)).build());
  }

  @AfterEach
  void stop() {
    prophecy.close();
    root.detachAppender(logs);
    root.setLevel(rootLevel);
  }

  @Test
  void mergesTheFieldsIntoTheUsersStoredCredentialsEncryptedAuditedByNameAndNeverLogged() throws Exception {
    String generated = fresh("gen-");
    try (FabricConnection c = aliceDev.connect()) {
      ConnectorContext context = provider.contexts.get(0);
      assertThat(context.userEmail()).isEqualTo("alice@example.com");
      context.storeCredentials(Credentials.builder().put("generated", Secret.of(generated)).put("generatedId", "7")
          .build());
    }

    Credentials alice = aliceDev.credentials().get().orElseThrow();
    assertThat(alice.fields()).containsExactly("generated", "generatedId", "token", "username");
    assertThat(alice.get("username")).contains("alice");
    assertThat(alice.secret("token").orElseThrow().reveal()).isEqualTo(aliceToken);
    assertThat(alice.secret("generated").orElseThrow().reveal()).isEqualTo(generated);
    assertThat(alice.get("generatedId")).contains("7");
    // bob's credentials for the same fabric are untouched
    Credentials bob = bobDev.credentials().get().orElseThrow();
    assertThat(bob.fields()).containsExactly("token", "username");
    assertThat(bob.secret("token").orElseThrow().reveal()).isEqualTo(bobToken);
    // the next connection gets the merged credentials
    try (FabricConnection c = aliceDev.connect()) {
      assertThat(provider.received.get(1).secret("generated").orElseThrow().reveal()).isEqualTo(generated);
    }

    AuditEvent update = prophecy.auditLog(100).stream().filter(e -> e.action().equals("credential.update"))
        .findFirst().orElseThrow();
    assertThat(update.actor()).isEqualTo("alice@example.com");
    assertThat(update.outcome()).isEqualTo(AuditEvent.Outcome.SUCCESS);
    assertThat(update.detail()).contains("fields=[generated, generatedId] by the connector");
    // the store holds one row per user, each only as vault ciphertext
    List<String> rows = new java.util.ArrayList<>();
    try (var c = DriverManager.getConnection(storeUrl);
        ResultSet rs = c.createStatement().executeQuery("SELECT ciphertext FROM credentials")) {
      while (rs.next()) {
        rows.add(rs.getString(1));
      }
    }
    assertThat(rows).hasSize(2).allSatisfy(ct -> assertThat(ct).isNotBlank().doesNotContain(generated)
        .doesNotContain(aliceToken).doesNotContain(bobToken).doesNotContain("generatedId"));
    prophecy.close();

    assertThat(logs.list).isNotEmpty();
    for (ILoggingEvent e : logs.list) {
      assertThat(e.getFormattedMessage() + " " + (e.getArgumentArray() == null ? "" : List.of(e.getArgumentArray())))
          .doesNotContain(generated);
    }
    try (Stream<Path> files = Files.walk(home)) {
      List<Path> all = files.filter(Files::isRegularFile).toList();
      assertThat(all).isNotEmpty();
      for (Path f : all) {
        String content = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
        assertThat(content).as("file " + home.relativize(f)).doesNotContain(generated).doesNotContain(aliceToken);
      }
    }
  }

  @Test
  void aSecretStoredByTheConnectorIsRedactedFromTheConnectionsFailures() {
    String generated = fresh("gen-");
    try (FabricConnection c = aliceDev.connect()) {
      provider.contexts.get(0).storeCredentials(Credentials.ofSecret("generated", Secret.of(generated)));
      provider.echoed = generated;
      assertThatThrownBy(() -> c.openSession(SessionOptions.of(CodeLanguage.sql("spark"))))
          .isInstanceOf(ConnectorException.class).hasMessageContaining("session token ****")
          .hasMessageNotContaining(generated);
    }
  }

  @Test
  void aFieldTheKindDoesNotTakeIsRefusedAndNothingChanges() {
    try (FabricConnection c = aliceDev.connect()) {
      assertThatThrownBy(() -> provider.contexts.get(0).storeCredentials(Credentials.ofSecret("bogus",
          Secret.of(fresh("x-"))))).isInstanceOf(InvalidInputException.class).hasMessageStartingWith("credentials.bogus");
    }
    assertThat(aliceDev.credentials().get().orElseThrow().fields()).containsExactly("token", "username");
    AuditEvent failed = prophecy.auditLog(100).stream().filter(e -> e.action().equals("credential.update"))
        .findFirst().orElseThrow();
    assertThat(failed.outcome()).isEqualTo(AuditEvent.Outcome.FAILED);
  }

  @Test
  void credentialsClearedSinceTheConnectionOpenedAreNotBroughtBack() {
    try (FabricConnection c = aliceDev.connect()) {
      aliceDev.credentials().clear();
      assertThatThrownBy(() -> provider.contexts.get(0).storeCredentials(Credentials.ofSecret("generated",
          Secret.of(fresh("gen-"))))).isInstanceOf(NotFoundException.class).hasMessageContaining("cleared");
    }
    assertThat(aliceDev.credentials().isSet()).isFalse();
  }

  @Test
  void aContextMadeOutsideTheSdkCannotStore() {
    ConnectorContext plain = new ConnectorContext() {
      @Override
      public String userAgent() {
        return "test";
      }

      @Override
      public Path workDirectory() {
        return home;
      }

      @Override
      public String userEmail() {
        return "alice@example.com";
      }
    };
    assertThat(plain.clock()).isEqualTo(Clock.systemUTC());
    assertThatThrownBy(() -> plain.storeCredentials(Credentials.ofSecret("generated", Secret.of("x"))))
        .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("Fabric.connect()");
  }
}
