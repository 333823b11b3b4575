package io.prophecy.sdk.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prophecy.sdk.ConflictException;
import io.prophecy.sdk.ConnectorException;
import io.prophecy.sdk.InvalidInputException;
import io.prophecy.sdk.NotFoundException;
import io.prophecy.sdk.PermissionDeniedException;
import io.prophecy.sdk.ProphecyException;
import io.prophecy.sdk.spi.Capability;
import io.prophecy.sdk.spi.ExecutionSession;
import io.prophecy.sdk.spi.FabricConnection;
import io.prophecy.sdk.spi.SessionOptions;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The redacting view core puts around a connector's connection: it reaches the connector's own API (by
 * cast and by {@link FabricConnection#unwrap}), keeps what is reached through it redacted, and keeps the
 * SDK's exception types while masking secrets in their messages.
 */
public class RedactionTest {
  /** A connector's own API beyond the SPI, as prophecy-databricks' DatabricksConnection is. */
  public interface ClusteredConnection extends FabricConnection {
    Clusters clusters();
  }

  /** A handle the connector's API returns. */
  public interface Clusters {
    String get(String id);
  }

  /** Not implemented by the connection. */
  public interface Other {}

  private String secret;
  private Redaction redaction;
  private FabricConnection raw;

  @BeforeEach
  void setUp() {
    byte[] bytes = new byte[12];
    ThreadLocalRandom.current().nextBytes(bytes);
    secret = "tok" + HexFormat.of().formatHex(bytes);
    redaction = new Redaction("test", Set.of(secret));
    raw = new Connection();
  }

  private final class Connection implements ClusteredConnection {
    @Override
    public Set<Capability> capabilities() {
      return Set.of(Capability.CLUSTERS);
    }

    @Override
    public ExecutionSession openSession(SessionOptions options) {
      throw new PermissionDeniedException("no sessions for token " + secret);
    }

    @Override
    public String kind() {
      return "test";
    }

    @Override
    public void close() {}

    @Override
    public Clusters clusters() {
      return id -> switch (id) {
        case "leaky" -> throw new NotFoundException("no cluster " + id + " for token " + secret);
        case "missing" -> throw new NotFoundException("no cluster " + id);
        case "bad" -> throw new InvalidInputException("clusterId", "'" + id + "' is not valid with " + secret);
        case "state" -> throw new ConnectorException("test", "cluster in state ERROR, asked with " + secret,
            new IllegalStateException("cause with " + secret));
        case "busy" -> throw new ConflictException("cluster busy");
        case "npe" -> throw new IllegalStateException("oops " + secret);
        default -> "cluster " + id + " seen by " + secret;
      };
    }
  }

  @Test
  void theWrappedConnectionIsTheConnectorsOwnTypeByCastAndByUnwrap() {
    FabricConnection c = redaction.wrap(raw);

    assertThat(c).isNotSameAs(raw).isInstanceOf(ClusteredConnection.class);
    Optional<ClusteredConnection> unwrapped = c.unwrap(ClusteredConnection.class);
    assertThat(unwrapped).containsSame((ClusteredConnection) c);
    assertThat(c.unwrap(FabricConnection.class)).containsSame(c);
    assertThat(c.unwrap(Other.class)).isEmpty();
    assertThat(c.unwrap(Connection.class)).as("the raw connection is not handed out").isEmpty();
    assertThat(c.toString()).isEqualTo("FabricConnection[test]");
    // the handle the connector's API returns is reached, and is redacted as well
    Clusters clusters = unwrapped.orElseThrow().clusters();
    assertThat(clusters.get("ok")).isEqualTo("cluster ok seen by " + secret);
  }

  @Test
  void theSpiDefaultUnwrapAnswersByType() {
    assertThat(raw.unwrap(ClusteredConnection.class)).containsSame((ClusteredConnection) raw);
    assertThat(raw.unwrap(Other.class)).isEmpty();
    assertThatThrownBy(() -> raw.unwrap(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void exceptionsThroughTheConnectorsApiKeepTheirTypesAndLoseTheSecret() {
    Clusters clusters = redaction.wrap(raw).unwrap(ClusteredConnection.class).orElseThrow().clusters();

    assertThatThrownBy(() -> clusters.get("missing")).isExactlyInstanceOf(NotFoundException.class)
        .hasMessage("no cluster missing");
    assertThatThrownBy(() -> clusters.get("busy")).isExactlyInstanceOf(ConflictException.class)
        .hasMessage("cluster busy");
    assertThatThrownBy(() -> clusters.get("leaky")).isExactlyInstanceOf(NotFoundException.class)
        .hasMessage("no cluster leaky for token ****");
    assertThatThrownBy(() -> clusters.get("bad")).isExactlyInstanceOf(InvalidInputException.class)
        .hasMessage("clusterId: 'bad' is not valid with ****")
        .satisfies(e -> assertThat(((InvalidInputException) e).location()).isEqualTo("clusterId"));
    assertThatThrownBy(() -> clusters.get("state")).isExactlyInstanceOf(ConnectorException.class)
        .hasMessage("[test] cluster in state ERROR, asked with ****")
        .satisfies(e -> assertThat(e.getCause().getMessage()).isEqualTo("java.lang.IllegalStateException: cause with ****"));
    assertThatThrownBy(() -> clusters.get("npe")).isExactlyInstanceOf(ConnectorException.class)
        .hasMessage("[test] the connector failed: java.lang.IllegalStateException: oops ****");
    assertThatThrownBy(() -> redaction.wrap(raw).openSession(null)).isExactlyInstanceOf(PermissionDeniedException.class)
        .hasMessage("no sessions for token ****");
  }

  @Test
  void anSdkExceptionWithoutASecretIsThrownAsItIs() {
    NotFoundException e = new NotFoundException("no cluster x");
    assertThat(redaction.failure(e)).isSameAs(e);
    ProphecyException p = new ProphecyException("plain");
    assertThat(redaction.failure(p)).isSameAs(p);
    RuntimeException other = redaction.failure(new IllegalArgumentException("plain"));
    assertThat(other).isExactlyInstanceOf(ConnectorException.class).hasMessageContaining("[test] the connector failed")
        .hasCauseInstanceOf(IllegalArgumentException.class);
  }
}
