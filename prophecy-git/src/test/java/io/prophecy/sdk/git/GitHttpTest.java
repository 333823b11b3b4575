package io.prophecy.sdk.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prophecy.sdk.ConflictException;
import io.prophecy.sdk.GitAuthenticationException;
import io.prophecy.sdk.GitException;
import io.prophecy.sdk.GitPushRejectedException;
import io.prophecy.sdk.InvalidInputException;
import io.prophecy.sdk.MergeConflictException;
import io.prophecy.sdk.NotFoundException;
import io.prophecy.sdk.Project;
import io.prophecy.sdk.Prophecy;
import io.prophecy.sdk.ProphecySession;
import io.prophecy.sdk.Team;
import io.prophecy.sdk.model.AuditEvent;
import io.prophecy.sdk.model.Commit;
import io.prophecy.sdk.model.DatasetSpec;
import io.prophecy.sdk.model.FileChange.Change;
import io.prophecy.sdk.model.MergeResult;
import io.prophecy.sdk.model.ProjectChanges.EntityChange;
import io.prophecy.sdk.model.ProjectSpec;
import io.prophecy.sdk.model.Release;
import io.prophecy.sdk.model.Role;
import io.prophecy.sdk.model.Secret;
import io.prophecy.sdk.pipeline.PipelineGraph;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.revwalk.RevWalk;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clone, pull, push and release over smart HTTP with basic auth, against JGit's HTTP server in Jetty
 * in this JVM: the acting users' tokens come from the vault, per host.
 */
class GitHttpTest {
  /** Tokens made when the tests run: the embedded server accepts whatever it is given. */
  private static final String ALICE_TOKEN = "alice-" + java.util.UUID.randomUUID();
  private static final String BOB_TOKEN = "bob-" + java.util.UUID.randomUUID();

  @TempDir Path tmp;
  private GitHttpServer server;
  private Prophecy prophecy;
  private ProphecySession alice;
  private ProphecySession bob;
  private Team aliceTeam;
  private Team bobTeam;

  @BeforeEach
  void start() throws Exception {
    server = new GitHttpServer(Files.createDirectories(tmp.resolve("server"))).allowToken(ALICE_TOKEN).allow("bob", BOB_TOKEN);
    Path bare = server.createBare("shop");
    GitFixtures.seed(bare, "git_shop", tmp.resolve("seed"));
    prophecy = Prophecy.builder().home(tmp.resolve("home")).build();
    prophecy.users().create("alice@example.com");
    prophecy.users().create("bob@example.com");
    alice = prophecy.as("alice@example.com");
    bob = prophecy.as("bob@example.com");
    Team shared = alice.teams().create("analytics");
    shared.members().add("bob@example.com", Role.MEMBER);
    aliceTeam = shared;
    bobTeam = bob.teams().get("analytics");
    alice.gitCredentials().set(server.host(), Secret.of(ALICE_TOKEN));
    bob.gitCredentials().set("127.0.0.1", "bob", Secret.of(BOB_TOKEN)); // the bare host serves every port
  }

  @AfterEach
  void stop() throws Exception {
    prophecy.close();
    server.close();
  }

  private static DatasetSpec csv(String name) {
    return DatasetSpec.builder().name(name).format("csv").path("data/" + name + ".csv").build();
  }

  private ObjectId serverHead(String repo, String ref) throws Exception {
    try (Git git = server.open(repo)) {
      Ref r = git.getRepository().exactRef(ref);
      return r == null ? null : r.getObjectId();
    }
  }

