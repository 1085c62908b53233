// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.aws;

import io.secretsstore.provider.credentials.CredentialCache;
import io.secretsstore.provider.credentials.IdentityKey;
import io.secretsstore.provider.mount.ErrorKind;
import io.secretsstore.provider.mount.ObjectVersion;
import io.secretsstore.provider.mount.ProviderException;
import io.secretsstore.provider.mount.SafeText;
import io.secretsstore.provider.spi.FetchedFile;
import io.secretsstore.provider.spi.FetchedObject;
import io.secretsstore.provider.spi.ObjectFetcher;
import io.secretsstore.provider.spi.PlannedObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.secretsmanager.model.BatchGetSecretValueRequest;
import software.amazon.awssdk.services.secretsmanager.model.BatchGetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueRequest;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.SecretValueEntry;
import software.amazon.awssdk.services.ssm.model.GetParametersRequest;
import software.amazon.awssdk.services.ssm.model.GetParametersResponse;
import software.amazon.awssdk.services.ssm.model.Parameter;
import tools.jackson.databind.JsonNode;

/**
 * Fetches one mount's objects with the pod's AWS credentials, which come from the process-wide
 * credential cache: one STS (or Pod Identity agent) call per identity while they are valid. The
 * primary region is read first; the failover region only when the primary failed with an error a
 * retry could fix (network, 5xx, throttling), never after a 4xx answer. SSM parameters are read in
 * GetParameters batches of 10 and, when the operator allows it, unpinned secrets in
 * BatchGetSecretValue batches of 20.
 */
final class AwsFetcher implements ObjectFetcher<AwsSpec> {
  private static final Logger LOG = LoggerFactory.getLogger(AwsFetcher.class);
  static final int SSM_BATCH = 10;
  static final int SECRETS_BATCH = 20;

  private final IdentityKey identity;
  private final CredentialCache credentials;
  private final CredentialCache.Login<AwsSessionCredentials> login;
  private final AwsClients clients;

  /** The plan's primary SSM reads in groups of at most 10, as upstream batches GetParameters. */
  private final SharedBatches<AwsSpec.Target, Map<String, Value>> ssmBatches;

  /** With --aws-batch-get-secret-value: the unpinned primary secrets in groups of at most 20. */
  private final SharedBatches<AwsSpec.Target, Map<String, Value>> secretBatches;

  AwsFetcher(
      IdentityKey identity,
      CredentialCache credentials,
      CredentialCache.Login<AwsSessionCredentials> login,
      AwsClients clients,
      List<AwsSpec> specs,
      boolean batchSecrets) {
    this.identity = identity;
    this.credentials = credentials;
    this.login = login;
    this.clients = clients;
    this.ssmBatches =
        new SharedBatches<>(
            specs.stream()
                .filter(s -> s.type() == SecretType.SSM_PARAMETER)
                .map(AwsSpec::primary)
                .toList(),
            SSM_BATCH);
    // BatchGetSecretValue reads only AWSCURRENT, so pinned versions and labels are read one by one.
    this.secretBatches =
        new SharedBatches<>(
            !batchSecrets
                ? List.of()
                : specs.stream()
                    .filter(
                        s ->
                            s.type() == SecretType.SECRETS_MANAGER
                                && s.primary().version().isEmpty()
                                && s.primary().label().isEmpty())
                    .map(AwsSpec::primary)
                    .toList(),
            SECRETS_BATCH);
  }

