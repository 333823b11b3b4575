package io.prophecy.sdk.databricks.internal;

import static io.prophecy.sdk.databricks.internal.AuthFixture.enqueue;
import static io.prophecy.sdk.databricks.internal.AuthFixture.fake;
import static io.prophecy.sdk.databricks.internal.AuthFixture.tokenAnswer;
import static io.prophecy.sdk.databricks.internal.AzureAdServicePrincipalTest.created;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import io.prophecy.sdk.StoreException;
import io.prophecy.sdk.model.Credentials;
import io.prophecy.sdk.model.Secret;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Runs the auth kinds through their failures with all logging at TRACE, servers echoing the secrets
 * back, and looks for the secrets in every log event, exception (with its causes) and string form.
 */
class AuthSecretLeakTest {
  @Test
  void noSecretReachesLogsMessagesOrStrings() throws Exception {
    LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.setContext(ctx);
    logs.start();
    Level before = root.getLevel();
    root.addAppender(logs);
    root.setLevel(Level.TRACE);
    List<String> secrets = new ArrayList<>();
    List<Throwable> thrown = new ArrayList<>();
    List<String> strings = new ArrayList<>();
    try (AuthFixture f = new AuthFixture()) {
      // OAuth M2M: the client refused with the secret echoed, then a token, then a 401 echoing it
      String m2mSecret = fake("dose");
      String m2mToken = fake("eyJ-m2m-");
      String m2mRenewed = fake("eyJ-m2m-");
      secrets.add(m2mSecret);
      secrets.add(m2mToken);
      secrets.add(m2mRenewed);
      DatabricksAuth m2m = f.auth(Credentials.builder().put("clientId", "sp-1").put("clientSecret", Secret.of(m2mSecret))
          .build(), f.config());
      strings.add(m2m.toString());
      try (DatabricksHttp http = f.http(m2m)) {
        enqueue(f.ws.server, 401, "{\"error\":\"invalid_client\",\"error_description\":\"bad " + m2mSecret + "\"}");
        enqueue(f.ws.server, 200, tokenAnswer(m2mToken, 3600));
        enqueue(f.ws.server, 401, "{\"error_code\":\"UNAUTHENTICATED\",\"message\":\"bad token " + m2mToken + "\"}");
        enqueue(f.ws.server, 200, tokenAnswer(m2mRenewed, 3600));
        enqueue(f.ws.server, 401, "{\"error_code\":\"UNAUTHENTICATED\",\"message\":\"bad token " + m2mRenewed + "\"}");
        for (int i = 0; i < 2; i++) {
          try {
            http.get("/api/2.0/clusters/list", "list clusters");
          } catch (RuntimeException e) {
            thrown.add(e);
          }
        }
      }

      // Azure AD service principal: a rotation whose store fails, then one whose delete fails
      String aadSecret = fake("aad~");
      String aadToken = fake("eyJ-aad-");
      String old = fake("dapi");
      String pat = fake("dapi");
      secrets.add(aadSecret);
      secrets.add(aadToken);
      secrets.add(old);
      secrets.add(pat);
      java.time.Instant createdAt = f.ws.test.clock.instant().minus(Duration.ofHours(20));
      Credentials stored = Credentials.builder().put("azureTenantId", "t-1").put("azureClientId", "app-1")
          .put("azureClientSecret", Secret.of(aadSecret)).put("generatedToken", Secret.of(old))
          .put("generatedTokenId", "tok-old").put("generatedTokenCreatedAt", createdAt.toString())
          .put("generatedTokenExpiresAt", createdAt.plus(Duration.ofDays(1)).toString()).build();
      f.context.storeInitially(stored);
      DatabricksAuth sp = f.auth(stored, f.config());
      strings.add(sp.toString());
      try (DatabricksHttp http = f.http(sp)) {
        f.context.failNextStore.set(new StoreException("store down while writing " + stored));
        enqueue(f.aad, 200, tokenAnswer(aadToken, 3599));
        enqueue(f.ws.server, 200, created(pat, "tok-new", f.ws.test.clock.instant()));
        enqueue(f.ws.server, 500, "{\"error_code\":\"INTERNAL_ERROR\",\"message\":\"cannot delete " + pat + "\"}");
        enqueue(f.ws.server, 200, "{}");
        http.get("/api/2.0/clusters/list", "list clusters");
        f.advance(Duration.ofMinutes(2));
        enqueue(f.ws.server, 200, created(pat, "tok-new", f.ws.test.clock.instant()));
        enqueue(f.ws.server, 500, "{\"error_code\":\"INTERNAL_ERROR\",\"message\":\"cannot delete " + old + "\"}");
        enqueue(f.ws.server, 403, "{\"error_code\":\"PERMISSION_DENIED\",\"message\":\"no access for " + pat + "\"}");
        try {
          http.get("/api/2.0/clusters/list", "list clusters");
        } catch (RuntimeException e) {
          thrown.add(e);
        }
      }
      strings.add(sp.toString());
    } finally {
      root.detachAppender(logs);
      root.setLevel(before);
    }

    assertThat(thrown).hasSize(3);
    assertThat(logs.list).isNotEmpty();
    // the checks below can fail: the servers really echoed the secrets, and the messages kept the rest
    assertThat(thrown.get(0).getMessage()).contains("bad ****");
    assertThat(thrown.get(1).getMessage()).contains("bad token ****");
    assertThat(thrown.get(2).getMessage()).contains("no access for ****");
    assertThat(logs.list).anySatisfy(e -> assertThat(e.getFormattedMessage()).contains("cannot delete ****"));
    for (ILoggingEvent e : logs.list) {
      String text = e.getFormattedMessage() + " " + (e.getThrowableProxy() == null ? ""
          : ThrowableProxyUtil.asString(e.getThrowableProxy()));
      for (String s : secrets) {
        assertThat(text).as("log event of " + e.getLoggerName()).doesNotContain(s);
      }
    }
    for (Throwable t : thrown) {
      StringWriter w = new StringWriter();
      t.printStackTrace(new PrintWriter(w));
      for (String s : secrets) {
        assertThat(w.toString()).as("exception").doesNotContain(s);
      }
    }
    for (String str : strings) {
      for (String s : secrets) {
        assertThat(str).doesNotContain(s);
      }
    }
  }
}