  @Test
  void aRealProphecyProjectClonesWithTheUsersTokenAndOpensThroughTheFormatReader() throws Exception {
    Project shop = aliceTeam.projects().clone("shop", server.url("shop"));
    assertThat(shop.info().spec().gitRemote()).contains(server.url("shop"));
    assertThat(shop.info().spec().defaultBranch()).isEqualTo("main");
    assertThat(shop.info().spec().description()).contains("A Prophecy project kept in a Git repository, for the Git tests");
    assertThat(shop.pipelines().list()).extracting(p -> p.name()).containsExactly("daily_orders");
    assertThat(shop.pipelines().get("daily_orders").graph().gems()).extracting(g -> g.name())
        .contains("Orders", "Paid", "Report");
    assertThat(shop.datasets().list()).extracting(d -> d.name()).containsExactlyInAnyOrder("orders", "order_report");
    assertThat(shop.jobs().list()).extracting(j -> j.name()).containsExactly("nightly");
    assertThat(shop.git().log(5)).extracting(Commit::subject).containsExactly("Project from Prophecy");
    assertThat(shop.git().remote()).contains(server.url("shop"));

    // The token went as basic auth, and is in no file under the home (.git/config included) nor the audit log.
    assertThat(server.requests).anyMatch(r -> r.contains("git-upload-pack") && r.endsWith(" 200"));
    String config = Files.readString(shop.workingCopy().resolve(".git/config"), StandardCharsets.UTF_8);
    assertThat(config).contains("url = " + server.url("shop")).doesNotContain(ALICE_TOKEN);
    assertThat(GitFixtures.filesContaining(tmp.resolve("home"), ALICE_TOKEN)).isEmpty();
    assertThat(prophecy.auditLog(50)).allSatisfy(e -> assertThat(e.toString()).doesNotContain(ALICE_TOKEN));
    assertThat(prophecy.auditLog(50)).anySatisfy(e -> {
      assertThat(e.action()).isEqualTo("credential.use");
      assertThat(e.detail()).hasValueSatisfying(d -> assertThat(d).contains("git host " + server.host()));
    });
    assertThat(prophecy.auditLog(50)).anySatisfy(e -> {
      assertThat(e.action()).isEqualTo("project.clone");
      assertThat(e.outcome()).isEqualTo(AuditEvent.Outcome.SUCCESS);
    });
  }

  @Test
  void aWrongTokenIsAClearAuthenticationErrorAndLeavesNothingBehind() throws Exception {
    alice.gitCredentials().set(server.host(), Secret.of("ghp_wrong_but_secret_42"));
    Path dir = tmp.resolve("home/projects/elsewhere");
    assertThatThrownBy(() -> aliceTeam.projects().clone(ProjectSpec.builder().name("shop").gitRemote(server.url("shop"))
            .workingCopy(dir).build()))
        .isInstanceOfSatisfying(GitAuthenticationException.class, e -> {
          assertThat(e.getMessage()).contains(server.host()).contains("refused the token")
              .contains("session.gitCredentials().set").doesNotContain("ghp_wrong_but_secret_42");
          assertThat(e.kind()).isEqualTo("git");
          for (Throwable t = e; t != null; t = t.getCause()) {
            assertThat(String.valueOf(t.getMessage())).doesNotContain("ghp_wrong_but_secret_42");
          }
        });
    assertThat(dir).doesNotExist();
    assertThatThrownBy(() -> aliceTeam.projects().get("shop")).isInstanceOf(NotFoundException.class);
    Path mine = Files.createDirectories(tmp.resolve("my-empty-folder"));
    assertThatThrownBy(() -> aliceTeam.projects().clone(ProjectSpec.builder().name("shop").gitRemote(server.url("shop"))
        .workingCopy(mine).build())).isInstanceOf(GitAuthenticationException.class);
    assertThat(mine).isEmptyDirectory(); // a folder that was there stays
    assertThat(prophecy.auditLog(5)).anySatisfy(e -> {
      assertThat(e.action()).isEqualTo("project.clone");
      assertThat(e.outcome()).isEqualTo(AuditEvent.Outcome.FAILED);
      assertThat(e.detail().orElseThrow()).contains("GitAuthenticationException").doesNotContain("ghp_wrong");
    });

    alice.gitCredentials().clear(server.host());
    assertThatThrownBy(() -> aliceTeam.projects().clone("shop", server.url("shop")))
        .isInstanceOf(GitAuthenticationException.class).hasMessageContaining("none are stored");
  }

  @Test
  void aRepositoryWithoutAProphecyProjectIsRefusedAndTheCloneRemoved() throws Exception {
    Path bare = server.createBare("notes");
    Path work = Files.createDirectories(tmp.resolve("notes-work"));
    try (Git git = Git.init().setDirectory(work.toFile()).setInitialBranch("main").call()) {
      Files.writeString(work.resolve("README.md"), "no project here\n");
      git.add().addFilepattern(".").call();
      git.commit().setMessage("notes").setAuthor("x", "x@example.com").setCommitter("x", "x@example.com").setSign(false).call();
      git.push().setRemote(bare.toUri().toString()).add("main").call();
    }
    assertThatThrownBy(() -> aliceTeam.projects().clone("notes", server.url("notes")))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("pbt_project.yml").hasMessageContaining("missing");
    assertThat(tmp.resolve("home/projects").resolve(aliceTeam.info().id()).resolve("notes")).doesNotExist();
  }