  @Override
  public FetchedObject fetch(PlannedObject<AwsSpec> object) throws InterruptedException {
    AwsSpec spec = object.spec();
    String where = quoted(spec.primary().name());
    AwsSessionCredentials session = credentials.get(identity, login);
    Value value;
    try {
      value = read(spec, spec.primary(), session, where);
    } catch (ProviderException e) {
      if (spec.failover() == null || !AwsErrors.retryable(e)) {
        if (e.kind() == ErrorKind.PERMISSION_DENIED) {
          credentials.invalidate(identity);
        }
        throw e;
      }
      LOG.atWarn()
          .addKeyValue("region", spec.primary().region())
          .addKeyValue("failoverRegion", spec.failover().region())
          .addKeyValue("object", spec.fileName())
          .addKeyValue("error", e.getMessage())
          .log("primary region failed with a retryable error; reading the failover region");
      try {
        value = read(spec, spec.failover(), session, quoted(spec.failover().name()));
      } catch (ProviderException f) {
        throw ProviderException.of(
            f.kind(),
            "Failed to fetch secret from all regions: " + e.getMessage() + "; " + f.getMessage());
      }
    }
    if (Thread.currentThread().isInterrupted()) {
      throw new InterruptedException();
    }
    List<FetchedFile> files = new ArrayList<>();
    List<ObjectVersion> versions = new ArrayList<>();
    files.add(new FetchedFile(object.path(), object.mode(), value.contents()));
    versions.add(new ObjectVersion(object.id(), value.version()));
    if (!spec.jmes().isEmpty()) {
      JsonNode document = JmesExtractor.parse(value.contents(), where);
      for (int i = 0; i < spec.jmes().size(); i++) {
        AwsSpec.Jmes jmes = spec.jmes().get(i);
        byte[] extracted =
            JmesExtractor.extract(document, jmes.path(), where + " jmesPath[" + i + "]");
        files.add(new FetchedFile(jmes.fileName(), jmes.mode(), extracted));
        versions.add(new ObjectVersion(jmes.fileName(), value.version()));
      }
    }
    return new FetchedObject(files, versions);
  }

  /**
   * A plain name (SSM names may start with a slash) quoted for messages; anything else is left out
   * (the engine names the entry).
   */
  private static String quoted(String name) {
    String rest = name.startsWith("/") ? name.substring(1) : name;
    return SafeText.isPlainName(rest) ? "\"" + name + "\"" : "(name not shown)";
  }

  /** The bytes and version of one object in one region. */
  private record Value(byte[] contents, String version) {}

  private Value read(
      AwsSpec spec, AwsSpec.Target target, AwsSessionCredentials session, String where) {
    AwsRequestOverrideConfiguration auth =
        AwsRequestOverrideConfiguration.builder()
            .credentialsProvider(StaticCredentialsProvider.create(session))
            .build();
    return switch (spec.type()) {
      case SECRETS_MANAGER ->
          secretBatches.batched(target)
              ? batchedSecret(target, auth, where)
              : secret(target, auth, where);
      case SSM_PARAMETER ->
          ssmBatches.batched(target) ? parameter(target, auth, where) : single(target, auth, where);
    };
  }

  private Value secret(AwsSpec.Target target, AwsRequestOverrideConfiguration auth, String where) {
    GetSecretValueRequest.Builder request =
        GetSecretValueRequest.builder().secretId(target.name()).overrideConfiguration(auth);
    if (!target.version().isEmpty()) {
      request.versionId(target.version());
    }
    if (!target.label().isEmpty()) {
      request.versionStage(target.label());
    }
    GetSecretValueResponse response;
    try {
      response = clients.secretsManager(target.region()).getSecretValue(request.build());
    } catch (SdkException e) {
      throw AwsErrors.map(e, target.region(), "GetSecretValue", where);
    }
    return secretValue(response.secretString(), response.secretBinary(), response.versionId());
  }

  /** A secret's bytes: the string as UTF-8, or the binary raw. */
  private static Value secretValue(String string, SdkBytes binary, String versionId) {
    byte[] contents =
        string != null
            ? string.getBytes(StandardCharsets.UTF_8)
            : binary != null ? binary.asByteArray() : new byte[0];
    return new Value(contents, versionId == null ? "" : versionId);
  }

