package io.prophecy.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import io.prophecy.sdk.model.Role;
import io.prophecy.sdk.model.User;
import io.prophecy.sdk.testing.WriterMain;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several JVMs on one SQLite home: no lost write, and a killed writer leaves a consistent store. */
class MultiProcessTest {
  @TempDir Path home;

  private Process startWriter(String prefix, long count) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        WriterMain.class.getName(), home.toString(), prefix, Long.toString(count));
    pb.redirectError(home.resolve(prefix + ".stderr").toFile());
    return pb.start();
  }

  /** Reads the writer's stdout on a thread; completes with the committed e-mails when the stream ends. */
  private static CompletableFuture<List<String>> committed(Process p, CompletableFuture<Void> ready, int killAfter,
      CompletableFuture<Void> enough) {
    return CompletableFuture.supplyAsync(() -> {
      List<String> emails = new ArrayList<>();
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = r.readLine(); line != null; line = r.readLine()) {
          if (line.equals("ready")) {
            ready.complete(null);
          } else if (line.startsWith("committed ")) {
            emails.add(line.substring("committed ".length()));
            if (emails.size() == killAfter) {
              enough.complete(null);
            }
          }
        }
      } catch (IOException e) {
        // The stream ends abruptly when the process is killed; what was read stands.
      }
      ready.complete(null);
      enough.complete(null);
      return emails;
    });
  }

  @Test
  void twoJvmsWritingOneHomeLoseNoWrite() throws Exception {
    try (Prophecy prophecy = Prophecy.builder().home(home).build()) {
      prophecy.users().create("first@example.com");
      CompletableFuture<Void> ready = new CompletableFuture<>();
      Process child = startWriter("child", 60);
      CompletableFuture<List<String>> childCommits = committed(child, ready, -1, new CompletableFuture<>());
      ready.get(60, TimeUnit.SECONDS);
      for (int i = 0; i < 60; i++) {
        String email = "parent-" + i + "@example.com";
        prophecy.users().create(email);
        prophecy.as(email).teams().create("parent-team-" + i).projects().create("p" + i);
      }
      assertThat(child.waitFor(3, TimeUnit.MINUTES)).isTrue();
      assertThat(child.exitValue()).as(Files.readString(home.resolve("child.stderr"))).isZero();
      assertThat(childCommits.get()).hasSize(60);

      List<User> users = prophecy.users().list();
      assertThat(users).hasSize(1 + 60 + 60);
      for (int i = 0; i < 60; i++) {
        for (String who : List.of("parent", "child")) {
          Team t = prophecy.as(who + "-" + i + "@example.com").teams().get(who + "-team-" + i);
          assertThat(t.projects().list()).extracting(Project::name).containsExactly("p" + i);
        }
      }
    }
  }

  @Test
  void aWriterKilledWithSigkillLeavesAConsistentStore() throws Exception {
    try (Prophecy prophecy = Prophecy.builder().home(home).build()) {
      prophecy.users().create("first@example.com");
    }
    Process child = startWriter("victim", 0);
    CompletableFuture<Void> enough = new CompletableFuture<>();
    CompletableFuture<List<String>> commits = committed(child, new CompletableFuture<>(), 25, enough);
    enough.get(2, TimeUnit.MINUTES);
    child.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no close
    assertThat(child.waitFor(1, TimeUnit.MINUTES)).isTrue();
    assertThat(child.exitValue()).isEqualTo(137);
    List<String> committed = commits.get(1, TimeUnit.MINUTES);
    assertThat(committed).hasSizeGreaterThanOrEqualTo(25);

    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + home.resolve("prophecy.db"));
        ResultSet rs = c.createStatement().executeQuery("PRAGMA integrity_check")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("ok");
    }
    try (Prophecy reopened = Prophecy.builder().home(home).build()) {
      // Every write the child reported committed is there.
      for (String email : committed) {
        assertThat(reopened.users().find(email)).as(email).isPresent();
      }
      // Every user that exists has its personal team with itself as admin: no half-made user.
      for (User u : reopened.users().list()) {
        ProphecySession s = reopened.as(u);
        assertThat(s.personalTeam().myRole()).isEqualTo(Role.ADMIN);
        for (Team t : s.teams().list()) {
          assertThat(t.members().list()).anySatisfy(m -> assertThat(m.role()).isEqualTo(Role.ADMIN));
        }
      }
      // And the store takes writes again.
      reopened.users().create("after@example.com");
      assertThat(reopened.users().find("after@example.com")).isPresent();
    }
  }
}
