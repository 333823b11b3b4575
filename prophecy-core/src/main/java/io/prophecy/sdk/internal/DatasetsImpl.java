package io.prophecy.sdk.internal;

import io.prophecy.sdk.ConflictException;
import io.prophecy.sdk.Dataset;
import io.prophecy.sdk.Datasets;
import io.prophecy.sdk.Fabric;
import io.prophecy.sdk.InvalidInputException;
import io.prophecy.sdk.NotFoundException;
import io.prophecy.sdk.internal.project.ProjectFiles;
import io.prophecy.sdk.model.DatasetSpec;
import java.util.List;
import java.util.Optional;

/** A project's datasets, in its working copy. */
final class DatasetsImpl implements Datasets {
  private final ProjectImpl project;

  DatasetsImpl(ProjectImpl project) {
    this.project = project;
  }

  /** A project's files go to Git: a dataset that would put a secret there is refused. */
  static void requireNoSecrets(DatasetSpec spec) {
    spec.options().forEach((key, value) -> {
      if (io.prophecy.sdk.codegen.ProjectCode.holdsSecret(key, value)) {
        throw new InvalidInputException("dataset.options." + key, "dataset '" + spec.name() + "' would write a secret"
            + " into the project's files, which go to Git; keep secrets in each user's fabric credentials");
      }
    });
    spec.path().filter(p -> io.prophecy.sdk.codegen.ProjectCode.holdsSecret("path", p)).ifPresent(p -> {
      throw new InvalidInputException("dataset.path", "dataset '" + spec.name() + "' has credentials in its path;"
          + " keep secrets in each user's fabric credentials");
    });
  }

  @Override
  public Dataset create(DatasetSpec spec) {
    requireNoSecrets(spec);
    String actor = project.team.user.email();
    DatasetSpec stored = project.engine.mutate(actor, "dataset.create", project.target() + "/dataset:" + spec.name(), tx -> {
      project.requireVisible(tx.c);
      tx.team(project.team.info.id()).detail("format=" + spec.format());
      var files = project.files();
      if (files.dataset(spec.name()).isPresent()) {
        throw new ConflictException("Project '" + project.info.name() + "' has a dataset named '" + spec.name()
            + "' already; choose another name or delete that dataset first");
      }
      files.putDataset(spec, actor);
      return files.dataset(spec.name()).orElseThrow();
    });
    return new DatasetImpl(project, stored);
  }

  @Override
  public Dataset get(String name) {
    project.requireVisible();
    return project.files().dataset(name).map(d -> (Dataset) new DatasetImpl(project, d))
        .orElseThrow(() -> new NotFoundException("Project '" + project.info.name() + "' has no dataset named '" + name
            + "'; its datasets are listed by project.datasets().list()"));
  }

  @Override
  public List<Dataset> list() {
    project.requireVisible();
    return project.files().datasets().stream().map(d -> (Dataset) new DatasetImpl(project, d)).toList();
  }

  private static final class DatasetImpl implements Dataset {
    private final ProjectImpl project;
    private final DatasetSpec spec;

    DatasetImpl(ProjectImpl project, DatasetSpec spec) {
      this.project = project;
      this.spec = spec;
    }

    @Override
    public DatasetSpec spec() {
      return spec;
    }

    @Override
    public DatasetSpec specFor(Fabric fabric) {
      project.requireVisible();
      String fabricName = fabric.info().name();
      return project.files().dataset(spec.name(), fabricName).orElseThrow(() -> new NotFoundException("Dataset '"
          + spec.name() + "' of project '" + project.info.name() + "' was deleted"));
    }

    @Override
    public Dataset putForFabric(Fabric fabric, DatasetSpec physical) {
      if (!physical.name().equals(spec.name())) {
        throw new InvalidInputException("dataset.name", "the physical dataset is named '" + physical.name()
            + "', not '" + spec.name() + "'; a fabric's physical dataset keeps the dataset's name");
      }
      requireNoSecrets(physical);
      String actor = project.team.user.email();
      project.engine.mutate(actor, "dataset.update", project.target() + "/dataset:" + spec.name(), tx -> {
        project.requireVisible(tx.c);
        String fabricName = fabric.info().name();
        tx.team(project.team.info.id()).detail("fabric=" + fabricName + " format=" + physical.format());
        if (fabricName.equals(ProjectFiles.DEFAULT_FABRIC)) {
          throw new InvalidInputException("fabric.name", "a fabric named 'default' cannot have a physical dataset of "
              + "its own: Prophecy's 'default' folder serves every fabric; rename the fabric");
        }
        var files = project.files();
        if (files.dataset(spec.name()).isEmpty()) {
          throw new NotFoundException("Dataset '" + spec.name() + "' of project '" + project.info.name() + "' was deleted");
        }
        files.putDataset(physical, actor, fabricName, Optional.of(fabric.info().id()));
        return null;
      });
      return this;
    }

    @Override
    public void delete() {
      project.engine.mutate(project.team.user.email(), "dataset.delete", project.target() + "/dataset:" + spec.name(), tx -> {
        project.requireVisible(tx.c);
        tx.team(project.team.info.id());
        List<String> users = project.files().pipelines().stream()
            .filter(p -> p.inputs().contains(spec.name()) || p.outputs().contains(spec.name()))
            .map(p -> p.name()).toList();
        if (!users.isEmpty()) {
          throw new ConflictException("Dataset '" + spec.name() + "' of project '" + project.info.name()
              + "' is used by pipeline(s) " + users + "; change them first");
        }
        if (!project.files().removeDataset(spec.name())) {
          throw new NotFoundException("Dataset '" + spec.name() + "' of project '" + project.info.name() + "' was deleted already");
        }
        return null;
      });
    }

    @Override
    public String toString() {
      return "Dataset[" + project.info.name() + "/" + spec.name() + "]";
    }
  }
}
