// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.emulators.aws;

import static io.secretsstore.provider.emulators.aws.AwsErrors.error;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.secretsstore.provider.emulators.EmulatorRequest;
import io.secretsstore.provider.emulators.EmulatorResponse;
import io.secretsstore.provider.emulators.ServiceAccountJwts;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The identity side: service-account JWTs this emulator signs (RS256, as the EKS OIDC issuer
 * would), STS {@code AssumeRoleWithWebIdentity} for roles whose trust policy names an audience and
 * a subject, and the EKS Pod Identity agent's {@code GET /v1/credentials}. Thread-safe.
 */
final class WebIdentity {
  static final String ISSUER = "https://oidc.eks.us-east-1.amazonaws.com/id/EMULATOR";
  static final String POD_IDENTITY_AUDIENCE = "pods.eks.amazonaws.com";
  static final Duration POD_IDENTITY_TTL = Duration.ofHours(6);

  private record Trust(String audience, String subject) {}

  private record Claims(String subject, List<String> audiences) {}

  private final ServiceAccountJwts jwts = new ServiceAccountJwts(ISSUER);
  private final Map<String, List<Trust>> roles = new ConcurrentHashMap<>();
  private final Map<String, String> podIdentity = new ConcurrentHashMap<>();
  private final Credentials credentials;

  WebIdentity(Credentials credentials) {
    this.credentials = credentials;
  }

  void addRole(String roleArn, String audience, String subject) {
    roles
        .computeIfAbsent(roleArn, r -> new CopyOnWriteArrayList<>())
        .add(new Trust(audience, subject));
  }

  void podIdentityRole(String namespace, String serviceAccount, String roleArn) {
    podIdentity.put(namespace + ":" + serviceAccount, roleArn);
  }

  String mint(String namespace, String serviceAccount, String audience, Duration ttl) {
    return jwts.mint(namespace, serviceAccount, audience, ttl);
  }

  /** STS {@code AssumeRoleWithWebIdentity} (query protocol, form body, unsigned). */
  EmulatorResponse assumeRoleWithWebIdentity(EmulatorRequest request) {
    Map<String, List<String>> form = request.form();
    String roleArn = first(form, "RoleArn");
    String sessionName = first(form, "RoleSessionName");
    String token = first(form, "WebIdentityToken");
    if (roleArn == null || sessionName == null || token == null) {
      throw error(
          400, "ValidationError", "RoleArn, RoleSessionName and WebIdentityToken are required.");
    }
    Duration ttl = Duration.ofHours(1);
    String duration = first(form, "DurationSeconds");
    if (duration != null) {
      try {
        ttl = Duration.ofSeconds(Long.parseLong(duration));
      } catch (NumberFormatException e) {
        throw error(400, "ValidationError", "DurationSeconds must be a number.");
      }
      if (ttl.getSeconds() < 900 || ttl.getSeconds() > 43200) {
        throw error(
            400,
            "ValidationError",
            "1 validation error detected: Value at 'durationSeconds' failed to satisfy constraint: "
                + "Member must have value between 900 and 43200");
      }
    }
    Claims claims = verify(token, "InvalidIdentityToken");
    List<Trust> trusts = roles.getOrDefault(roleArn, List.of());
    boolean audienceOk = trusts.stream().anyMatch(t -> claims.audiences().contains(t.audience()));
    if (!trusts.isEmpty() && !audienceOk) {
      throw error(400, "InvalidIdentityToken", "Incorrect token audience");
    }
    boolean trusted =
        trusts.stream()
            .anyMatch(
                t ->
                    claims.audiences().contains(t.audience())
                        && (t.subject().equals("*") || t.subject().equals(claims.subject())));
    if (!trusted) {
      throw error(403, "AccessDenied", "Not authorized to perform sts:AssumeRoleWithWebIdentity");
    }
    Credentials.Session session =
        credentials.issue(roleArn, Instant.now().plus(ttl).truncatedTo(ChronoUnit.SECONDS));
    String roleName = roleArn.substring(roleArn.lastIndexOf('/') + 1);
    String account = roleArn.split(":").length > 4 ? roleArn.split(":")[4] : SecretsManager.ACCOUNT;
    String xml =
        "<AssumeRoleWithWebIdentityResponse xmlns=\""
            + AwsErrors.STS_NS
            + "\"><AssumeRoleWithWebIdentityResult>"
            + "<SubjectFromWebIdentityToken>"
            + AwsErrors.xml(claims.subject())
            + "</SubjectFromWebIdentityToken>"
            + "<Audience>"
            + AwsErrors.xml(claims.audiences().get(0))
            + "</Audience>"
            + "<AssumedRoleUser><Arn>arn:aws:sts::"
            + AwsErrors.xml(account)
            + ":assumed-role/"
            + AwsErrors.xml(roleName)
            + "/"
            + AwsErrors.xml(sessionName)
            + "</Arn><AssumedRoleId>AROAEMULATOR"
            + "0000000"
            + ":"
            + AwsErrors.xml(sessionName)
            + "</AssumedRoleId></AssumedRoleUser>"
            + "<Credentials><AccessKeyId>"
            + session.accessKeyId()
            + "</AccessKeyId><SecretAccessKey>"
            + session.secretAccessKey()
            + "</SecretAccessKey><SessionToken>"
            + session.sessionToken()
            + "</SessionToken><Expiration>"
            + session.expiration()
            + "</Expiration></Credentials>"
            + "<Provider>"
            + ISSUER
            + "</Provider>"
            + "</AssumeRoleWithWebIdentityResult><ResponseMetadata><RequestId>"
            + AwsErrors.requestId()
            + "</RequestId></ResponseMetadata></AssumeRoleWithWebIdentityResponse>";
    return AwsErrors.xmlResponse(200, xml);
  }

