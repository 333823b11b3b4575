package io.prophecy.sdk.git.internal;

import io.prophecy.sdk.ConflictException;
import io.prophecy.sdk.GitException;
import io.prophecy.sdk.GitPushRejectedException;
import io.prophecy.sdk.InvalidInputException;
import io.prophecy.sdk.NotFoundException;
import io.prophecy.sdk.ProphecyException;
import io.prophecy.sdk.model.Commit;
import io.prophecy.sdk.model.FileChange;
import io.prophecy.sdk.spi.CodeAuthor;
import io.prophecy.sdk.spi.MergeOutcome;
import io.prophecy.sdk.spi.MergeResolver;
import io.prophecy.sdk.spi.RemoteAuth;
import io.prophecy.sdk.spi.WorkingCopy;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.eclipse.jgit.api.AddCommand;
import org.eclipse.jgit.api.CreateBranchCommand;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.MergeCommand;
import org.eclipse.jgit.api.MergeResult;
import org.eclipse.jgit.api.PushCommand;
import org.eclipse.jgit.api.ResetCommand;
import org.eclipse.jgit.api.RmCommand;
import org.eclipse.jgit.api.Status;
import org.eclipse.jgit.api.errors.CheckoutConflictException;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.api.errors.InvalidRefNameException;
import org.eclipse.jgit.api.errors.NoHeadException;
import org.eclipse.jgit.api.errors.RefAlreadyExistsException;
import org.eclipse.jgit.api.errors.RefNotFoundException;
import org.eclipse.jgit.api.errors.TransportException;
import org.eclipse.jgit.diff.DiffEntry;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.eclipse.jgit.treewalk.AbstractTreeIterator;
import org.eclipse.jgit.treewalk.CanonicalTreeParser;
import org.eclipse.jgit.treewalk.EmptyTreeIterator;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One Git working copy, through JGit's porcelain. Not thread-safe; the SDK opens one per operation. */
public final class JGitWorkingCopy implements WorkingCopy {
  private static final Logger log = LoggerFactory.getLogger(JGitWorkingCopy.class);
  private static final String ORIGIN = Constants.DEFAULT_REMOTE_NAME;
  /** Seconds a remote may stay silent before a clone, fetch or push gives up (and may be retried). */
  public static final int TIMEOUT_SECONDS = 120;

  private final Git git;
  private final Repository repo;
  private final Path root;
  private final Consumer<String> remoteCheck;

  /**
   * @param remoteCheck checks a URL before it becomes the remote (the store's provider validation)
   */
  public JGitWorkingCopy(Git git, Path root, Consumer<String> remoteCheck) {
    this.git = git;
    this.repo = git.getRepository();
    this.root = root;
    this.remoteCheck = remoteCheck;
  }

  /** JGit's credentials for one call; null (anonymous) without a token. */
  public static CredentialsProvider credentials(RemoteAuth auth) {
    if (auth.token().isEmpty()) {
      return null;
    }
    return new UsernamePasswordCredentialsProvider(auth.username().orElse("git"), auth.token().get().reveal().toCharArray());
  }

  private ProphecyException failed(String doing, Exception e) {
    return new ProphecyException("Cannot " + doing + " in the Git working copy " + root + ": " + e.getMessage(), e);
  }

  private static PersonIdent ident(CodeAuthor author) {
    return new PersonIdent(author.name(), author.email());
  }

  @Override
  public Path root() {
    return root;
  }

  @Override
  public String currentBranch() {
    try {
      String branch = repo.getBranch();
      if (branch == null) {
        throw new ProphecyException("The Git working copy " + root + " has no HEAD");
      }
      return branch;
    } catch (IOException e) {
      throw failed("read the branch", e);
    }
  }

  @Override
  public List<String> branches() {
    try {
      Set<String> out = new TreeSet<>();
      for (Ref r : git.branchList().call()) {
        out.add(Repository.shortenRefName(r.getName()));
      }
      return List.copyOf(out);
    } catch (GitAPIException e) {
      throw failed("list the branches", e);
    }
  }

