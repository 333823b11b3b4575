package io.prophecy.sdk.testing;

import io.prophecy.sdk.ConnectorException;
import io.prophecy.sdk.model.Credentials;
import io.prophecy.sdk.spi.Capability;
import io.prophecy.sdk.spi.CodeLanguage;
import io.prophecy.sdk.spi.CodeUnit;
import io.prophecy.sdk.spi.ConnectorContext;
import io.prophecy.sdk.spi.Execution;
import io.prophecy.sdk.spi.ExecutionResult;
import io.prophecy.sdk.spi.ExecutionSession;
import io.prophecy.sdk.spi.FabricConfig;
import io.prophecy.sdk.spi.FabricConnection;
import io.prophecy.sdk.spi.FabricDescriptor;
import io.prophecy.sdk.spi.FabricProvider;
import io.prophecy.sdk.spi.SessionOptions;
import io.prophecy.sdk.spi.Setting;
import io.prophecy.sdk.spi.SettingType;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A fabric kind for tests, {@code test}: a required URL setting, an optional mode, and credentials of
 * a user name and a secret token. It records every connection it makes. A token of {@code reject-...}
 * makes it fail with a message that echoes the token, as careless servers do, to prove the SDK
 * redacts it. Its sessions echo SQL text back, failing (with the token in the error) on {@code fail}.
 */
public final class TestFabricProvider implements FabricProvider {
  public static final String KIND = "test";

  /** What a connect call received. */
  public record Connected(FabricConfig config, Credentials credentials, ConnectorContext context) {}

  public final List<Connected> connections = new CopyOnWriteArrayList<>();

  /** How many of its connections were closed. */
  public final java.util.concurrent.atomic.AtomicInteger closed = new java.util.concurrent.atomic.AtomicInteger();

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public FabricDescriptor describe() {
    return FabricDescriptor.builder()
        .kind(KIND)
        .displayName("Test engine")
        .addSettings(Setting.required("url", SettingType.URL, "The engine's URL"))
        .addSettings(Setting.optional("mode", SettingType.STRING, "fast", "How to run"))
        .addSettings(Setting.optional("retries", SettingType.INTEGER, "3", "How often to retry"))
        .addCredentials(Setting.builder().name("username").description("Your user name").required(true).build())
        .addCredentials(Setting.secret("token", "Your personal access token"))
        .addCapabilities(Capability.INTERACTIVE_SQL)
        .build();
  }

  @Override
  public FabricConnection connect(FabricConfig config, Credentials credentials, ConnectorContext context) {
    String token = credentials.secret("token").orElseThrow().reveal();
    if (token.startsWith("reject-")) {
      throw new IllegalStateException("401 Unauthorized for token " + token + " at " + config.setting("url").orElseThrow(),
          new RuntimeException("server said: bad token " + token));
    }
    connections.add(new Connected(config, credentials, context));
    return new FabricConnection() {
      @Override
      public Set<Capability> capabilities() {
        return Set.of(Capability.INTERACTIVE_SQL);
      }

      @Override
      public ExecutionSession openSession(SessionOptions options) {
        return new ExecutionSession() {
          @Override
          public CodeLanguage language() {
            return CodeLanguage.sql("spark");
          }

          @Override
          public Execution submit(CodeUnit code) {
            if (code.text().equals("throw")) {
              throw new ConnectorException(KIND, "submit refused, token was " + token);
            }
            ExecutionResult result = code.text().equals("fail")
                ? ExecutionResult.builder().status(ExecutionResult.Status.FAILED)
                    .error("syntax error near 'fail' (session token " + token + ")").build()
                : ExecutionResult.builder().status(ExecutionResult.Status.SUCCEEDED).text(code.text()).build();
            return new Execution() {
              @Override
              public String id() {
                return "1";
              }

              @Override
              public ExecutionResult.Status status() {
                return result.status();
              }

              @Override
              public ExecutionResult await(Duration timeout) {
                return result;
              }

              @Override
              public void cancel() {}
            };
          }

          @Override
          public void close() {}
        };
      }

      @Override
      public String kind() {
        return KIND;
      }

      @Override
      public void close() {
        closed.incrementAndGet();
      }
    };
  }
}
