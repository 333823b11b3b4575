package io.prophecy.sdk.git.provider;

import static io.prophecy.sdk.git.provider.ProviderMockServer.TOKEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.prophecy.sdk.InvalidInputException;
import io.prophecy.sdk.ProphecyException;
import io.prophecy.sdk.model.Credentials;
import io.prophecy.sdk.model.Secret;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The token never shows: not in toString, not in any exception's message or stack trace, whatever the answer. */
class ProviderSecretsTest {
  private ProviderMockServer mock;

  @BeforeEach
  void start() throws Exception {
    mock = new ProviderMockServer();
  }

  @AfterEach
  void stop() {
    mock.close();
  }

  @Test
  void valuesAndClientsMaskTheToken() {
    GitCredentials creds = new GitCredentials("alice", "alice@example.com", Secret.of(TOKEN));
    assertThat(creds.toString()).contains("alice", "Secret[****]").doesNotContain(TOKEN);
    for (ProviderHttpBehaviourTest.Fixture f : ProviderHttpBehaviourTest.providers().toList()) {
      GitProvider p = f.provider().apply(mock);
      HttpsCredentials https = p.httpsCredentials(GitCredentials.of("alice", Secret.of(TOKEN)));
      assertThat(https.toString()).doesNotContain(TOKEN);
      assertThat(String.valueOf(https.passwordChars())).isEqualTo(TOKEN);
      assertThat(p.toString()).doesNotContain(TOKEN);
      try (ProviderClient client = p.client(f.credentials(), mock.options())) {
        assertThat(client.toString()).contains(p.host()).doesNotContain(TOKEN);
      }
    }
  }

  @Test
  void credentialsComeFromTheVaultsFieldsPerHost() {
    Credentials stored = Credentials.builder().put("username", "alice").put("token", Secret.of(TOKEN)).build();
    GitCredentials creds = GitCredentials.from(stored);
    assertThat(creds.username()).isEqualTo("alice");
    assertThat(creds.token().reveal()).isEqualTo(TOKEN);
    assertThat(GitProviders.defaults().provider("https://github.com/o/r").host()).isEqualTo("github.com");

    Credentials plainOnly = Credentials.builder().put("username", "alice").put("password", Secret.of(TOKEN)).build();
    assertThatThrownBy(() -> GitCredentials.from(plainOnly)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("credentials.token: no personal access token stored")
        .hasMessageContaining("[password, username]").hasMessageNotContaining(TOKEN);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.prophecy.sdk.git.provider.ProviderHttpBehaviourTest#providers")
  void noErrorAnswerPutsTheTokenInAMessageOrTrace(ProviderHttpBehaviourTest.Fixture f) {
    int[] codes = {400, 401, 403, 404, 409, 422, 429, 500, 502, 503};
    try (ProviderClient client = f.provider().apply(mock).client(f.credentials(),
        mock.options().withMaxRetries(0))) {
      for (int code : codes) {
        mock.enqueue(code, "{\"message\":\"rejected " + TOKEN + "\",\"errors\":[{\"message\":\"" + TOKEN + "\"}],"
            + "\"error\":{\"message\":\"" + TOKEN + "\"}}");
        Throwable t = catchThrowable(client::whoami);
        assertThat(t).as("HTTP %d", code).isInstanceOf(ProphecyException.class);
        StringWriter trace = new StringWriter();
        t.printStackTrace(new PrintWriter(trace));
        assertThat(trace.toString()).as("HTTP %d", code).contains("rejected ****").doesNotContain(TOKEN);
      }
    }
  }
}
