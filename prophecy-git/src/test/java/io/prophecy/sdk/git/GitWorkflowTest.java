package io.prophecy.sdk.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prophecy.sdk.ConflictException;
import io.prophecy.sdk.MergeConflictException;
import io.prophecy.sdk.NotFoundException;
import io.prophecy.sdk.Project;
import io.prophecy.sdk.ProjectGit;
import io.prophecy.sdk.Prophecy;
import io.prophecy.sdk.Team;
import io.prophecy.sdk.model.AuditEvent;
import io.prophecy.sdk.model.Commit;
import io.prophecy.sdk.model.DatasetSpec;
import io.prophecy.sdk.model.FileChange.Change;
import io.prophecy.sdk.model.MergeResult;
import io.prophecy.sdk.model.ProjectChanges;
import io.prophecy.sdk.model.ProjectChanges.EntityChange;
import io.prophecy.sdk.model.ProjectSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Git workflow of projects in local repositories: what a user does on one machine. */
class GitWorkflowTest {
  @TempDir Path home;
  private Prophecy prophecy;
  private Team team;

  @BeforeEach
  void open() {
    prophecy = Prophecy.builder().home(home).build();
    prophecy.users().create("alice@example.com");
    team = prophecy.as("alice@example.com").teams().create("analytics");
  }

  @AfterEach
  void close() {
    prophecy.close();
  }

  private static DatasetSpec csv(String name) {
    return DatasetSpec.builder().name(name).format("csv").path("data/" + name + ".csv").putOptions("header", "true").build();
  }

  @Test
  void aNewProjectIsARepositoryWithAFirstCommitInProphecysLayoutByTheUser() throws Exception {
    Project shop = team.projects().create("shop");
    try (Git git = Git.open(shop.workingCopy().toFile())) {
      Repository repo = git.getRepository();
      assertThat(repo.getBranch()).isEqualTo("main");
      List<RevCommit> log = List.copyOf((java.util.Collection<RevCommit>) toList(git.log().call()));
      assertThat(log).hasSize(1);
      assertThat(log.get(0).getFullMessage()).isEqualTo("Create project shop");
      assertThat(log.get(0).getAuthorIdent().getEmailAddress()).isEqualTo("alice@example.com");
      assertThat(log.get(0).getCommitterIdent().getEmailAddress()).isEqualTo("alice@example.com");
      assertThat(git.status().call().isClean()).isTrue();
    }
    assertThat(shop.git().currentBranch()).isEqualTo("main");
    assertThat(shop.git().log(10)).extracting(Commit::subject).containsExactly("Create project shop");
    assertThat(shop.git().status().isEmpty()).isTrue();
    assertThat(prophecy.auditLog(5)).extracting(AuditEvent::action).contains("project.create");
    assertThat(prophecy.auditLog(5).stream().filter(e -> e.action().equals("project.create")).findFirst().orElseThrow()
        .detail().orElseThrow()).contains("first commit");
  }

  private static <T> List<T> toList(Iterable<T> it) {
    List<T> out = new java.util.ArrayList<>();
    it.forEach(out::add);
    return out;
  }

