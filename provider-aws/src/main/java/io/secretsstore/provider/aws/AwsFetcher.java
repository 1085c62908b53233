// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.aws;

import com.fasterxml.jackson.databind.JsonNode;
import io.secretsstore.provider.credentials.CredentialCache;
import io.secretsstore.provider.mount.SafeText;
import io.secretsstore.provider.spi.ErrorKind;
import io.secretsstore.provider.spi.FetchedFile;
import io.secretsstore.provider.spi.FetchedObject;
import io.secretsstore.provider.spi.IdentityKey;
import io.secretsstore.provider.spi.ObjectFetcher;
import io.secretsstore.provider.spi.ObjectVersion;
import io.secretsstore.provider.spi.PlannedObject;
import io.secretsstore.provider.spi.ProviderException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueRequest;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.ssm.model.GetParametersRequest;
import software.amazon.awssdk.services.ssm.model.GetParametersResponse;
import software.amazon.awssdk.services.ssm.model.Parameter;

/**
 * Fetches one mount's objects with the pod's AWS credentials, which come from the process-wide
 * credential cache: one STS (or Pod Identity agent) call per identity while they are valid. The
 * primary region is read first; the failover region only when the primary failed with an error a
 * retry could fix (network, 5xx, throttling), never after a 4xx answer.
 */
final class AwsFetcher implements ObjectFetcher<AwsSpec> {
  private static final Logger LOG = LoggerFactory.getLogger(AwsFetcher.class);

  private final IdentityKey identity;
  private final CredentialCache credentials;
  private final CredentialCache.Login<AwsSessionCredentials> login;
  private final AwsClients clients;

  AwsFetcher(IdentityKey identity, CredentialCache credentials, CredentialCache.Login<AwsSessionCredentials> login, AwsClients clients) {
    this.identity = identity;
    this.credentials = credentials;
    this.login = login;
    this.clients = clients;
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
      LOG.atWarn().addKeyValue("region", spec.primary().region()).addKeyValue("failoverRegion", spec.failover().region())
          .addKeyValue("object", spec.fileName()).addKeyValue("error", e.getMessage())
          .log("primary region failed with a retryable error; reading the failover region");
      try {
        value = read(spec, spec.failover(), session, quoted(spec.failover().name()));
      } catch (ProviderException f) {
        throw ProviderException.of(f.kind(), "Failed to fetch secret from all regions: " + e.getMessage() + "; " + f.getMessage());
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
        byte[] extracted = JmesExtractor.extract(document, jmes.path(), where + " jmesPath[" + i + "]");
        files.add(new FetchedFile(jmes.fileName(), jmes.mode(), extracted));
        versions.add(new ObjectVersion(jmes.fileName(), value.version()));
      }
    }
    return new FetchedObject(files, versions);
  }

  /** A plain name (SSM names may start with a slash) quoted for messages; anything else is left out (the engine names the entry). */
  private static String quoted(String name) {
    String rest = name.startsWith("/") ? name.substring(1) : name;
    return SafeText.isPlainName(rest) ? "\"" + name + "\"" : "(name not shown)";
  }

  /** The bytes and version of one object in one region. */
  private record Value(byte[] contents, String version) {}

  private Value read(AwsSpec spec, AwsSpec.Target target, AwsSessionCredentials session, String where) {
    AwsRequestOverrideConfiguration auth = AwsRequestOverrideConfiguration.builder()
        .credentialsProvider(StaticCredentialsProvider.create(session)).build();
    return switch (spec.type()) {
      case SECRETS_MANAGER -> secret(target, auth, where);
      case SSM_PARAMETER -> parameter(target, auth, where);
    };
  }

  private Value secret(AwsSpec.Target target, AwsRequestOverrideConfiguration auth, String where) {
    GetSecretValueRequest.Builder request = GetSecretValueRequest.builder().secretId(target.name()).overrideConfiguration(auth);
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
    byte[] contents = response.secretString() != null
        ? response.secretString().getBytes(StandardCharsets.UTF_8)
        : response.secretBinary() != null ? response.secretBinary().asByteArray() : new byte[0];
    return new Value(contents, response.versionId() == null ? "" : response.versionId());
  }

  private Value parameter(AwsSpec.Target target, AwsRequestOverrideConfiguration auth, String where) {
    GetParametersRequest request = GetParametersRequest.builder().names(target.ssmSelector()).withDecryption(true)
        .overrideConfiguration(auth).build();
    GetParametersResponse response;
    try {
      response = clients.ssm(target.region()).getParameters(request);
    } catch (SdkException e) {
      throw AwsErrors.map(e, target.region(), "GetParameters", where);
    }
    if (response.hasInvalidParameters() && !response.invalidParameters().isEmpty() || !response.hasParameters()
        || response.parameters().isEmpty()) {
      throw ProviderException.of(ErrorKind.NOT_FOUND, target.region() + ": GetParameters " + where + ": Invalid parameters");
    }
    Parameter parameter = response.parameters().get(0);
    return new Value(parameter.value() == null ? new byte[0] : parameter.value().getBytes(StandardCharsets.UTF_8),
        parameter.version() == null ? "" : String.valueOf(parameter.version()));
  }
}