  /**
   * A primary SSM read served from its batch's one GetParameters call. A name the batch answer does
   * not match falls back to a call of its own, so one invalid name fails only its own object.
   */
  private Value parameter(
      AwsSpec.Target target, AwsRequestOverrideConfiguration auth, String where) {
    Value value =
        ssmBatches.answer(target, batch -> batchRead(batch, auth, where)).get(target.ssmSelector());
    return value != null ? value : single(target, auth, where);
  }

  /**
   * An unpinned primary secret served from its batch's one BatchGetSecretValue call, keyed by the
   * name and the ARN the answer gives. A secret the answer lacks (not found, denied, a partial ARN)
   * is read on its own, so its error is exactly GetSecretValue's.
   */
  private Value batchedSecret(
      AwsSpec.Target target, AwsRequestOverrideConfiguration auth, String where) {
    Value value =
        secretBatches
            .answer(target, batch -> batchSecretsRead(batch, auth, where))
            .get(target.name());
    return value != null ? value : secret(target, auth, where);
  }

  private Map<String, Value> batchSecretsRead(
      List<AwsSpec.Target> targets, AwsRequestOverrideConfiguration auth, String where) {
    String region = targets.get(0).region();
    BatchGetSecretValueResponse response;
    try {
      response =
          clients
              .secretsManager(region)
              .batchGetSecretValue(
                  BatchGetSecretValueRequest.builder()
                      .secretIdList(targets.stream().map(AwsSpec.Target::name).toList())
                      .overrideConfiguration(auth)
                      .build());
    } catch (SdkException e) {
      throw AwsErrors.map(e, region, "BatchGetSecretValue", where);
    }
    Map<String, Value> values = new HashMap<>();
    if (response.hasSecretValues()) {
      for (SecretValueEntry entry : response.secretValues()) {
        Value value = secretValue(entry.secretString(), entry.secretBinary(), entry.versionId());
        values.put(entry.name(), value);
        values.put(entry.arn(), value);
      }
    }
    return values;
  }

  /** One GetParameters call for a batch; values keyed by the selector each name was asked with. */
  private Map<String, Value> batchRead(
      List<AwsSpec.Target> targets, AwsRequestOverrideConfiguration auth, String where) {
    List<String> names = targets.stream().map(AwsSpec.Target::ssmSelector).toList();
    GetParametersResponse response;
    try {
      response =
          clients
              .ssm(targets.get(0).region())
              .getParameters(
                  GetParametersRequest.builder()
                      .names(names)
                      .withDecryption(true)
                      .overrideConfiguration(auth)
                      .build());
    } catch (SdkException e) {
      throw AwsErrors.map(e, targets.get(0).region(), "GetParameters", where);
    }
    Map<String, Value> values = new HashMap<>();
    if (response.hasParameters()) {
      for (Parameter parameter : response.parameters()) {
        String key = parameter.name() + (parameter.selector() == null ? "" : parameter.selector());
        values.put(key, value(parameter));
      }
    }
    return values;
  }

  private static Value value(Parameter parameter) {
    return new Value(
        parameter.value() == null
            ? new byte[0]
            : parameter.value().getBytes(StandardCharsets.UTF_8),
        parameter.version() == null ? "" : String.valueOf(parameter.version()));
  }

  private Value single(AwsSpec.Target target, AwsRequestOverrideConfiguration auth, String where) {
    GetParametersRequest request =
        GetParametersRequest.builder()
            .names(target.ssmSelector())
            .withDecryption(true)
            .overrideConfiguration(auth)
            .build();
    GetParametersResponse response;
    try {
      response = clients.ssm(target.region()).getParameters(request);
    } catch (SdkException e) {
      throw AwsErrors.map(e, target.region(), "GetParameters", where);
    }
    if (response.hasInvalidParameters() && !response.invalidParameters().isEmpty()
        || !response.hasParameters()
        || response.parameters().isEmpty()) {
      throw ProviderException.of(
          ErrorKind.NOT_FOUND,
          target.region() + ": GetParameters " + where + ": Invalid parameters");
    }
    return value(response.parameters().get(0));
  }
}