  @Override
  public List<String> tags() {
    try {
      Set<String> out = new TreeSet<>();
      for (Ref r : git.tagList().call()) {
        out.add(Repository.shortenRefName(r.getName()));
      }
      return List.copyOf(out);
    } catch (GitAPIException e) {
      throw failed("list the tags", e);
    }
  }

  @Override
  public void createBranch(String name, Optional<String> startPoint) {
    try {
      var cmd = git.branchCreate().setName(name);
      if (startPoint.isPresent()) {
        if (repo.resolve(startPoint.get()) == null) {
          throw new InvalidInputException("branch.from", "'" + startPoint.get() + "' is no branch, tag or commit of "
              + root + "; its branches are " + branches());
        }
        cmd.setStartPoint(startPoint.get());
      } else if (repo.resolve(Constants.HEAD) == null) {
        throw new ConflictException("The Git working copy " + root + " has no commit yet to branch from; commit first");
      }
      cmd.call();
    } catch (RefAlreadyExistsException e) {
      throw new ConflictException("The project has a branch named '" + name + "' already; check it out with"
          + " project.git().checkout(\"" + name + "\")");
    } catch (InvalidRefNameException e) {
      throw new InvalidInputException("branch", "'" + name + "' is not a valid Git branch name");
    } catch (RefNotFoundException e) {
      throw new InvalidInputException("branch.from", "'" + startPoint.orElse("HEAD") + "' does not exist in " + root);
    } catch (GitAPIException | IOException e) {
      throw failed("create branch '" + name + "'", e);
    }
  }

  @Override
  public void checkout(String branch) {
    try {
      if (repo.exactRef(Constants.R_HEADS + branch) != null) {
        git.checkout().setName(branch).call();
      } else if (repo.exactRef(Constants.R_REMOTES + ORIGIN + "/" + branch) != null) {
        git.checkout().setCreateBranch(true).setName(branch).setStartPoint(ORIGIN + "/" + branch)
            .setUpstreamMode(CreateBranchCommand.SetupUpstreamMode.TRACK).call();
      } else {
        throw new NotFoundException("The project has no branch '" + branch + "', locally or at its remote; its"
            + " branches are " + branches() + ". Make one with project.git().createBranch(\"" + branch + "\")");
      }
    } catch (CheckoutConflictException e) {
      throw new ConflictException("Cannot check out '" + branch + "': uncommitted changes to "
          + String.join(", ", e.getConflictingPaths()) + " would be overwritten. Commit them first");
    } catch (GitAPIException | IOException e) {
      throw failed("check out '" + branch + "'", e);
    }
  }

  @Override
  public List<FileChange> status() {
    try {
      return changes(git.status().call());
    } catch (GitAPIException e) {
      throw failed("read the status", e);
    }
  }

  private static List<FileChange> changes(Status s) {
    Map<String, FileChange.Change> out = new TreeMap<>();
    s.getChanged().forEach(p -> out.put(p, FileChange.Change.MODIFIED));
    s.getModified().forEach(p -> out.put(p, FileChange.Change.MODIFIED));
    s.getConflicting().forEach(p -> out.put(p, FileChange.Change.MODIFIED));
    s.getRemoved().forEach(p -> out.put(p, FileChange.Change.DELETED));
    s.getMissing().forEach(p -> out.put(p, FileChange.Change.DELETED));
    s.getUntracked().forEach(p -> out.put(p, FileChange.Change.ADDED));
    for (String p : s.getAdded()) {
      if (s.getMissing().contains(p)) {
        out.remove(p); // added to the index, then deleted: nothing against the last commit
      } else {
        out.put(p, FileChange.Change.ADDED);
      }
    }
    List<FileChange> list = new ArrayList<>();
    out.forEach((p, c) -> list.add(new FileChange(p, c)));
    return list;
  }

