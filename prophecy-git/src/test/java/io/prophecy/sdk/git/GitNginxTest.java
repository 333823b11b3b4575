package io.prophecy.sdk.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prophecy.sdk.GitAuthenticationException;
import io.prophecy.sdk.GitPushRejectedException;
import io.prophecy.sdk.InvalidInputException;
import io.prophecy.sdk.Project;
import io.prophecy.sdk.Prophecy;
import io.prophecy.sdk.ProphecySession;
import io.prophecy.sdk.Team;
import io.prophecy.sdk.git.testing.NginxGitServer;
import io.prophecy.sdk.model.Commit;
import io.prophecy.sdk.model.DatasetSpec;
import io.prophecy.sdk.model.FileChange.Change;
import io.prophecy.sdk.model.MergeResult;
import io.prophecy.sdk.model.ProjectChanges.EntityChange;
import io.prophecy.sdk.model.ProjectSpec;
import io.prophecy.sdk.model.Role;
import io.prophecy.sdk.model.Secret;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ReflogEntry;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SDK's Git workflow, through its API only, against the reference server: nginx with basic auth in
 * front of git-http-backend ({@link NginxGitServer}, started by scripts/test.sh). Two members of a team,
 * each with a basic-auth user and token of their own on the server, kept in the vault.
 */
class GitNginxTest {
  @RegisterExtension static final NginxGitServer SERVER = new NginxGitServer();
  private static final String MAIN = "refs/heads/main";

  @TempDir Path tmp;
  private Prophecy prophecy;
  private NginxGitServer.Remote remote;
  private NginxGitServer.User bobOnServer;
  private String host;
  private ProphecySession alice;
  private ProphecySession bob;
  private Team aliceTeam;
  private Team bobTeam;

  @BeforeEach
  void start() {
    remote = SERVER.createRepository("sdk-" + Long.toHexString(System.nanoTime()));
    bobOnServer = SERVER.addUser("bob-" + Long.toHexString(System.nanoTime()));
    URI uri = URI.create(remote.cloneUrl());
    host = uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
    prophecy = Prophecy.builder().home(tmp.resolve("home")).build(); // the code store ServiceLoader finds
    prophecy.users().create("alice@example.com");
    prophecy.users().create("bob@example.com");
    alice = prophecy.as("alice@example.com");
    bob = prophecy.as("bob@example.com");
    aliceTeam = alice.teams().create("analytics");
    aliceTeam.members().add("bob@example.com", Role.MEMBER);
    bobTeam = bob.teams().get("analytics");
    // A plain Git server is no provider: the user name the server knows is stored beside the token.
    alice.gitCredentials().set(host, remote.user(), Secret.of(remote.token()));
    bob.gitCredentials().set(host, bobOnServer.name(), Secret.of(bobOnServer.token()));
  }

  @AfterEach
  void stop() throws IOException {
    if (prophecy != null) {
      prophecy.close();
    }
    deleteTree(remote.directory());
  }

  private static DatasetSpec csv(String name) {
    return DatasetSpec.builder().name(name).format("csv").path("data/" + name + ".csv").build();
  }

  /** A project with a dataset and a pipeline, made by alice with the server as its remote, and pushed. */
  private Project createAndPush() {
    Project shop = aliceTeam.projects().create(ProjectSpec.builder().name("shop").gitRemote(remote.cloneUrl()).build());
    shop.datasets().create(csv("orders"));
    shop.pipelines().create("daily", p -> p.source("Orders", "orders").filter("Paid", "Orders", "status = 'PAID'"));
    shop.git().commit("Daily paid orders");
    shop.git().push();
    return shop;
  }

  private Repository bare() throws IOException {
    return new FileRepositoryBuilder().setGitDir(remote.directory().toFile()).setMustExist(true).build();
  }

  private ObjectId serverMain() throws IOException {
    try (Repository bare = bare()) {
      return bare.resolve(MAIN);
    }
  }

  /** The basic-auth user git-http-backend recorded for the last update of main (nginx's REMOTE_USER). */
  private String lastPusher() throws IOException {
    try (Repository bare = bare()) {
      ReflogEntry entry = bare.getRefDatabase().getReflogReader(MAIN).getLastEntry();
      return entry.getWho().getName();
    }
  }

