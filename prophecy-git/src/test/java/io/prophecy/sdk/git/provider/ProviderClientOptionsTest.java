package io.prophecy.sdk.git.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The HTTP options of provider clients: defaults, copies and their checks. */
class ProviderClientOptionsTest {
  @Test
  void defaultsAndCopies() {
    ClientOptions d = ClientOptions.defaults();
    assertThat(d.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(d.readTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(d.callTimeout()).isEqualTo(Duration.ofSeconds(120));
    assertThat(d.maxRetries()).isEqualTo(3);
    assertThat(d.maxRetryWait()).isEqualTo(Duration.ofSeconds(60));
    ClientOptions c = d.withReadTimeout(Duration.ofSeconds(5)).withMaxRetries(0).withMaxRetryWait(Duration.ZERO);
    assertThat(c.readTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.maxRetries()).isZero();
    assertThat(d.readTimeout()).as("the original is unchanged").isEqualTo(Duration.ofSeconds(30));
    assertThat(c.toString()).contains("readTimeout=PT5S", "maxRetries=0");
  }

  @Test
  void badValuesAreRefusedWithTheirName() {
    assertThatThrownBy(() -> ClientOptions.defaults().withConnectTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("connectTimeout must be positive, was PT0S");
    assertThatThrownBy(() -> ClientOptions.defaults().withMaxRetries(11))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("maxRetries must be between 0 and 10, was 11");
    assertThatThrownBy(() -> ClientOptions.defaults().withMaxRetryWait(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("maxRetryWait must not be negative");
  }
}