  @Test
  void statusAndCommitSpeakOfPipelinesDatasetsAndJobs() throws Exception {
    Project shop = team.projects().create("shop");
    ProjectGit git = shop.git();
    shop.datasets().create(csv("orders"));
    shop.pipelines().create("daily", p -> p.source("Orders", "orders").filter("Paid", "Orders", "status = 'PAID'"));
    ProjectChanges status = git.status();
    assertThat(status.pipelines()).containsExactly(new EntityChange("daily", Change.ADDED));
    assertThat(status.datasets()).containsExactly(new EntityChange("orders", Change.ADDED));
    assertThat(status.jobs()).isEmpty();
    assertThat(status.files()).extracting(f -> f.path())
        .contains("pbt_project.yml", "datasets/orders/default/configs/dataset.json",
            "pipelines/daily/code/.prophecy/workflow.latest.json");

    Commit c = git.commit("Daily paid orders");
    assertThat(c.author()).isEqualTo("alice@example.com");
    assertThat(c.authorEmail()).isEqualTo("alice@example.com");
    assertThat(git.status().isEmpty()).isTrue();
    assertThat(git.log(5)).extracting(Commit::subject).containsExactly("Daily paid orders", "Create project shop");

    shop.pipelines().get("daily").delete();
    assertThat(git.status().pipelines()).containsExactly(new EntityChange("daily", Change.DELETED));
    assertThat(git.status().datasets()).isEmpty();

    assertThatThrownBy(() -> shop.git().commit(" ")).hasMessageContaining("commit.message");
    git.commit("Drop daily");
    assertThatThrownBy(() -> git.commit("Nothing")).isInstanceOf(ConflictException.class)
        .hasMessageContaining("Nothing to commit");
    // what .gitignore names stays out of a commit; the .gitignore itself and new folders go in
    java.nio.file.Files.writeString(shop.workingCopy().resolve(".gitignore"), "*.tmp\n");
    java.nio.file.Files.writeString(shop.workingCopy().resolve("notes.tmp"), "scratch");
    java.nio.file.Files.createDirectories(shop.workingCopy().resolve("docs/more"));
    java.nio.file.Files.writeString(shop.workingCopy().resolve("docs/more/README.md"), "# shop");
    git.commit("Ignore scratch files");
    try (org.eclipse.jgit.api.Git jgit = org.eclipse.jgit.api.Git.open(shop.workingCopy().toFile())) {
      var index = jgit.getRepository().readDirCache();
      assertThat(index.findEntry("notes.tmp")).isNegative();
      assertThat(index.findEntry(".gitignore")).isNotNegative();
      assertThat(index.findEntry("docs/more/README.md")).isNotNegative();
      assertThat(index.findEntry("pipelines/daily/code/.prophecy/workflow.latest.json")).isNegative();
    }
    assertThat(git.status().isEmpty()).isTrue();
    assertThat(prophecy.auditLog(20)).filteredOn(e -> e.action().equals("git.commit"))
        .extracting(AuditEvent::outcome)
        .containsExactly(AuditEvent.Outcome.SUCCESS, AuditEvent.Outcome.FAILED, AuditEvent.Outcome.SUCCESS,
            AuditEvent.Outcome.SUCCESS);
  }

  @Test
  void branchesAreMadeCheckedOutListedDiffedAndMerged() throws Exception {
    Project shop = team.projects().create("shop");
    ProjectGit git = shop.git();
    git.createBranch("feature/orders");
    assertThat(git.branches()).containsExactly("feature/orders", "main");
    assertThat(git.currentBranch()).isEqualTo("main");
    git.checkout("feature/orders");
    assertThat(git.currentBranch()).isEqualTo("feature/orders");
    shop.datasets().create(csv("orders"));
    shop.pipelines().create("daily", p -> p.source("Orders", "orders").filter("Paid", "Orders", "status = 'PAID'"));
    git.commit("Orders and daily");

    ProjectChanges diff = git.diff("main", "feature/orders");
    assertThat(diff.pipelines()).containsExactly(new EntityChange("daily", Change.ADDED));
    assertThat(diff.datasets()).containsExactly(new EntityChange("orders", Change.ADDED));

    git.checkout("main");
    assertThat(Files.exists(shop.workingCopy().resolve("pipelines/daily"))).isFalse();
    assertThat(shop.pipelines().list()).isEmpty();
    MergeResult ff = git.merge("feature/orders");
    assertThat(ff.status()).isEqualTo(MergeResult.Status.FAST_FORWARD);
    assertThat(ff.changes().pipelines()).containsExactly(new EntityChange("daily", Change.ADDED));
    assertThat(shop.pipelines().list()).extracting(p -> p.name()).containsExactly("daily");

    // Diverged: a true merge commit, authored by the user.
    git.createBranch("tweak");
    git.checkout("tweak");
    shop.pipelines().get("daily").update(io.prophecy.sdk.pipeline.PipelineGraph.of("daily", p -> p
        .source("Orders", "orders").filter("Paid", "Orders", "status = 'PAID' AND amount > 0")));
    git.commit("Only positive amounts");
    git.checkout("main");
    shop.datasets().create(csv("customers"));
    git.commit("Customers");
    MergeResult merged = git.merge("tweak");
    assertThat(merged.status()).isEqualTo(MergeResult.Status.MERGED);
    assertThat(merged.changes().pipelines()).containsExactly(new EntityChange("daily", Change.MODIFIED));
    assertThat(merged.changes().datasets()).isEmpty();
    Commit head = git.log(1).get(0);
    assertThat(head.subject()).isEqualTo("Merge branch tweak into main");
    assertThat(head.authorEmail()).isEqualTo("alice@example.com");
    assertThat(git.merge("tweak").status()).isEqualTo(MergeResult.Status.UP_TO_DATE);

    assertThatThrownBy(() -> git.checkout("nope")).isInstanceOf(NotFoundException.class).hasMessageContaining("'nope'");
    assertThatThrownBy(() -> git.createBranch("tweak")).isInstanceOf(ConflictException.class);
    assertThatThrownBy(() -> git.createBranch("bad..name")).hasMessageContaining("branch");
    assertThatThrownBy(() -> git.diff("main", "no-such-rev")).hasMessageContaining("no-such-rev");
  }