  @Test
  void aProjectPushedByOneMemberIsClonedByAnotherWithTheirOwnTokenAndPullBringsTheNextPush() throws Exception {
    Project shop = createAndPush();
    Commit pushed = shop.git().log(1).get(0);
    assertThat(pushed.subject()).isEqualTo("Daily paid orders");
    assertThat(serverMain().getName()).isEqualTo(pushed.id());
    assertThat(lastPusher()).isEqualTo(remote.user());
    String config = Files.readString(shop.workingCopy().resolve(".git/config"), StandardCharsets.UTF_8);
    assertThat(config).contains("url = " + remote.cloneUrl()).doesNotContain(remote.token());

    Project bobs = bobTeam.projects().clone("shop_bob", remote.cloneUrl());
    assertThat(bobs.pipelines().list()).extracting(p -> p.name()).containsExactly("daily");
    assertThat(bobs.pipelines().get("daily").graph().gems()).extracting(g -> g.name()).containsExactly("Orders", "Paid");
    assertThat(bobs.datasets().list()).extracting(d -> d.name()).containsExactly("orders");
    assertThat(bobs.git().log(5)).extracting(Commit::id).startsWith(pushed.id());
    assertThat(bobs.git().remote()).contains(remote.cloneUrl());

    shop.pipelines().create("weekly", p -> p.source("Orders", "orders").filter("Big", "Orders", "amount > 100"));
    Commit second = shop.git().commit("Weekly big orders");
    shop.git().push();
    MergeResult pulled = bobs.git().pull();
    assertThat(pulled.status()).isEqualTo(MergeResult.Status.FAST_FORWARD);
    assertThat(pulled.head()).contains(second.id());
    assertThat(pulled.changes().pipelines()).containsExactly(new EntityChange("weekly", Change.ADDED));
    assertThat(bobs.pipelines().list()).extracting(p -> p.name()).containsExactlyInAnyOrder("daily", "weekly");
    assertThat(bobs.git().pull().status()).isEqualTo(MergeResult.Status.UP_TO_DATE);

    // Bob's push goes with his own credentials: nginx passed his user to git-http-backend.
    bobs.datasets().create(csv("customers"));
    Commit bobsCommit = bobs.git().commit("Customers");
    assertThat(bobsCommit.authorEmail()).isEqualTo("bob@example.com");
    bobs.git().push();
    assertThat(serverMain().getName()).isEqualTo(bobsCommit.id());
    assertThat(lastPusher()).isEqualTo(bobOnServer.name());
    assertThat(shop.git().pull().changes().datasets()).containsExactly(new EntityChange("customers", Change.ADDED));
    assertThat(GitFixtures.filesContaining(tmp.resolve("home"), remote.token())).isEmpty();
    assertThat(GitFixtures.filesContaining(tmp.resolve("home"), bobOnServer.token())).isEmpty();
  }

