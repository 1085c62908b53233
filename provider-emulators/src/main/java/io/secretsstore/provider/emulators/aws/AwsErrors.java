// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.emulators.aws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.secretsstore.provider.emulators.EmulatorResponse;
import io.secretsstore.provider.emulators.ErrorRenderer;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * AWS's error shapes: JSON 1.1 {@code {"__type":...,"message":...}} (plus {@code x-amzn-ErrorType})
 * for Secrets Manager, SSM and the Pod Identity agent, and the query protocol's {@code
 * <ErrorResponse>} XML for STS. Injected faults are rendered the same way, with a code the SDK
 * classifies as the status suggests (429 is {@code ThrottlingException}).
 */
final class AwsErrors implements ErrorRenderer {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String JSON_11 = "application/x-amz-json-1.1";
  static final String STS_NS = "https://sts.amazonaws.com/doc/2011-06-15/";

  /** A typed AWS error thrown by a handler and rendered by the emulator's wrapper. */
  static final class AwsException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int status;
    final String code;

    AwsException(int status, String code, String message) {
      super(message, null, false, false);
      this.status = status;
      this.code = code;
    }
  }

  static AwsException error(int status, String code, String message) {
    return new AwsException(status, code, message);
  }

  @Override
  public EmulatorResponse render(String operation, int status, String message) {
    if (operation.startsWith("aws.sts.")) {
      return stsError(status, status == 429 ? "Throttling" : jsonCode(operation, status), message);
    }
    return jsonError(status, jsonCode(operation, status), message);
  }

  private static String jsonCode(String operation, int status) {
    if (status == 429) {
      return "ThrottlingException";
    }
    if (status == 403) {
      return "AccessDeniedException";
    }
    if (status == 404) {
      return operation.startsWith("aws.")
          ? "ResourceNotFoundException"
          : "UnknownOperationException";
    }
    if (status == 503) {
      return "ServiceUnavailable";
    }
    if (status >= 500) {
      return operation.startsWith("aws.ssm.") ? "InternalServerError" : "InternalServiceError";
    }
    return "ValidationException";
  }

  static EmulatorResponse jsonError(int status, String code, String message) {
    Map<String, String> body = new LinkedHashMap<>();
    body.put("__type", code);
    body.put("message", message);
    return json(status, body).withHeader("x-amzn-ErrorType", code);
  }

  static EmulatorResponse json(int status, Object value) {
    try {
      return EmulatorResponse.bytes(status, JSON_11, JSON.writeValueAsBytes(value))
          .withHeader("x-amzn-RequestId", requestId());
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("cannot write a response", e);
    }
  }

  static EmulatorResponse stsError(int status, String code, String message) {
    String type = status >= 500 ? "Receiver" : "Sender";
    String xml =
        "<ErrorResponse xmlns=\""
            + STS_NS
            + "\"><Error><Type>"
            + type
            + "</Type><Code>"
            + xml(code)
            + "</Code><Message>"
            + xml(message)
            + "</Message></Error><RequestId>"
            + requestId()
            + "</RequestId></ErrorResponse>";
    return xmlResponse(status, xml);
  }

  static EmulatorResponse xmlResponse(int status, String xml) {
    return EmulatorResponse.bytes(status, "text/xml", xml.getBytes(StandardCharsets.UTF_8))
        .withHeader("x-amzn-RequestId", requestId());
  }

  static String xml(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (char c : text.toCharArray()) {
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&apos;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  static String requestId() {
    return UUID.randomUUID().toString();
  }
}