  /** The Pod Identity agent: {@code Authorization: <token>} in, container credentials out. */
  EmulatorResponse podIdentityCredentials(EmulatorRequest request) {
    String token = request.header("Authorization").orElse("").trim();
    if (token.isEmpty()) {
      throw error(401, "InvalidTokenException", "Service account token cannot be empty");
    }
    Claims claims = verify(token, "InvalidTokenException");
    if (!claims.audiences().contains(POD_IDENTITY_AUDIENCE)) {
      throw error(401, "InvalidTokenException", "Token audience must be " + POD_IDENTITY_AUDIENCE);
    }
    String prefix = "system:serviceaccount:";
    String roleArn =
        claims.subject().startsWith(prefix)
            ? podIdentity.get(claims.subject().substring(prefix.length()))
            : null;
    if (roleArn == null) {
      throw error(
          403, "AccessDeniedException", "No Pod Identity association for this service account");
    }
    Credentials.Session session =
        credentials.issue(
            roleArn, Instant.now().plus(POD_IDENTITY_TTL).truncatedTo(ChronoUnit.SECONDS));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("AccessKeyId", session.accessKeyId());
    out.put("SecretAccessKey", session.secretAccessKey());
    out.put("Token", session.sessionToken());
    out.put(
        "AccountId",
        roleArn.split(":").length > 4 ? roleArn.split(":")[4] : SecretsManager.ACCOUNT);
    out.put("Expiration", session.expiration().toString());
    try {
      return EmulatorResponse.bytes(200, "application/json", AwsErrors.JSON.writeValueAsBytes(out));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write credentials", e);
    }
  }

  private Claims verify(String jwt, String invalidCode) {
    ServiceAccountJwts.Claims claims;
    try {
      claims = jwts.verify(jwt);
    } catch (ServiceAccountJwts.InvalidToken e) {
      throw switch (e.reason()) {
        case MALFORMED -> error(400, invalidCode, "The web identity token is not a valid JWT");
        case UNSUPPORTED_ALGORITHM, BAD_SIGNATURE ->
            error(400, invalidCode, "The web identity token's signature could not be verified");
        case EXPIRED ->
            error(
                400,
                "ExpiredTokenException",
                "Token expired: current date/time must be before the expiration date/time");
      };
    }
    if (!ISSUER.equals(claims.issuer())) {
      throw error(400, invalidCode, "The token issuer is not trusted");
    }
    if (claims.audiences().isEmpty()) {
      throw error(400, invalidCode, "Incorrect token audience");
    }
    return new Claims(claims.subject(), claims.audiences());
  }

  private static String first(Map<String, List<String>> form, String key) {
    List<String> values = form.get(key);
    return values == null || values.isEmpty() || values.get(0).isEmpty() ? null : values.get(0);
  }
}
