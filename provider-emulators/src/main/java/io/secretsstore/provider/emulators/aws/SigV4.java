// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.emulators.aws;

import static io.secretsstore.provider.emulators.aws.AwsErrors.error;

import io.secretsstore.provider.emulators.EmulatorRequest;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies AWS Signature Version 4 on a request as AWS does: recomputes the canonical request from
 * the signed headers, the path, the query and the body's SHA-256, and the signature with the secret
 * key of the access key named in the credential scope.
 */
final class SigV4 {
  private static final Pattern AUTHORIZATION =
      Pattern.compile(
          "AWS4-HMAC-SHA256\\s+Credential=([^/,\\s]+)/(\\d{8})/([^/,\\s]+)/([^/,\\s]+)/aws4_request\\s*,\\s*"
              + "SignedHeaders=([^,\\s]+)\\s*,\\s*Signature=([0-9a-f]{64})\\s*");
  private static final DateTimeFormatter AMZ_DATE =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  private static final Duration MAX_SKEW = Duration.ofMinutes(15);
  private static final HexFormat HEX = HexFormat.of();

  /** Who signed a request, and for which region. */
  record Caller(Credentials.Session session, String region) {}

  private final Credentials credentials;

  SigV4(Credentials credentials) {
    this.credentials = credentials;
  }

  Caller verify(EmulatorRequest request, String service) {
    String authorization =
        request
            .header("Authorization")
            .orElseThrow(
                () ->
                    error(
                        400,
                        "MissingAuthenticationTokenException",
                        "Request is missing Authentication Token"));
    Matcher m = AUTHORIZATION.matcher(authorization.trim());
    if (!m.matches()) {
      throw error(
          400,
          "IncompleteSignatureException",
          "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature'.");
    }
    String accessKeyId = m.group(1);
    String date = m.group(2);
    String region = m.group(3);
    String scopeService = m.group(4);
    List<String> signedHeaders = List.of(m.group(5).split(";"));
    String signature = m.group(6);
    Credentials.Session session = credentials.find(accessKeyId);
    if (session == null) {
      throw error(
          400,
          "UnrecognizedClientException",
          "The security token included in the request is invalid.");
    }
    if (session.sessionToken() != null
        && !session.sessionToken().equals(request.header("X-Amz-Security-Token").orElse(null))) {
      throw error(
          400,
          "UnrecognizedClientException",
          "The security token included in the request is invalid.");
    }
    if (!scopeService.equals(service)) {
      throw error(
          400,
          "InvalidSignatureException",
          "Credential should be scoped to correct service: '" + service + "'.");
    }
    String amzDate =
        request
            .header("X-Amz-Date")
            .orElseThrow(
                () ->
                    error(
                        400,
                        "IncompleteSignatureException",
                        "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header."));
    Instant signedAt;
    try {
      signedAt = Instant.from(AMZ_DATE.parse(amzDate));
    } catch (DateTimeParseException e) {
      throw error(
          400, "IncompleteSignatureException", "X-Amz-Date is not in the ISO8601 basic format.");
    }
    if (!amzDate.startsWith(date)) {
      throw error(
          400,
          "InvalidSignatureException",
          "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP.");
    }
    if (!signedHeaders.contains("host")
        || (session.sessionToken() != null && !signedHeaders.contains("x-amz-security-token"))) {
      throw error(
          400,
          "InvalidSignatureException",
          "The request signature does not sign the required headers.");
    }
    if (Duration.between(signedAt, Instant.now()).abs().compareTo(MAX_SKEW) > 0) {
      throw error(
          400,
          "InvalidSignatureException",
          "Signature expired: "
              + amzDate
              + " is now earlier or later than the allowed 15 minutes.");
    }
    String scope = date + "/" + region + "/" + service + "/aws4_request";
    String canonical = canonicalRequest(request, signedHeaders);
    String stringToSign =
        "AWS4-HMAC-SHA256\n"
            + amzDate
            + "\n"
            + scope
            + "\n"
            + HEX.formatHex(sha256(canonical.getBytes(StandardCharsets.UTF_8)));
    byte[] key = hmac(("AWS4" + session.secretAccessKey()).getBytes(StandardCharsets.UTF_8), date);
    key = hmac(key, region);
    key = hmac(key, service);
    key = hmac(key, "aws4_request");
    String expected = HEX.formatHex(hmac(key, stringToSign));
    if (!MessageDigest.isEqual(
        expected.getBytes(StandardCharsets.US_ASCII),
        signature.getBytes(StandardCharsets.US_ASCII))) {
      throw error(
          400,
          "InvalidSignatureException",
          "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.");
    }
    if (session.expiration().isBefore(Instant.now())) {
      throw error(
          400, "ExpiredTokenException", "The security token included in the request is expired");
    }
    return new Caller(session, region);
  }

  private static String canonicalRequest(EmulatorRequest request, List<String> signedHeaders) {
    StringBuilder out = new StringBuilder();
    out.append(request.method()).append('\n');
    String rawPath = request.uri().getRawPath();
    out.append(rawPath.isEmpty() ? "/" : encode(rawPath, false)).append('\n');
    out.append(canonicalQuery(request.uri().getRawQuery())).append('\n');
    for (String name : signedHeaders) {
      List<String> values = request.headers(name);
      List<String> trimmed = new ArrayList<>();
      for (String value : values) {
        trimmed.add(value.trim().replaceAll(" +", " "));
      }
      out.append(name.toLowerCase(Locale.ROOT))
          .append(':')
          .append(String.join(",", trimmed))
          .append('\n');
    }
    out.append('\n').append(String.join(";", signedHeaders)).append('\n');
    Optional<String> contentHash = request.header("X-Amz-Content-Sha256");
    out.append(
        contentHash.filter("UNSIGNED-PAYLOAD"::equals).isPresent()
            ? "UNSIGNED-PAYLOAD"
            : HEX.formatHex(sha256(request.body())));
    return out.toString();
  }

  private static String canonicalQuery(String rawQuery) {
    if (rawQuery == null || rawQuery.isEmpty()) {
      return "";
    }
    List<String> pairs = new ArrayList<>();
    for (String pair : rawQuery.split("&")) {
      int eq = pair.indexOf('=');
      String k = eq < 0 ? pair : pair.substring(0, eq);
      String v = eq < 0 ? "" : pair.substring(eq + 1);
      pairs.add(encode(decode(k), true) + "=" + encode(decode(v), true));
    }
    pairs.sort(null);
    return String.join("&", pairs);
  }

  private static String decode(String s) {
    return java.net.URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  /** AWS's URI encoding: everything but unreserved characters (and '/', in paths) as %XX. */
  static String encode(String s, boolean encodeSlash) {
    StringBuilder out = new StringBuilder();
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'A' && c <= 'Z')
          || (c >= 'a' && c <= 'z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '_'
          || c == '.'
          || c == '~'
          || (c == '/' && !encodeSlash)) {
        out.append(c);
      } else {
        out.append('%').append(String.format(Locale.ROOT, "%02X", b & 0xff));
      }
    }
    return out.toString();
  }

  static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  private static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }
}
