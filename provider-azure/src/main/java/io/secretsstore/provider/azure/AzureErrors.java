// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.azure;

import com.azure.core.exception.ClientAuthenticationException;
import com.azure.core.exception.HttpResponseException;
import io.secretsstore.provider.mount.ErrorKind;
import io.secretsstore.provider.mount.ProviderException;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps Key Vault and Entra ID failures to error kinds. Messages carry the HTTP status and the
 * service's error codes ({@code SecretNotFound}, {@code AADSTS70021}), never the service's message
 * text, which may quote names, tokens or request contents.
 */
final class AzureErrors {
  private static final Pattern CODE = Pattern.compile("\"code\"\\s*:\\s*\"([A-Za-z0-9_]{1,64})\"");
  private static final Pattern AADSTS = Pattern.compile("AADSTS\\d{1,9}");
  private static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(1);

  private AzureErrors() {}

  /** A failed Key Vault call. */
  static ProviderException keyVault(RuntimeException e, String context) {
    ProviderException wrapped = providerCause(e);
    if (wrapped != null) {
      return wrapped.withContext(context);
    }
    if (e instanceof ClientAuthenticationException auth
        && auth.getResponse() != null
        && auth.getResponse().getStatusCode() != 401) {
      return login(auth, "Microsoft Entra ID").withContext(context);
    }
    if (e instanceof HttpResponseException http && http.getResponse() != null) {
      int status = http.getResponse().getStatusCode();
      Set<String> codes = codes(String.valueOf(http.getMessage()), CODE);
      String message =
          context
              + ": Key Vault answered HTTP "
              + status
              + (codes.isEmpty() ? "" : " " + String.join("/", codes));
      if (status == 429) {
        return ProviderException.throttled(
            message,
            retryAfter(
                http.getResponse()
                    .getHeaders()
                    .getValue(com.azure.core.http.HttpHeaderName.RETRY_AFTER)));
      }
      if (status == 404) {
        return ProviderException.of(ErrorKind.NOT_FOUND, message);
      }
      if (status == 403 && codes.stream().anyMatch(c -> c.endsWith("Disabled"))) {
        return ProviderException.of(ErrorKind.FAILED_PRECONDITION, message);
      }
      if (status == 401 || status == 403) {
        return ProviderException.of(ErrorKind.PERMISSION_DENIED, message);
      }
      if (status >= 500 || status == 408) {
        return ProviderException.of(ErrorKind.UNAVAILABLE, message);
      }
      return ProviderException.of(ErrorKind.FAILED_PRECONDITION, message);
    }
    return ProviderException.of(
        ErrorKind.UNAVAILABLE,
        context + ": cannot reach Key Vault (" + e.getClass().getSimpleName() + ")");
  }

  /** Whether Key Vault answered 401 to a request that carried a token. */
  static boolean unauthorized(RuntimeException e) {
    return providerCause(e) == null
        && e instanceof HttpResponseException http
        && http.getResponse() != null
        && http.getResponse().getStatusCode() == 401;
  }

  /** A failed token request to Entra ID (or another token source). */
  static ProviderException login(RuntimeException e, String source) {
    ProviderException wrapped = providerCause(e);
    if (wrapped != null) {
      return wrapped;
    }
    String text = String.valueOf(e.getMessage());
    Set<String> codes = codes(text, AADSTS);
    Integer status = status(e);
    String message =
        source
            + " refused the token request"
            + (codes.isEmpty() ? "" : " (" + String.join(", ", codes) + ")");
    if (status != null && status == 429) {
      return ProviderException.throttled(message, DEFAULT_RETRY_AFTER);
    }
    if (status != null && status >= 500) {
      return ProviderException.of(ErrorKind.UNAVAILABLE, source + " answered HTTP " + status);
    }
    if (!codes.isEmpty() || status != null) {
      return ProviderException.of(ErrorKind.PERMISSION_DENIED, message);
    }
    if (text.contains("not configured to acquire tokens for tenant")) {
      return ProviderException.of(
          ErrorKind.PERMISSION_DENIED, "the key vault belongs to another tenant than tenantId");
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.io.IOException) {
        return ProviderException.of(
            ErrorKind.UNAVAILABLE,
            "cannot reach " + source + " (" + t.getClass().getSimpleName() + ")");
      }
    }
    return e instanceof ClientAuthenticationException
        ? ProviderException.of(ErrorKind.PERMISSION_DENIED, message)
        : ProviderException.of(
            ErrorKind.UNAVAILABLE,
            "cannot reach " + source + " (" + e.getClass().getSimpleName() + ")");
  }

  /**
   * The HTTP status of a failed token request: azure-core's, or MSAL's (wrapped in
   * RuntimeExceptions by azure-identity).
   */
  private static Integer status(RuntimeException e) {
    if (e instanceof HttpResponseException http && http.getResponse() != null) {
      return http.getResponse().getStatusCode();
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof com.microsoft.aad.msal4j.MsalServiceException msal
          && msal.statusCode() != null
          && msal.statusCode() > 0) {
        return msal.statusCode();
      }
    }
    return null;
  }

  private static ProviderException providerCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ProviderException provider) {
        return provider;
      }
    }
    return null;
  }

  private static Set<String> codes(String text, Pattern pattern) {
    Set<String> codes = new LinkedHashSet<>();
    Matcher matcher = pattern.matcher(text);
    while (matcher.find() && codes.size() < 3) {
      codes.add(matcher.groupCount() > 0 ? matcher.group(1) : matcher.group());
    }
    return codes;
  }

  private static Duration retryAfter(String header) {
    if (header != null && header.trim().matches("\\d{1,6}")) {
      return Duration.ofSeconds(Long.parseLong(header.trim()));
    }
    return DEFAULT_RETRY_AFTER;
  }
}