  @Override
  public Commit commit(String message, CodeAuthor author) {
    try {
      // one walk of the working tree finds what changed; only those paths are staged (adding "." and then
      // updating "." walked every file of the project twice more)
      Status now = git.status().call();
      Set<String> write = new TreeSet<>(now.getUntracked());
      write.addAll(now.getModified());
      Set<String> gone = new TreeSet<>(now.getMissing());
      if (write.isEmpty() && gone.isEmpty() && now.getAdded().isEmpty() && now.getChanged().isEmpty()
          && now.getRemoved().isEmpty()) {
        throw new ConflictException("Nothing to commit in " + root + ": no file changed since the last commit");
      }
      if (!write.isEmpty()) {
        AddCommand add = git.add();
        write.forEach(add::addFilepattern);
        add.call();
      }
      if (!gone.isEmpty()) {
        RmCommand rm = git.rm().setCached(true);
        gone.forEach(rm::addFilepattern);
        rm.call();
      }
      PersonIdent who = ident(author);
      RevCommit c = git.commit().setMessage(message).setAuthor(who).setCommitter(who).setSign(false).call();
      log.debug("Committed {} in {}", c.getName(), root);
      return commit(c);
    } catch (GitAPIException e) {
      throw failed("commit", e);
    }
  }

  private static Commit commit(RevCommit c) {
    PersonIdent a = c.getAuthorIdent();
    return new Commit(c.getName(), c.getFullMessage(), a.getName(), a.getEmailAddress(), a.getWhenAsInstant());
  }

  @Override
  public Optional<Commit> head() {
    try {
      ObjectId id = repo.resolve(Constants.HEAD);
      if (id == null) {
        return Optional.empty();
      }
      try (RevWalk walk = new RevWalk(repo)) {
        return Optional.of(commit(walk.parseCommit(id)));
      }
    } catch (IOException e) {
      throw failed("read HEAD", e);
    }
  }

  @Override
  public List<Commit> log(int limit) {
    try {
      if (repo.resolve(Constants.HEAD) == null) {
        return List.of();
      }
      List<Commit> out = new ArrayList<>();
      for (RevCommit c : git.log().setMaxCount(limit).call()) {
        out.add(commit(c));
      }
      return out;
    } catch (NoHeadException e) {
      return List.of();
    } catch (GitAPIException | IOException e) {
      throw failed("read the log", e);
    }
  }

  private AbstractTreeIterator tree(String revision, ObjectReader reader) throws IOException {
    if (revision.isEmpty()) {
      return new EmptyTreeIterator();
    }
    ObjectId tree = repo.resolve(revision + "^{tree}");
    if (tree == null) {
      throw new InvalidInputException("revision", "'" + revision + "' is no branch, tag or commit of " + root);
    }
    CanonicalTreeParser p = new CanonicalTreeParser();
    p.reset(reader, tree);
    return p;
  }

  @Override
  public List<FileChange> diff(String fromRevision, String toRevision) {
    try (ObjectReader reader = repo.newObjectReader(); TreeWalk walk = new TreeWalk(repo, reader)) {
      walk.setRecursive(true);
      walk.addTree(tree(fromRevision, reader));
      walk.addTree(tree(toRevision, reader));
      Map<String, FileChange.Change> out = new TreeMap<>();
      for (DiffEntry d : DiffEntry.scan(walk)) {
        switch (d.getChangeType()) {
          case ADD, COPY -> out.put(d.getNewPath(), FileChange.Change.ADDED);
          case DELETE -> out.put(d.getOldPath(), FileChange.Change.DELETED);
          case MODIFY -> out.put(d.getNewPath(), FileChange.Change.MODIFIED);
          case RENAME -> {
            out.put(d.getOldPath(), FileChange.Change.DELETED);
            out.put(d.getNewPath(), FileChange.Change.ADDED);
          }
        }
      }
      List<FileChange> list = new ArrayList<>();
      out.forEach((p, c) -> list.add(new FileChange(p, c)));
      return list;
    } catch (IOException e) {
      throw failed("diff " + fromRevision + " and " + toRevision, e);
    }
  }