  @Test
  void aConflictingMergeIsReportedPerFileAndPipelineAndLeavesNothingHalfMerged() throws Exception {
    Project shop = team.projects().create("shop");
    ProjectGit git = shop.git();
    shop.datasets().create(csv("orders"));
    shop.pipelines().create("daily", p -> p.source("Orders", "orders").filter("Paid", "Orders", "status = 'PAID'"));
    git.commit("Daily");
    git.createBranch("other");
    git.checkout("other");
    shop.pipelines().get("daily").update(io.prophecy.sdk.pipeline.PipelineGraph.of("daily", p -> p
        .source("Orders", "orders").filter("Paid", "Orders", "status = 'SETTLED'")));
    git.commit("Settled");
    git.checkout("main");
    shop.pipelines().get("daily").update(io.prophecy.sdk.pipeline.PipelineGraph.of("daily", p -> p
        .source("Orders", "orders").filter("Paid", "Orders", "status = 'CLEARED'")));
    git.commit("Cleared");
    Path workflow = shop.workingCopy().resolve("pipelines/daily/code/.prophecy/workflow.latest.json");
    String before = Files.readString(workflow, StandardCharsets.UTF_8);
    String headBefore = git.log(1).get(0).id();

    assertThatThrownBy(() -> git.merge("other"))
        .isInstanceOfSatisfying(MergeConflictException.class, e -> {
          assertThat(e.files()).contains("pipelines/daily/code/.prophecy/workflow.latest.json");
          assertThat(e.pipelines()).containsExactly("daily");
          assertThat(e.getMessage()).contains("workflow.latest.json").contains("pipelines: daily")
              .contains("Nothing was changed");
        });
    assertThat(Files.readString(workflow, StandardCharsets.UTF_8)).isEqualTo(before).doesNotContain("<<<<<<<");
    assertThat(git.status().isEmpty()).isTrue();
    assertThat(git.log(1).get(0).id()).isEqualTo(headBefore);
    try (Git jgit = Git.open(shop.workingCopy().toFile())) {
      assertThat(jgit.getRepository().getRepositoryState()).isEqualTo(org.eclipse.jgit.lib.RepositoryState.SAFE);
      assertThat(jgit.getRepository().readMergeHeads()).isNull();
    }
    assertThat(shop.pipelines().get("daily").graph().gems()).isNotEmpty();
    assertThat(prophecy.auditLog(3)).filteredOn(e -> e.action().equals("git.merge"))
        .extracting(AuditEvent::outcome).containsExactly(AuditEvent.Outcome.FAILED);
  }

  @Test
  void twoBranchesThatEachAddAPipelineMergeWithoutConflict() {
    Project shop = team.projects().create("shop");
    ProjectGit git = shop.git();
    shop.datasets().create(csv("orders"));
    git.commit("Orders");
    git.createBranch("weekly");
    git.checkout("weekly");
    shop.pipelines().create("weekly", p -> p.source("Orders", "orders").filter("Big", "Orders", "amount > 100"));
    git.commit("Weekly");
    git.checkout("main");
    shop.pipelines().create("daily", p -> p.source("Orders", "orders").filter("Paid", "Orders", "status = 'PAID'"));
    git.commit("Daily");
    MergeResult merged = git.merge("weekly");
    assertThat(merged.status()).isEqualTo(MergeResult.Status.MERGED);
    assertThat(merged.changes().pipelines()).containsExactly(new EntityChange("weekly", Change.ADDED));
    assertThat(shop.pipelines().list()).extracting(p -> p.name()).containsExactly("daily", "weekly");
    assertThat(git.status().isEmpty()).isTrue();
  }

