// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.aws;

import io.secretsstore.provider.mount.ProviderException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Where the EKS Pod Identity agent listens: its IPv4 and its IPv6 link-local address, and how long
 * one request may take ({@code --pod-identity-http-timeout} upstream).
 *
 * @param ipv4 the agent's IPv4 credentials URL
 * @param ipv6 the agent's IPv6 credentials URL
 * @param timeout connect and request timeout of one call
 */
record PodIdentityAgent(URI ipv4, URI ipv6, Duration timeout) {
  static final URI IPV4 = URI.create("http://169.254.170.23/v1/credentials");
  static final URI IPV6 = URI.create("http://[fd00:ec2::23]/v1/credentials");
  static final Duration TIMEOUT = Duration.ofSeconds(5);
  static final PodIdentityAgent DEFAULT = new PodIdentityAgent(IPV4, IPV6, TIMEOUT);

  /** The SecretProviderClass values of {@code preferredAddressType}, lower case. */
  enum AddressType {
    IPV4,
    IPV6,
    AUTO;

    /** Case-insensitive; empty means auto. Null for anything else. */
    static AddressType parse(String value) {
      if (value.isEmpty()) {
        return AUTO;
      }
      for (AddressType type : values()) {
        if (type.name().equals(value.toUpperCase(Locale.ROOT))) {
          return type;
        }
      }
      return null;
    }
  }

  PodIdentityAgent {
    for (URI uri : List.of(ipv4, ipv6)) {
      if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          || uri.getHost() == null) {
        throw new IllegalArgumentException(
            "the EKS Pod Identity agent endpoints must be http or https URLs");
      }
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("the EKS Pod Identity agent timeout must be positive");
    }
  }

  /**
   * The URLs to ask, in order: one for a forced address type; for auto IPv4 and then IPv6, which is
   * tried only when IPv4 cannot be reached (upstream intends this, but its lazy config loading
   * means the fallback never fires on a network error).
   */
  List<URI> endpoints(AddressType type) {
    return switch (type) {
      case IPV4 -> List.of(ipv4);
      case IPV6 -> List.of(ipv6);
      case AUTO -> List.of(ipv4, ipv6);
    };
  }

  /** A copy with both endpoints replaced (tests point them at an emulator or a closed port). */
  static PodIdentityAgent at(URI ipv4, URI ipv6) {
    return new PodIdentityAgent(ipv4, ipv6, TIMEOUT);
  }

  /** A validation failure as the SecretProviderClass error it is. */
  static ProviderException invalidAddressType(String key) {
    return ProviderException.invalidArgument(
        key + " must be ipv4, ipv6 or auto (any case), or left out for auto");
  }
}
