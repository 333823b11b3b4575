package io.prophecy.sdk.git.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

/** When the fixture skips, when it fails, and what it reads: without starting any server. */
class NginxGitServerSettingsTest {
  private static Map<String, String> all() {
    Map<String, String> p = new HashMap<>();
    p.put(NginxGitServer.URL_PROPERTY, "http://127.0.0.1:58080");
    p.put(NginxGitServer.USER_PROPERTY, "prophecy-test");
    p.put(NginxGitServer.TOKEN_PROPERTY, "s3cret");
    p.put(NginxGitServer.ROOT_PROPERTY, "/tmp/repos");
    return p;
  }

  @Test
  void noServerSkipsWhenNotRequired() {
    assertThatThrownBy(() -> NginxGitServer.Settings.from(new HashMap<String, String>()::get))
        .isInstanceOf(TestAbortedException.class)
        .hasMessageContaining("scripts/test.sh");
    // Empty values, as Maven passes the parent pom's defaults, are no server either.
    Map<String, String> empty = new HashMap<>(Map.of(NginxGitServer.URL_PROPERTY, "", NginxGitServer.USER_PROPERTY, " ",
        NginxGitServer.TOKEN_PROPERTY, "", NginxGitServer.ROOT_PROPERTY, "", NginxGitServer.REQUIRED_PROPERTY, ""));
    assertThatThrownBy(() -> NginxGitServer.Settings.from(empty::get)).isInstanceOf(TestAbortedException.class);
  }

  @Test
  void noServerFailsWhenRequired() {
    Map<String, String> p = new HashMap<>(Map.of(NginxGitServer.REQUIRED_PROPERTY, "true"));
    assertThatThrownBy(() -> NginxGitServer.Settings.from(p::get))
        .isInstanceOf(IllegalStateException.class)
        .isNotInstanceOf(TestAbortedException.class)
        .hasMessageContaining("No test Git server")
        .hasMessageContaining("prophecy.test.git.required=true");
  }

  @Test
  void aHalfConfiguredServerFailsEvenWhenNotRequired() {
    Map<String, String> p = all();
    p.remove(NginxGitServer.TOKEN_PROPERTY);
    p.put(NginxGitServer.ROOT_PROPERTY, "");
    assertThatThrownBy(() -> NginxGitServer.Settings.from(p::get))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("[" + NginxGitServer.TOKEN_PROPERTY + ", " + NginxGitServer.ROOT_PROPERTY + "]");
  }

  @Test
  void readsTheServerAndNeverPrintsTheToken() {
    NginxGitServer.Settings s = NginxGitServer.Settings.from(all()::get);
    assertThat(s.url()).isEqualTo("http://127.0.0.1:58080/");
    assertThat(s.user()).isEqualTo("prophecy-test");
    assertThat(s.token()).isEqualTo("s3cret");
    assertThat(s.root()).isEqualTo(Path.of("/tmp/repos"));
    assertThat(s.toString()).doesNotContain("s3cret");
    assertThat(new NginxGitServer.Remote(s.url() + "x.git", s.root().resolve("x.git"), s.user(), s.token()).toString())
        .contains("http://127.0.0.1:58080/x.git").doesNotContain("s3cret");
  }

  @Test
  void aUrlThatIsNotHttpFails() {
    Map<String, String> p = all();
    p.put(NginxGitServer.URL_PROPERTY, "file:///tmp/repos");
    assertThatThrownBy(() -> NginxGitServer.Settings.from(p::get))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("not an http(s) URL");
  }
}