  @Test
  void pullBringsAnotherMembersPushAndReportsTheChangedPipelines() throws Exception {
    Project mine = aliceTeam.projects().clone("shop", server.url("shop"));
    Project theirs = bobTeam.projects().clone(ProjectSpec.builder().name("shop-bob").gitRemote(server.url("shop")).build());
    theirs.pipelines().get("daily_orders").update(PipelineGraph.of("daily_orders", p -> p
        .source("Orders", "orders").filter("Paid", "Orders", "status = 'PAID' AND amount > 10").target("Report", "Paid", "order_report")));
    Commit bobs = theirs.git().commit("Bigger orders only");
    assertThat(bobs.authorEmail()).isEqualTo("bob@example.com");
    theirs.git().push();
    assertThat(serverHead("shop", "refs/heads/main").getName()).isEqualTo(bobs.id());
    assertThat(server.requests).anyMatch(r -> r.contains("git-receive-pack") && r.contains(" bob "));

    MergeResult pulled = mine.git().pull();
    assertThat(pulled.status()).isEqualTo(MergeResult.Status.FAST_FORWARD);
    assertThat(pulled.head()).contains(bobs.id());
    assertThat(pulled.changes().pipelines()).containsExactly(new EntityChange("daily_orders", Change.MODIFIED));
    assertThat(pulled.changes().datasets()).isEmpty();
    assertThat(mine.pipelines().get("daily_orders").graph().gem("Paid").properties().toString()).contains("amount > 10");
    assertThat(mine.git().pull().status()).isEqualTo(MergeResult.Status.UP_TO_DATE);
  }

  @Test
  void aPullOrPushWithAWrongTokenIsAnAuthenticationErrorAndChangesNothing() throws Exception {
    Project mine = aliceTeam.projects().clone("shop", server.url("shop"));
    mine.datasets().create(csv("customers"));
    Commit local = mine.git().commit("Customers");
    alice.gitCredentials().set(server.host(), Secret.of("ghp_revoked_0000"));
    assertThatThrownBy(() -> mine.git().pull()).isInstanceOf(GitAuthenticationException.class)
        .hasMessageContaining("Cannot fetch").hasMessageContaining("refused the token");
    assertThatThrownBy(() -> mine.git().push()).isInstanceOf(GitAuthenticationException.class)
        .hasMessageContaining("Cannot push").satisfies(e -> assertThat(e.getMessage()).doesNotContain("ghp_revoked"));
    assertThat(mine.git().log(1).get(0).id()).isEqualTo(local.id());
    assertThat(mine.git().status().isEmpty()).isTrue();
    assertThat(serverHead("shop", "refs/heads/main").getName()).isNotEqualTo(local.id());
  }

  @Test
  void aPullThatConflictsNamesFilesAndPipelinesAndLeavesTheWorkingCopyAsItWas() throws Exception {
    Project mine = aliceTeam.projects().clone("shop", server.url("shop"));
    Project theirs = bobTeam.projects().clone(ProjectSpec.builder().name("shop-bob").gitRemote(server.url("shop")).build());
    theirs.pipelines().get("daily_orders").update(PipelineGraph.of("daily_orders", p -> p
        .source("Orders", "orders").filter("Paid", "Orders", "status = 'SETTLED'").target("Report", "Paid", "order_report")));
    theirs.git().commit("Settled");
    theirs.git().push();

    mine.pipelines().get("daily_orders").update(PipelineGraph.of("daily_orders", p -> p
        .source("Orders", "orders").filter("Paid", "Orders", "status = 'CLEARED'").target("Report", "Paid", "order_report")));
    mine.git().commit("Cleared");
    String head = mine.git().log(1).get(0).id();
    Path workflow = mine.workingCopy().resolve("pipelines/daily_orders/code/.prophecy/workflow.latest.json");
    byte[] before = Files.readAllBytes(workflow);
    byte[] index = Files.readAllBytes(mine.workingCopy().resolve("pbt_project.yml"));

    assertThatThrownBy(() -> mine.git().pull()).isInstanceOfSatisfying(MergeConflictException.class, e -> {
      assertThat(e.files()).contains("pipelines/daily_orders/code/.prophecy/workflow.latest.json");
      assertThat(e.pipelines()).containsExactly("daily_orders");
      assertThat(e.getMessage()).contains("Pulling " + server.url("shop")).contains("pipelines: daily_orders");
    });
    assertThat(Files.readAllBytes(workflow)).isEqualTo(before);
    assertThat(Files.readAllBytes(mine.workingCopy().resolve("pbt_project.yml"))).isEqualTo(index);
    assertThat(mine.git().status().isEmpty()).isTrue();
    assertThat(mine.git().log(1).get(0).id()).isEqualTo(head);
    try (Git git = Git.open(mine.workingCopy().toFile())) {
      assertThat(git.getRepository().getRepositoryState()).isEqualTo(org.eclipse.jgit.lib.RepositoryState.SAFE);
    }
  }

