package io.prophecy.sdk.git.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.TransportException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.ReflogEntry;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The reference Git server works for plain JGit: clone, push, basic auth, non-fast-forward refusal. */
@ExtendWith(NginxGitServer.class)
class NginxGitServerTest {
  private static final PersonIdent ALICE = new PersonIdent("Alice", "alice@example.com");
  private static final String MAIN = "refs/heads/main";

  @Test
  void anEmptyRepositoryClonesAndAPushedCommitReachesTheServerAndASecondClone(NginxGitServer.Remote remote,
      @TempDir Path tmp) throws Exception {
    RevCommit pushed;
    try (Git first = clone(remote, tmp.resolve("first"))) {
      assertThat(first.getRepository().resolve(Constants.HEAD)).as("an empty repository has no commit").isNull();
      assertThat(first.getRepository().getRefDatabase().getRefsByPrefix(Constants.R_HEADS)).isEmpty();
      onMain(first);
      pushed = commit(first, "README.md", "# shop\n", "first commit");
      assertThat(status(push(first, remote))).isEqualTo(RemoteRefUpdate.Status.OK);
    }

    try (Repository bare = openBare(remote)) {
      assertThat(bare.resolve(MAIN)).as("main on the server").isEqualTo(pushed.getId());
      assertThat(bare.getFullBranch()).as("the server's HEAD").isEqualTo(MAIN);
      // git-http-backend records the basic-auth user nginx passes as REMOTE_USER as the ref's updater.
      ReflogEntry entry = bare.getRefDatabase().getReflogReader(MAIN).getLastEntry();
      assertThat(entry.getNewId()).isEqualTo(pushed.getId());
      assertThat(entry.getWho().getName()).isEqualTo(remote.user());
    }

    try (Git second = clone(remote, tmp.resolve("second"))) {
      Repository repo = second.getRepository();
      assertThat(repo.getFullBranch()).isEqualTo(MAIN);
      assertThat(repo.resolve(Constants.HEAD)).isEqualTo(pushed.getId());
      RevCommit seen = repo.parseCommit(repo.resolve(Constants.HEAD));
      assertThat(seen.getFullMessage()).isEqualTo("first commit");
      assertThat(seen.getAuthorIdent().getEmailAddress()).isEqualTo("alice@example.com");
      assertThat(Files.readString(tmp.resolve("second/README.md"))).isEqualTo("# shop\n");
    }
  }

  @Test
  void aWrongPasswordIsRefusedWith401(NginxGitServer.Remote remote, @TempDir Path tmp) throws Exception {
    String advertisement = remote.cloneUrl() + "/info/refs?service=git-upload-pack";
    HttpResponse<String> anonymous = get(advertisement, null);
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
        v -> assertThat(v).startsWith("Basic realm="));
    assertThat(get(advertisement, remote.user() + ":not-the-token").statusCode()).isEqualTo(401);
    assertThat(get(advertisement, "someone-else:" + remote.token()).statusCode()).isEqualTo(401);
    HttpResponse<String> right = get(advertisement, remote.user() + ":" + remote.token());
    assertThat(right.statusCode()).isEqualTo(200);
    assertThat(right.headers().firstValue("Content-Type")).hasValue("application/x-git-upload-pack-advertisement");

    assertThatThrownBy(() -> Git.cloneRepository().setURI(remote.cloneUrl())
        .setCredentialsProvider(remote.credentials("not-the-token")).setDirectory(tmp.resolve("denied").toFile()).call())
        .isInstanceOf(TransportException.class)
        .hasMessageContaining(remote.cloneUrl())
        .hasMessageContaining("not authorized");

