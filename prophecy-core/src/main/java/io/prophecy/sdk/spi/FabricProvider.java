package io.prophecy.sdk.spi;

import io.prophecy.sdk.model.Credentials;
import io.prophecy.sdk.model.JobSpec;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A fabric kind, found through {@link java.util.ServiceLoader} or registered on
 * {@code Prophecy.builder().register(...)}. Implementations are stateless and thread-safe; they need a
 * public no-argument constructor to be discovered.
 */
public interface FabricProvider {
  /** The kind this provider runs, such as {@code databricks}; equal to {@code describe().kind()}. */
  String kind();

  /** The settings and credential fields the kind takes, and what it can do. */
  FabricDescriptor describe();

  /**
   * Connects to the fabric as one user.
   *
   * @param config the fabric's settings, already checked against {@link #describe()}, defaults applied
   * @param credentials the acting user's credentials, checked against the descriptor's credential
   *     fields; {@link Credentials#none()} where the kind takes none
   * @param context what the SDK offers a connection: user agent, a work folder, a clock
   * @throws io.prophecy.sdk.ConnectorException when the engine cannot be reached or refuses
   */
  FabricConnection connect(FabricConfig config, Credentials credentials, ConnectorContext context);

  /**
   * The files a project keeps for a job that a fabric of this kind schedules, by path under the job's
   * folder ({@code jobs/<name>/}), such as Databricks' {@code code/databricks-job.json}. Core writes them
   * into the project when the job is created and removes the job's folder with the job. None by default.
   *
   * @param job the job as it is being created
   * @param fabric the fabric that runs it, with its settings
   * @throws io.prophecy.sdk.InvalidInputException naming the field when the job cannot run on this fabric
   *     as given (then the job is not created)
   */
  default SortedMap<String, String> jobFiles(JobSpec job, FabricConfig fabric) {
    return new TreeMap<>();
  }
}
