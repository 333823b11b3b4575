package io.prophecy.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import io.prophecy.sdk.model.Credentials;
import io.prophecy.sdk.model.FabricSpec;
import io.prophecy.sdk.model.Role;
import io.prophecy.sdk.model.Secret;
import io.prophecy.sdk.spi.CodeLanguage;
import io.prophecy.sdk.spi.CodeUnit;
import io.prophecy.sdk.spi.SessionOptions;
import io.prophecy.sdk.testing.TestFabricProvider;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Stores and uses credentials in every way the API offers, with all logging on at TRACE, then looks
 * for the secret values everywhere they must not be: log events (messages, arguments, stack traces),
 * exception messages and traces, string forms of values and handles, the audit log, and every file
 * under the home, the store included.
 */
class SecretLeakTest {
  @TempDir Path home;

  private static final String TOKEN = "dapiLEAKCHECK0123456789abcdef";
  private static final String REJECTED = "reject-LEAKCHECK-987654";
  private static final String DB_PASSWORD = "pgLEAKCHECKpassword";

  @Test
  void noSecretReachesLogsMessagesStringsOrFiles() throws Exception {
    LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    ListAppender<ILoggingEvent> captured = new ListAppender<>();
    captured.setContext(ctx);
    captured.start();
    Level before = root.getLevel();
    List<Logger> quieted = new ArrayList<>();
    root.addAppender(captured);
    root.setLevel(Level.TRACE);
    for (Logger l : ctx.getLoggerList()) {
      if (l.getLevel() != null && l != root) {
        quieted.add(l);
      }
    }
    List<Level> quietedLevels = quieted.stream().map(Logger::getLevel).toList();
    quieted.forEach(l -> l.setLevel(Level.TRACE));

    List<Throwable> thrown = new ArrayList<>();
    List<String> strings = new ArrayList<>();
    try {
      try (Prophecy prophecy = Prophecy.builder().home(home).register(new TestFabricProvider()).build()) {
        strings.add(prophecy.toString());
        prophecy.users().create("alice@example.com");
        prophecy.users().create("bob@example.com");
        ProphecySession alice = prophecy.as("alice@example.com");
        Team team = alice.teams().create("analytics");
        team.members().add("bob@example.com", Role.MEMBER);
        Fabric dev = team.fabrics().create(FabricSpec.builder().kind("test").name("dev")
            .putSettings("url", "https://engine.example.com").build());
        Credentials good = Credentials.builder().put("username", "alice").put("token", Secret.of(TOKEN)).build();
        strings.add(good.toString());
        strings.add(good.secret("token").orElseThrow().toString());
        dev.credentials().set(good);
        strings.add(dev.credentials().get().orElseThrow().toString());
        strings.add(dev.toString());
        strings.add(dev.credentials().toString());
        try (var conn = dev.connect();
            var session = conn.openSession(SessionOptions.of(CodeLanguage.sql("spark")))) {
          strings.add(conn.toString());
          var failed = session.submit(new CodeUnit("q", CodeLanguage.sql("spark"), "fail")).await(Duration.ofSeconds(1));
          strings.add(failed.toString());
          try {
            session.submit(new CodeUnit("q", CodeLanguage.sql("spark"), "throw"));
          } catch (ProphecyException e) {
            thrown.add(e);
          }
        }
        dev.credentials().set(Credentials.builder().put("username", "alice").put("token", Secret.of(REJECTED)).build());
        try {
          dev.connect();
        } catch (ProphecyException e) {
          thrown.add(e);
        }
        // Bad input around credentials.
        try {
          dev.credentials().set(Credentials.builder().put("username", "alice").put("token", TOKEN).put("extra", TOKEN).build());
        } catch (ProphecyException e) {
          thrown.add(e);
        }
        prophecy.vault().rotateKey();
        prophecy.vault().reencryptAll();
        strings.add(prophecy.vault().toString());
        prophecy.auditLog(1000).forEach(e -> strings.add(e.toString()));
      }
      // A PostgreSQL store URL with a password: the failure to connect must not show it.
      try {
        Prophecy.builder().home(home.resolve("pg")).storeUrl(
            "jdbc:postgresql://127.0.0.1:1/prophecy?user=sdk&password=" + DB_PASSWORD + "&connectTimeout=1").build();
      } catch (ProphecyException e) {
        thrown.add(e);
      }
      try {
        Prophecy.builder().home(home.resolve("pg2")).storeUrl("jdbc:postgresql://127.0.0.1:1/prophecy?connectTimeout=1")
            .storeCredentials("sdk", Secret.of(DB_PASSWORD)).build();
      } catch (ProphecyException e) {
        thrown.add(e);
      }
    } finally {
      root.detachAppender(captured);
      root.setLevel(before);
      for (int i = 0; i < quieted.size(); i++) {
        quieted.get(i).setLevel(quietedLevels.get(i));
      }
    }

    assertThat(thrown).hasSize(5);
    assertThat(captured.list).isNotEmpty();
    List<String> secrets = List.of(TOKEN, REJECTED, DB_PASSWORD);
    for (ILoggingEvent e : captured.list) {
      String text = e.getFormattedMessage() + " " + e.getMessage() + " "
          + (e.getArgumentArray() == null ? "" : List.of(e.getArgumentArray()).toString()) + " " + trace(e.getThrowableProxy());
      assertNoSecret("log event of " + e.getLoggerName(), text, secrets);
    }
    for (Throwable t : thrown) {
      StringWriter w = new StringWriter();
      t.printStackTrace(new PrintWriter(w));
      assertNoSecret("exception " + t.getClass().getSimpleName(), w.toString(), secrets);
    }
    for (String s : strings) {
      assertNoSecret("string form", s, secrets);
    }
    try (Stream<Path> files = Files.walk(home)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        String content = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
        assertNoSecret("file " + home.relativize(f), content, secrets);
      }
    }
    // The checks above can fail: the token really was used, and the rejected one really reached the connector.
    assertThat(thrown.get(1).getMessage()).contains("401").contains("****");
  }

  private static String trace(IThrowableProxy proxy) {
    return proxy == null ? "" : ThrowableProxyUtil.asString(proxy);
  }

  private static void assertNoSecret(String where, String text, List<String> secrets) {
    for (String s : secrets) {
      assertThat(text).as(where + " holds a secret").doesNotContain(s);
    }
  }
}