    // A push with the wrong password is refused too, and the server's repository stays empty.
    try (Git local = clone(remote, tmp.resolve("local"))) {
      onMain(local);
      commit(local, "a.txt", "a\n", "refused");
      assertThatThrownBy(() -> local.push().setRemote("origin").add(MAIN)
          .setCredentialsProvider(remote.credentials("not-the-token")).call())
          .isInstanceOf(TransportException.class)
          .hasMessageContaining("not authorized");
    }
    try (Repository bare = openBare(remote)) {
      assertThat(bare.resolve(MAIN)).isNull();
    }
  }

  @Test
  void aPushBehindTheRemoteIsRejectedAsNonFastForwardAndTheLocalCommitStays(NginxGitServer.Remote remote,
      @TempDir Path tmp) throws Exception {
    RevCommit base;
    try (Git seed = clone(remote, tmp.resolve("seed"))) {
      onMain(seed);
      base = commit(seed, "README.md", "# shop\n", "base");
      assertThat(status(push(seed, remote))).isEqualTo(RemoteRefUpdate.Status.OK);
    }

    try (Git alice = clone(remote, tmp.resolve("alice")); Git bob = clone(remote, tmp.resolve("bob"))) {
      RevCommit bobs = commit(bob, "bob.txt", "bob\n", "bob's change");
      assertThat(status(push(bob, remote))).isEqualTo(RemoteRefUpdate.Status.OK);

      RevCommit alices = commit(alice, "alice.txt", "alice\n", "alice's change");
      assertThat(alices.getParent(0).getId()).isEqualTo(base.getId());
      assertThat(status(push(alice, remote))).isEqualTo(RemoteRefUpdate.Status.REJECTED_NONFASTFORWARD);

      Repository repo = alice.getRepository();
      assertThat(repo.resolve(MAIN)).as("alice's commit stays on her main").isEqualTo(alices.getId());
      assertThat(repo.resolve("refs/remotes/origin/main")).as("a refused push moves no tracking ref")
          .isEqualTo(base.getId());
      assertThat(Files.readString(tmp.resolve("alice/alice.txt"))).isEqualTo("alice\n");
      assertThat(alice.status().call().isClean()).isTrue();
      try (Repository bare = openBare(remote)) {
        assertThat(bare.resolve(MAIN)).as("the server keeps bob's commit").isEqualTo(bobs.getId());
        assertThat(bare.getObjectDatabase().has(alices.getId())).as("alice's commit was not sent").isFalse();
      }
    }
  }

  @Test
  void anAddedUserHasCredentialsOfTheirOwnAndIsTheUpdaterOfTheirPush(NginxGitServer server, @TempDir Path tmp)
      throws Exception {
    NginxGitServer.Remote remote = server.createRepository("added-user-" + System.nanoTime());
    NginxGitServer.User bob = server.addUser("bob-" + System.nanoTime());
    assertThat(bob.token()).isNotEqualTo(remote.token()).hasSize(40);
    assertThat(bob.toString()).doesNotContain(bob.token());
    String advertisement = remote.cloneUrl() + "/info/refs?service=git-upload-pack";
    assertThat(get(advertisement, bob.name() + ":" + bob.token()).statusCode()).isEqualTo(200);
    assertThat(get(advertisement, bob.name() + ":" + remote.token()).statusCode()).isEqualTo(401);
    assertThat(get(advertisement, remote.user() + ":" + bob.token()).statusCode()).isEqualTo(401);
    assertThat(get(advertisement, remote.user() + ":" + remote.token()).statusCode()).as("the first user still in")
        .isEqualTo(200);
    assertThatThrownBy(() -> server.addUser(bob.name())).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("already");

    RevCommit pushed;
    try (Git git = Git.cloneRepository().setURI(remote.cloneUrl()).setCredentialsProvider(bob.credentials())
        .setDirectory(tmp.resolve("bob").toFile()).call()) {
      onMain(git);
      pushed = commit(git, "bob.txt", "bob\n", "bob's commit");
      assertThat(status(git.push().setRemote("origin").add(MAIN).setCredentialsProvider(bob.credentials()).call()))
          .isEqualTo(RemoteRefUpdate.Status.OK);
    }
    try (Repository bare = openBare(remote)) {
      ReflogEntry entry = bare.getRefDatabase().getReflogReader(MAIN).getLastEntry();
      assertThat(entry.getNewId()).isEqualTo(pushed.getId());
      assertThat(entry.getWho().getName()).isEqualTo(bob.name());
    }
    try {
      server.afterEach(null);
      assertThat(get(advertisement, bob.name() + ":" + bob.token()).statusCode()).as("removed after the test")
          .isEqualTo(401);
      assertThat(get(advertisement, remote.user() + ":" + remote.token()).statusCode()).isEqualTo(200);
    } finally {
      deleteQuietly(remote.directory());
    }
  }

  private static void deleteQuietly(Path dir) throws IOException {
    try (var walk = Files.walk(dir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private static Git clone(NginxGitServer.Remote remote, Path dir) throws Exception {
    return Git.cloneRepository().setURI(remote.cloneUrl()).setCredentialsProvider(remote.credentials())
        .setDirectory(dir.toFile()).call();
  }

  /** Points HEAD of a clone of an empty repository at main, the server's default branch. */
  private static void onMain(Git git) throws IOException {
    git.getRepository().updateRef(Constants.HEAD).link(MAIN);
  }

  private static RevCommit commit(Git git, String file, String content, String message) throws Exception {
    Path work = git.getRepository().getWorkTree().toPath();
    Files.writeString(work.resolve(file), content, StandardCharsets.UTF_8);
    git.add().addFilepattern(file).call();
    return git.commit().setMessage(message).setAuthor(ALICE).setCommitter(ALICE).setSign(false).call();
  }

  private static Iterable<PushResult> push(Git git, NginxGitServer.Remote remote) throws Exception {
    return git.push().setRemote("origin").add(MAIN).setCredentialsProvider(remote.credentials()).call();
  }

  private static RemoteRefUpdate.Status status(Iterable<PushResult> results) {
    RemoteRefUpdate.Status status = null;
    for (PushResult r : results) {
      RemoteRefUpdate update = r.getRemoteUpdate(MAIN);
      assertThat(update).as("an update of main in the push result").isNotNull();
      status = update.getStatus();
    }
    assertThat(status).as("a push result").isNotNull();
    return status;
  }

  private static Repository openBare(NginxGitServer.Remote remote) throws IOException {
    return new FileRepositoryBuilder().setGitDir(remote.directory().toFile()).setMustExist(true).build();
  }

  private static HttpResponse<String> get(String url, String userAndPassword) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET();
    if (userAndPassword != null) {
      request.header("Authorization",
          "Basic " + Base64.getEncoder().encodeToString(userAndPassword.getBytes(StandardCharsets.UTF_8)));
    }
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
