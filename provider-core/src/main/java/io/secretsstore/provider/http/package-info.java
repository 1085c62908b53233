// SPDX-License-Identifier: Apache-2.0
/**
 * A small non-blocking HTTP/1.1 server with read and write deadlines and a connection cap, shared
 * by the health endpoints and the metrics endpoint so neither can be held open by a slow client;
 * and the bounded reading of HTTP answers the backends' clients receive.
 */
package io.secretsstore.provider.http;
