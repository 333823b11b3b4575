package io.prophecy.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prophecy.sdk.internal.store.Database;
import io.prophecy.sdk.security.KeyProviders;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Opening the SDK: the home, the store URL, the master key, the schema version. */
class ProphecyBuilderTest {
  @TempDir Path home;

  @Test
  void theHomeComesFromTheBuilderThenProphecyHomeThenTheUsersHome() {
    Map<String, String> env = Map.of("PROPHECY_HOME", home.resolve("from-env").toString());
    assertThat(Prophecy.builder().environment(env::get).resolveHome()).isEqualTo(home.resolve("from-env"));
    assertThat(Prophecy.builder().environment(env::get).home(home.resolve("explicit")).resolveHome())
        .isEqualTo(home.resolve("explicit"));
    assertThat(Prophecy.builder().environment(k -> null).resolveHome())
        .isEqualTo(Path.of(System.getProperty("user.home"), ".prophecy"));
    try (Prophecy p = Prophecy.builder().environment(env::get).build()) {
      assertThat(p.home()).isEqualTo(home.resolve("from-env"));
      assertThat(home.resolve("from-env/prophecy.db")).exists();
      assertThat(p.toString()).contains("from-env").contains("jdbc:sqlite:");
    }
  }

  @Test
  void theMasterKeyIsMadeOwnerOnlyAndAWiderFileIsRefused() throws Exception {
    try (Prophecy p = Prophecy.builder().home(home).build()) {
      assertThat(Prophecy.version()).isNotBlank();
    }
    Path key = home.resolve("master.key");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
    try (Stream<Path> left = Files.list(home)) {
      assertThat(left.map(f -> f.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
    }
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
    assertThatThrownBy(() -> Prophecy.builder().home(home).build()).isInstanceOf(VaultException.class)
        .hasMessageContaining("chmod 600 " + key);
  }

  @Test
  void aStoreOpenedWithAnotherKeySaysWhatIsWrong() throws Exception {
    try (Prophecy p = Prophecy.builder().home(home).build()) {
      p.users().create("alice@example.com");
    }
    Path otherKey = home.resolve("other/master.key");
    assertThatThrownBy(() -> Prophecy.builder().home(home).keyProvider(KeyProviders.masterKeyFile(otherKey)).build())
        .isInstanceOf(VaultException.class).hasMessageContaining("cannot be decrypted with the master key file " + otherKey)
        .hasMessageContaining("same key");
  }

  @Test
  void badStoreUrlsAndUnreachableStoresGiveClearErrors() {
    assertThatThrownBy(() -> Prophecy.builder().home(home).storeUrl("jdbc:mysql://db/prophecy").build())
        .isInstanceOfSatisfying(InvalidInputException.class, e -> {
          assertThat(e.location()).isEqualTo("store url");
          assertThat(e.getMessage()).contains("jdbc:postgresql://");
        });
    assertThatThrownBy(() -> Prophecy.builder().home(home)
            .storeUrl("jdbc:postgresql://127.0.0.1:1/prophecy?password=hunter2&connectTimeout=1").build())
        .isInstanceOf(StoreException.class).hasMessageContaining("Cannot connect to the metadata store")
        .hasMessageContaining("password=****").hasMessageNotContaining("hunter2");
    assertThat(Database.describe("jdbc:postgresql://bob:pw@db:5432/x?user=bob&password=pw&ssl=true"))
        .isEqualTo("jdbc:postgresql://****@db:5432/x?user=bob&password=****&ssl=true");
  }

  @Test
  void aStoreWithANewerSchemaIsRefusedUntouched() throws Exception {
    try (Prophecy p = Prophecy.builder().home(home).build()) {
      p.users().create("alice@example.com");
    }
    String url = "jdbc:sqlite:" + home.resolve("prophecy.db");
    try (Connection c = DriverManager.getConnection(url)) {
      c.createStatement().executeUpdate("INSERT INTO prophecy_schema_history (installed_rank, version, description, type,"
          + " script, checksum, installed_by, installed_on, execution_time, success)"
          + " VALUES (99, '" + (Database.SCHEMA_VERSION + 1) + "', 'future', 'SQL', 'V2__future.sql', 0, 'x', '2026-01-01', 1, 1)");
    }
    assertThatThrownBy(() -> Prophecy.builder().home(home).build()).isInstanceOf(StoreException.class)
        .hasMessageContaining("newer than this SDK knows").hasMessageContaining("Upgrade the SDK");
    try (Connection c = DriverManager.getConnection(url);
        var rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM users")) {
      rs.next();
      assertThat(rs.getInt(1)).isEqualTo(1);
    }
  }

  @Test
  void theSchemaVersionConstantMatchesTheNewestMigration() throws Exception {
    Path dir = Path.of(Database.class.getResource("migration").toURI());
    int newest;
    try (Stream<Path> files = Files.list(dir)) {
      newest = files.map(f -> f.getFileName().toString()).filter(n -> n.matches("V\\d+__.*\\.sql"))
          .mapToInt(n -> Integer.parseInt(n.substring(1, n.indexOf("__")))).max().orElseThrow();
    }
    assertThat(Database.SCHEMA_VERSION).isEqualTo(newest);
  }
}