  @Override
  public Optional<byte[]> read(String revision, String path) {
    try {
      ObjectId tree = repo.resolve(revision + "^{tree}");
      if (tree == null) {
        return Optional.empty();
      }
      try (TreeWalk walk = TreeWalk.forPath(repo, path, tree)) {
        if (walk == null) {
          return Optional.empty();
        }
        return Optional.of(repo.open(walk.getObjectId(0)).getBytes());
      }
    } catch (IOException e) {
      throw failed("read " + path + " at " + revision, e);
    }
  }

  @Override
  public Optional<String> remoteUrl() {
    return Optional.ofNullable(repo.getConfig().getString("remote", ORIGIN, "url"));
  }

  @Override
  public void setRemoteUrl(String url) {
    remoteCheck.accept(url);
    StoredConfig config = repo.getConfig();
    config.setString("remote", ORIGIN, "url", url);
    config.setString("remote", ORIGIN, "fetch", "+refs/heads/*:refs/remotes/" + ORIGIN + "/*");
    try {
      config.save();
    } catch (IOException e) {
      throw failed("set the remote", e);
    }
  }

  private String requireRemote() {
    return remoteUrl().orElseThrow(() -> new ConflictException("The Git working copy " + root + " has no remote 'origin'"));
  }

  @Override
  public MergeOutcome pull(RemoteAuth auth, CodeAuthor author, MergeResolver resolver) {
    String url = requireRemote();
    requireClean("pull");
    try {
      git.fetch().setRemote(ORIGIN).setCredentialsProvider(credentials(auth)).setTimeout(TIMEOUT_SECONDS).call();
    } catch (TransportException e) {
      throw Failures.remote("fetch", url, auth, e);
    } catch (GitAPIException e) {
      throw Failures.remote("fetch", url, auth, e);
    }
    String branch = currentBranch();
    try {
      Ref theirs = repo.exactRef(Constants.R_REMOTES + ORIGIN + "/" + branch);
      if (theirs == null) {
        String head = headId();
        return new MergeOutcome(MergeOutcome.Status.UP_TO_DATE, head, head, List.of());
      }
      return mergeCommit(theirs.getObjectId(), ORIGIN + "/" + branch,
          "Merge " + ORIGIN + "/" + branch + " into " + branch, author, resolver);
    } catch (IOException e) {
      throw failed("pull", e);
    }
  }

  @Override
  public MergeOutcome merge(String branch, CodeAuthor author, MergeResolver resolver) {
    requireClean("merge");
    try {
      Ref theirs = repo.exactRef(Constants.R_HEADS + branch);
      if (theirs == null) {
        throw new NotFoundException("The project has no branch '" + branch + "' to merge; its branches are " + branches());
      }
      return mergeCommit(theirs.getObjectId(), branch, "Merge branch " + branch + " into " + currentBranch(), author,
          resolver);
    } catch (IOException e) {
      throw failed("merge '" + branch + "'", e);
    }
  }

  private void requireClean(String doing) {
    List<FileChange> changes = status();
    if (!changes.isEmpty()) {
      throw new ConflictException("Cannot " + doing + " with uncommitted changes in " + root + ": " + changes
          + ". Commit them first");
    }
  }

  private String headId() throws IOException {
    ObjectId head = repo.resolve(Constants.HEAD);
    return head == null ? "" : head.getName();
  }