  @Test
  void aWrongTokenIsAnAuthenticationErrorNamingTheHostAndARetriedPushAfterItIsSafe() throws Exception {
    String wrong = "wrong-token-" + Long.toHexString(System.nanoTime());
    Project shop = aliceTeam.projects().create(ProjectSpec.builder().name("shop").gitRemote(remote.cloneUrl()).build());
    shop.datasets().create(csv("orders"));
    Commit local = shop.git().commit("Orders");
    alice.gitCredentials().set(host, remote.user(), Secret.of(wrong));

    assertThatThrownBy(() -> shop.git().push()).isInstanceOfSatisfying(GitAuthenticationException.class, e -> {
      assertThat(e.getMessage()).contains("Cannot push").contains("the Git host " + host).contains("refused the token")
          .contains("session.gitCredentials().set(\"" + host + "\", token)");
      for (Throwable t = e; t != null; t = t.getCause()) {
        assertThat(String.valueOf(t.getMessage())).doesNotContain(wrong).doesNotContain(remote.token());
      }
    });
    assertThat(serverMain()).as("nothing reached the server").isNull();
    assertThat(shop.git().log(1).get(0).id()).isEqualTo(local.id());
    assertThatThrownBy(() -> bobTeam.projects().clone("shop_bob", remote.cloneUrl()))
        .as("with his right token bob reaches the (still empty) remote").isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("pbt_project.yml");
    bob.gitCredentials().set(host, bobOnServer.name(), Secret.of(wrong));
    assertThatThrownBy(() -> bobTeam.projects().clone("shop_bob", remote.cloneUrl()))
        .isInstanceOfSatisfying(GitAuthenticationException.class, e -> assertThat(e.getMessage())
            .contains("Cannot clone").contains(host).doesNotContain(wrong));
    assertThat(prophecy.auditLog(100)).allSatisfy(e -> assertThat(e.toString()).doesNotContain(wrong));

    // With the right token again the same push goes through; pushing again changes nothing.
    alice.gitCredentials().set(host, remote.user(), Secret.of(remote.token()));
    shop.git().push();
    assertThat(serverMain().getName()).isEqualTo(local.id());
    shop.git().push();
    assertThat(serverMain().getName()).isEqualTo(local.id());
    try (Repository bare = bare()) {
      assertThat(bare.getRefDatabase().getReflogReader(MAIN).getReverseEntries()).as("one update of main").hasSize(1);
    }
  }

  @Test
  void aRemoteThatMovedAheadRejectsThePushTheLocalCommitStaysAndPullThenPushSendsIt() throws Exception {
    Project shop = createAndPush();
    Project bobs = bobTeam.projects().clone("shop_bob", remote.cloneUrl());
    bobs.datasets().create(csv("customers"));
    Commit bobsCommit = bobs.git().commit("Customers");
    bobs.git().push();

    shop.datasets().create(csv("payments"));
    Commit mine = shop.git().commit("Payments");
    assertThatThrownBy(() -> shop.git().push()).isInstanceOfSatisfying(GitPushRejectedException.class, e ->
        assertThat(e.getMessage()).contains("pull first").contains("No local commit was lost")
            .doesNotContain(remote.token()));
    assertThat(serverMain().getName()).as("the server keeps bob's commit").isEqualTo(bobsCommit.id());
    assertThat(shop.git().log(1).get(0).id()).isEqualTo(mine.id());
    assertThat(gitLog(shop.workingCopy())).as("git log of the working copy").startsWith(mine.id() + " Payments");
    assertThat(shop.git().status().isEmpty()).isTrue();
    // Retrying without pulling is rejected the same way and loses nothing.
    assertThatThrownBy(() -> shop.git().push()).isInstanceOf(GitPushRejectedException.class);
    assertThat(gitLog(shop.workingCopy()).get(0)).isEqualTo(mine.id() + " Payments");

    MergeResult merged = shop.git().pull();
    assertThat(merged.status()).isEqualTo(MergeResult.Status.MERGED);
    assertThat(shop.datasets().list()).extracting(d -> d.name()).containsExactlyInAnyOrder("orders", "customers", "payments");
    shop.git().push();
    String head = shop.git().log(1).get(0).id();
    assertThat(serverMain().getName()).isEqualTo(head);
    assertThat(gitLog(shop.workingCopy())).contains(mine.id() + " Payments", bobsCommit.id() + " Customers");
    shop.git().push();
    assertThat(serverMain().getName()).isEqualTo(head);
    assertThat(bobs.git().pull().status()).isEqualTo(MergeResult.Status.FAST_FORWARD);
    assertThat(bobs.datasets().list()).extracting(d -> d.name()).contains("payments");
  }

  /** {@code git log --format='%H %s'} of a working copy, by the git command line. */
  private static List<String> gitLog(Path workingCopy) throws Exception {
    Process p = new ProcessBuilder("git", "-C", workingCopy.toString(), "log", "--format=%H %s", "-n", "20")
        .redirectErrorStream(true).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("git log: " + out).isZero();
    List<String> lines = new ArrayList<>();
    for (String line : out.split("\n")) {
      if (!line.isBlank()) {
        lines.add(line.strip());
      }
    }
    return lines;
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var walk = Files.walk(dir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