  @Test
  void aPushToARemoteThatMovedAheadSaysPullFirstAndLosesNoCommit() throws Exception {
    Project mine = aliceTeam.projects().clone("shop", server.url("shop"));
    Project theirs = bobTeam.projects().clone(ProjectSpec.builder().name("shop-bob").gitRemote(server.url("shop")).build());
    theirs.datasets().create(csv("returns"));
    theirs.git().commit("Returns");
    theirs.git().push();

    mine.datasets().create(csv("customers"));
    Commit local = mine.git().commit("Customers");
    assertThatThrownBy(() -> mine.git().push()).isInstanceOfSatisfying(GitPushRejectedException.class, e -> {
      assertThat(e.getMessage()).contains("pull first").contains("No local commit was lost");
      assertThat(e.refs()).containsExactly("refs/heads/main");
    });
    assertThat(mine.git().log(1).get(0).id()).isEqualTo(local.id());
    assertThat(prophecy.auditLog(10)).anySatisfy(e -> {
      assertThat(e.action()).isEqualTo("git.push");
      assertThat(e.outcome()).isEqualTo(AuditEvent.Outcome.FAILED);
    });

    MergeResult merged = mine.git().pull();
    assertThat(merged.status()).isEqualTo(MergeResult.Status.MERGED);
    assertThat(merged.changes().datasets()).containsExactly(new EntityChange("returns", Change.ADDED));
    // Both sides added a dataset entry to pbt_project.yml: the index merges entry by entry.
    assertThat(mine.datasets().list()).extracting(d -> d.name()).contains("customers", "returns", "orders");
    assertThat(mine.git().log(1).get(0).subject()).isEqualTo("Merge origin/main into main");
    assertThat(mine.git().log(1).get(0).authorEmail()).isEqualTo("alice@example.com");
    mine.git().push();
    ObjectId remote = serverHead("shop", "refs/heads/main");
    assertThat(remote.getName()).isEqualTo(mine.git().log(1).get(0).id());
    try (Git git = server.open("shop"); RevWalk walk = new RevWalk(git.getRepository())) {
      assertThat(walk.isMergedInto(walk.parseCommit(ObjectId.fromString(local.id())), walk.parseCommit(remote))).isTrue();
    }
  }

