// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.sync;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Just enough DER to turn a PKCS#8 private key into the PKCS#1 (RSA) or SEC1 (EC) encoding that
 * {@code kubernetes.io/tls} Secrets carry by convention; the JDK only speaks PKCS#8.
 */
final class Der {
  static final int INTEGER = 0x02;
  static final int OCTET_STRING = 0x04;
  static final int OID = 0x06;
  static final int SEQUENCE = 0x30;
  static final int CONTEXT_0 = 0xa0;

  private Der() {}

  /** One element: its tag, and where its whole encoding and its contents lie in the buffer. */
  record Element(byte[] buffer, int tag, int start, int contentStart, int end) {
    byte[] contents() {
      return Arrays.copyOfRange(buffer, contentStart, end);
    }

    byte[] encoded() {
      return Arrays.copyOfRange(buffer, start, end);
    }

    /** The elements inside a constructed element. */
    List<Element> children() {
      List<Element> children = new ArrayList<>();
      int offset = contentStart;
      while (offset < end) {
        Element child = read(buffer, offset, end);
        children.add(child);
        offset = child.end();
      }
      return children;
    }
  }

  /** The element at {@code offset}, which must end by {@code limit}. */
  static Element read(byte[] buffer, int offset, int limit) {
    if (offset + 2 > limit) {
      throw new IllegalArgumentException("truncated DER");
    }
    int tag = buffer[offset] & 0xff;
    int first = buffer[offset + 1] & 0xff;
    int contentStart = offset + 2;
    long length = first;
    if (first >= 0x80) {
      int count = first & 0x7f;
      if (count == 0 || count > 4 || contentStart + count > limit) {
        throw new IllegalArgumentException("bad DER length");
      }
      length = 0;
      for (int i = 0; i < count; i++) {
        length = (length << 8) | (buffer[contentStart + i] & 0xff);
      }
      contentStart += count;
    }
    if (contentStart + length > limit) {
      throw new IllegalArgumentException("truncated DER");
    }
    return new Element(buffer, tag, offset, contentStart, (int) (contentStart + length));
  }

  /** The single element that makes up {@code buffer}. */
  static Element parse(byte[] buffer) {
    Element element = read(buffer, 0, buffer.length);
    if (element.end() != buffer.length) {
      throw new IllegalArgumentException("trailing bytes after DER");
    }
    return element;
  }

  /** Encodes a tag and its contents. */
  static byte[] encode(int tag, byte[]... parts) {
    ByteArrayOutputStream contents = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      contents.writeBytes(part);
    }
    int length = contents.size();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(tag);
    if (length < 0x80) {
      out.write(length);
    } else {
      int bytes = length > 0xffffff ? 4 : length > 0xffff ? 3 : length > 0xff ? 2 : 1;
      out.write(0x80 | bytes);
      for (int i = bytes - 1; i >= 0; i--) {
        out.write((length >>> (8 * i)) & 0xff);
      }
    }
    out.writeBytes(contents.toByteArray());
    return out.toByteArray();
  }
}