  @Test
  void mergingWithUncommittedChangesIsRefusedNamingTheFiles() {
    Project shop = team.projects().create("shop");
    shop.git().createBranch("other");
    shop.datasets().create(csv("orders"));
    assertThatThrownBy(() -> shop.git().merge("other")).isInstanceOf(ConflictException.class)
        .hasMessageContaining("uncommitted").hasMessageContaining("datasets/orders");
  }

  @Test
  void aProtectedDefaultBranchTakesNoCommitsButBranchesDo() {
    Project shop = team.projects().create(ProjectSpec.builder().name("shop").protectDefaultBranch(true).build());
    assertThat(shop.info().spec().protectDefaultBranch()).isTrue();
    assertThat(team.projects().get("shop").info().spec().protectDefaultBranch()).isTrue();
    shop.datasets().create(csv("orders"));
    assertThatThrownBy(() -> shop.git().commit("On main")).isInstanceOf(ConflictException.class)
        .hasMessageContaining("forbids commits on its default branch 'main'");
    shop.git().createBranch("work");
    shop.git().checkout("work");
    assertThat(shop.git().commit("On a branch").subject()).isEqualTo("On a branch");
    shop.git().checkout("main");
    assertThatThrownBy(() -> shop.git().merge("work")).isInstanceOf(ConflictException.class)
        .hasMessageContaining("forbids merges");
  }

  @Test
  void aProjectCanStartOnAnotherDefaultBranch() {
    Project shop = team.projects().create(ProjectSpec.builder().name("shop").defaultBranch("develop").build());
    assertThat(shop.git().currentBranch()).isEqualTo("develop");
    assertThat(team.projects().get("shop").git().defaultBranch()).isEqualTo("develop");
  }

  @Test
  void aWorkingCopyIsOpenedWhereItIsAndKeepsItsBranchAndRemote() throws Exception {
    Path folder = GitFixtures.copyProject("git_shop", home.resolve("elsewhere/git_shop"));
    try (Git git = Git.init().setDirectory(folder.toFile()).setInitialBranch("develop").call()) {
      git.add().addFilepattern(".").call();
      git.commit().setMessage("From Prophecy").setAuthor("Someone", "someone@example.com")
          .setCommitter("Someone", "someone@example.com").setSign(false).call();
      var config = git.getRepository().getConfig();
      config.setString("remote", "origin", "url", "https://git.example.com/team/git_shop.git");
      config.save();
    }
    Project opened = team.projects().open("git_shop", folder);
    assertThat(opened.info().spec().defaultBranch()).isEqualTo("develop");
    assertThat(opened.info().spec().gitRemote()).contains("https://git.example.com/team/git_shop.git");
    assertThat(opened.git().log(5)).extracting(Commit::subject).containsExactly("From Prophecy");
    assertThat(opened.pipelines().list()).extracting(p -> p.name()).containsExactly("daily_orders");
    assertThat(opened.git().status().isEmpty()).isTrue();
    opened.datasets().create(csv("customers"));
    ProjectChanges status = opened.git().status();
    assertThat(status.datasets()).containsExactly(new EntityChange("customers", Change.ADDED));
    assertThat(status.pipelines()).isEmpty();
    assertThat(status.jobs()).isEmpty();
    opened.git().commit("Customers");
    opened.jobs().get("nightly").delete();
    assertThat(opened.git().status().jobs()).containsExactly(new EntityChange("nightly", Change.DELETED));
    assertThat(opened.git().status().pipelines()).isEmpty();
  }

  @Test
  void aFolderThatIsNoRepositoryIsNamedInTheError() {
    Path folder = GitFixtures.copyProject("git_shop", home.resolve("plain/git_shop"));
    Project opened = team.projects().open("plain", folder);
    assertThatThrownBy(() -> opened.git().status()).hasMessageContaining(folder.toString())
        .hasMessageContaining("not a Git working copy");
    assertThat(opened.git().defaultBranch()).isEqualTo("main");
    assertThat(Optional.of(opened.name())).contains("plain");
  }
}