  /**
   * Merges a commit into the branch checked out, committing a merge with the author. A conflict (or any
   * failure half way) puts the working copy back to the commit it had.
   */
  private MergeOutcome mergeCommit(ObjectId theirs, String label, String message, CodeAuthor author,
      MergeResolver resolver) throws IOException {
    String before = headId();
    MergeResult r;
    try {
      r = git.merge().include(label, theirs).setCommit(false).setFastForward(MergeCommand.FastForwardMode.FF)
          .setMessage(message).call();
    } catch (GitAPIException | RuntimeException e) {
      restore(before, e);
      throw failed("merge " + label, e);
    }
    switch (r.getMergeStatus()) {
      case ALREADY_UP_TO_DATE:
        return new MergeOutcome(MergeOutcome.Status.UP_TO_DATE, before, before, List.of());
      case FAST_FORWARD:
      case FAST_FORWARD_SQUASHED:
        return new MergeOutcome(MergeOutcome.Status.FAST_FORWARD, before, headId(), List.of());
      case MERGED:
        return new MergeOutcome(MergeOutcome.Status.MERGED, before, headId(), List.of());
      case MERGED_NOT_COMMITTED:
        try {
          PersonIdent who = ident(author);
          RevCommit c = git.commit().setMessage(message).setAuthor(who).setCommitter(who).setSign(false).call();
          return new MergeOutcome(MergeOutcome.Status.MERGED, before, c.getName(), List.of());
        } catch (GitAPIException | RuntimeException e) {
          restore(before, e);
          throw failed("commit the merge of " + label, e);
        }
      case CONFLICTING: {
        List<String> conflicts = new ArrayList<>(new TreeSet<>(r.getConflicts() == null ? Set.of() : r.getConflicts().keySet()));
        Optional<String> resolved;
        try {
          resolved = resolveAll(conflicts, before, theirs, message, author, resolver);
        } catch (GitAPIException | IOException | RuntimeException e) {
          restore(before, e);
          throw failed("resolve the merge of " + label, e);
        }
        if (resolved.isPresent()) {
          return new MergeOutcome(MergeOutcome.Status.MERGED, before, resolved.get(), List.of());
        }
        restore(before, null);
        return new MergeOutcome(MergeOutcome.Status.CONFLICTING, before, before, conflicts);
      }
      default: {
        Map<String, ?> failing = r.getFailingPaths();
        restore(before, null);
        throw new ConflictException("Cannot merge " + label + " in " + root + ": " + r.getMergeStatus()
            + (failing == null ? "" : " at " + new TreeSet<>(failing.keySet())) + ". Nothing was changed");
      }
    }
  }

  /**
   * Asks the resolver for every conflicting file; when it resolves them all, writes them and commits the
   * merge. Empty, with nothing written, when one stays a conflict.
   */
  private Optional<String> resolveAll(List<String> conflicts, String before, ObjectId theirs, String message,
      CodeAuthor author, MergeResolver resolver) throws GitAPIException, IOException {
    if (conflicts.isEmpty() || before.isEmpty()) {
      return Optional.empty();
    }
    String base = mergeBase(ObjectId.fromString(before), theirs).orElse("");
    java.util.Map<String, byte[]> merged = new java.util.LinkedHashMap<>();
    for (String path : conflicts) {
      Optional<byte[]> result = resolver.resolve(path, base.isEmpty() ? Optional.empty() : read(base, path),
          read(before, path), read(theirs.getName(), path));
      if (result.isEmpty()) {
        return Optional.empty();
      }
      merged.put(path, result.get());
    }
    for (var e : merged.entrySet()) {
      java.nio.file.Files.write(root.resolve(e.getKey()), e.getValue());
      git.add().addFilepattern(e.getKey()).call();
    }
    if (!git.status().call().getConflicting().isEmpty()) {
      return Optional.empty();
    }
    PersonIdent who = ident(author);
    RevCommit c = git.commit().setMessage(message).setAuthor(who).setCommitter(who).setSign(false).call();
    log.debug("Merged {} with {} file(s) resolved in {}", c.getName(), merged.size(), root);
    return Optional.of(c.getName());
  }