  @Test
  void aPushWhoseConnectionIsCutCanBeRetried() throws Exception {
    try (CuttingProxy proxy = new CuttingProxy(server.port())) {
      String url = "http://127.0.0.1:" + proxy.port() + "/git/shop.git";
      alice.gitCredentials().set("127.0.0.1", Secret.of(ALICE_TOKEN));
      Project mine = aliceTeam.projects().clone("shop", url);
      mine.datasets().create(csv("customers"));
      Commit local = mine.git().commit("Customers");

      proxy.armOnce();
      assertThatThrownBy(() -> mine.git().push()).isInstanceOf(GitException.class)
          .isNotInstanceOf(GitPushRejectedException.class).hasMessageContaining("try again")
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain(ALICE_TOKEN));
      assertThat(proxy.cuts.get()).isEqualTo(1);
      assertThat(mine.git().log(1).get(0).id()).isEqualTo(local.id());

      mine.git().push(); // the server took the first push; the retry finds it there and succeeds
      assertThat(serverHead("shop", "refs/heads/main").getName()).isEqualTo(local.id());
      mine.git().push();
      assertThat(serverHead("shop", "refs/heads/main").getName()).isEqualTo(local.id());

      // Cut half way through the upload: the server updates nothing, and the retry sends it all.
      mine.datasets().create(csv("returns"));
      Commit second = mine.git().commit("Returns");
      proxy.armUploadOnce();
      assertThatThrownBy(() -> mine.git().push()).isInstanceOf(GitException.class).hasMessageContaining("try again");
      assertThat(proxy.cuts.get()).isEqualTo(2);
      assertThat(serverHead("shop", "refs/heads/main").getName()).isEqualTo(local.id());
      mine.git().push();
      assertThat(serverHead("shop", "refs/heads/main").getName()).isEqualTo(second.id());
      try (Git git = server.open("shop")) {
        List<String> history = new java.util.ArrayList<>();
        git.log().call().forEach(c -> history.add(c.getShortMessage()));
        assertThat(history).containsExactly("Returns", "Customers", "Project from Prophecy");
      }
    }
  }

  @Test
  void releaseBumpsTheVersionTagsBranchSlashVersionAndPushesBoth() throws Exception {
    Project mine = aliceTeam.projects().clone("shop", server.url("shop"));
    Path index = mine.workingCopy().resolve("pbt_project.yml");
    String before = Files.readString(index, StandardCharsets.UTF_8);
    Release release = mine.git().release();
    assertThat(release.version()).isEqualTo("1.4.1");
    assertThat(release.tag()).isEqualTo("main/1.4.1");
    String after = Files.readString(index, StandardCharsets.UTF_8);
    assertThat(after).isEqualTo(before.replace("version: 1.4.0", "version: 1.4.1"));
    assertThat(release.commit().subject()).isEqualTo("Release 1.4.1");
    assertThat(release.commit().authorEmail()).isEqualTo("alice@example.com");
    assertThat(serverHead("shop", "refs/heads/main").getName()).isEqualTo(release.commit().id());
    try (Git git = server.open("shop"); RevWalk walk = new RevWalk(git.getRepository())) {
      Ref tag = git.getRepository().exactRef("refs/tags/main/1.4.1");
      assertThat(tag).isNotNull();
      assertThat(walk.peel(walk.parseAny(tag.getObjectId())).getName()).isEqualTo(release.commit().id());
    }
    assertThat(mine.git().tags()).containsExactly("main/1.4.1");

    Release explicit = mine.git().release("2.0.0");
    assertThat(explicit.tag()).isEqualTo("main/2.0.0");
    assertThatThrownBy(() -> mine.git().release("2.0.0")).isInstanceOf(ConflictException.class).hasMessageContaining("main/2.0.0");
    assertThatThrownBy(() -> mine.git().release("two")).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("semantic version");
    mine.datasets().create(csv("customers"));
    assertThatThrownBy(() -> mine.git().release("2.1.0")).isInstanceOf(ConflictException.class)
        .hasMessageContaining("uncommitted").hasMessageContaining("datasets/customers");
    assertThat(prophecy.auditLog(30)).filteredOn(e -> e.action().equals("git.release"))
        .extracting(AuditEvent::outcome).contains(AuditEvent.Outcome.SUCCESS, AuditEvent.Outcome.FAILED);
  }

  @Test
  void aNewBranchIsPushedAndCheckedOutByAnotherMemberFromTheRemote() throws Exception {
    Project mine = aliceTeam.projects().clone("shop", server.url("shop"));
    mine.git().createBranch("feature/returns");
    mine.git().checkout("feature/returns");
    mine.datasets().create(csv("returns"));
    Commit c = mine.git().commit("Returns");
    mine.git().push();
    assertThat(serverHead("shop", "refs/heads/feature/returns").getName()).isEqualTo(c.id());

    Project theirs = bobTeam.projects().clone(ProjectSpec.builder().name("shop-bob").gitRemote(server.url("shop")).build());
    theirs.git().checkout("feature/returns");
    assertThat(theirs.git().currentBranch()).isEqualTo("feature/returns");
    assertThat(theirs.datasets().list()).extracting(d -> d.name()).contains("returns");
    assertThat(theirs.git().diff("main", "feature/returns").datasets())
        .containsExactly(new EntityChange("returns", Change.ADDED));
  }

  @Test
  void aProjectCreatedWithARemotePushesItsFirstCommitThere() throws Exception {
    server.createBare("fresh");
    Project fresh = aliceTeam.projects().create(ProjectSpec.builder().name("fresh").gitRemote(server.url("fresh")).build());
    assertThat(fresh.git().remote()).contains(server.url("fresh"));
    fresh.git().push();
    assertThat(serverHead("fresh", "refs/heads/main").getName()).isEqualTo(fresh.git().log(1).get(0).id());
    Project again = bobTeam.projects().clone(ProjectSpec.builder().name("fresh-bob").gitRemote(server.url("fresh")).build());
    assertThat(again.pipelines().list()).isEmpty();
    assertThat(again.git().log(5)).extracting(Commit::subject).containsExactly("Create project fresh");
    List<String> hosts = alice.gitCredentials().hosts();
    assertThat(hosts).containsExactly(server.host());
  }
}