  private Optional<String> mergeBase(ObjectId a, ObjectId b) throws IOException {
    try (RevWalk walk = new RevWalk(repo)) {
      walk.setRevFilter(org.eclipse.jgit.revwalk.filter.RevFilter.MERGE_BASE);
      walk.markStart(walk.parseCommit(a));
      walk.markStart(walk.parseCommit(b));
      RevCommit base = walk.next();
      return base == null ? Optional.empty() : Optional.of(base.getName());
    }
  }

  /** Puts the working copy back to a commit after a merge that did not complete, and checks it is clean. */
  private void restore(String before, Throwable failure) {
    try {
      if (before.isEmpty()) {
        git.reset().setMode(ResetCommand.ResetType.HARD).call();
      } else {
        git.reset().setMode(ResetCommand.ResetType.HARD).setRef(before).call();
      }
      repo.writeMergeCommitMsg(null);
      repo.writeMergeHeads(null);
      if (!git.status().call().isClean()) {
        throw new ProphecyException("The Git working copy " + root + " is not clean after undoing a merge");
      }
    } catch (GitAPIException | IOException | RuntimeException e) {
      ProphecyException p = new ProphecyException("Could not undo a merge in " + root + "; check it with 'git status'"
          + " before going on: " + e.getMessage(), e);
      if (failure != null) {
        failure.addSuppressed(p);
        return;
      }
      throw p;
    }
  }

  @Override
  public void tag(String name, String message, CodeAuthor author) {
    try {
      git.tag().setName(name).setMessage(message).setTagger(ident(author)).setAnnotated(true).setSigned(false).call();
    } catch (RefAlreadyExistsException e) {
      throw new ConflictException("The project has a tag '" + name + "' already");
    } catch (InvalidRefNameException e) {
      throw new InvalidInputException("tag", "'" + name + "' is not a valid Git tag name");
    } catch (GitAPIException e) {
      throw failed("tag '" + name + "'", e);
    }
  }

  @Override
  public void push(RemoteAuth auth, List<String> branches, List<String> tags) {
    String url = requireRemote();
    List<RefSpec> specs = new ArrayList<>();
    for (String b : branches) {
      specs.add(new RefSpec(Constants.R_HEADS + b + ":" + Constants.R_HEADS + b));
    }
    for (String t : tags) {
      specs.add(new RefSpec(Constants.R_TAGS + t + ":" + Constants.R_TAGS + t));
    }
    PushCommand cmd = git.push().setRemote(ORIGIN).setCredentialsProvider(credentials(auth)).setRefSpecs(specs)
        .setTimeout(TIMEOUT_SECONDS);
    Iterable<PushResult> results;
    try {
      results = cmd.call();
    } catch (GitAPIException e) {
      throw Failures.remote("push", url, auth, e);
    }
    List<String> rejected = new ArrayList<>();
    List<String> refused = new ArrayList<>();
    for (PushResult result : results) {
      for (RemoteRefUpdate u : result.getRemoteUpdates()) {
        switch (u.getStatus()) {
          case OK, UP_TO_DATE -> { }
          case REJECTED_NONFASTFORWARD, REJECTED_REMOTE_CHANGED -> rejected.add(u.getRemoteName());
          default -> refused.add(u.getRemoteName() + " (" + u.getStatus()
              + (u.getMessage() == null ? "" : ": " + Failures.scrub(u.getMessage(), auth)) + ")");
        }
      }
    }
    String where = Failures.safeUrl(url);
    if (!rejected.isEmpty()) {
      throw new GitPushRejectedException("The remote " + where + " refused the push of " + String.join(", ", rejected)
          + " because it has commits the local branch lacks: pull first (project.git().pull()), then push again. No local"
          + " commit was lost", rejected);
    }
    if (!refused.isEmpty()) {
      throw new GitException("The remote " + where + " refused the push of " + String.join(", ", refused));
    }
  }

  @Override
  public void close() {
    git.close();
  }

  @Override
  public String toString() {
    return "JGitWorkingCopy[" + root + "]";
  }
}
