// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.emulators;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** The routes of one server, tried in the order they were added; the first that accepts wins. */
final class RouteTable {
  /** A route and its handler. */
  record Entry(Route route, EmulatorHandler handler) {}

  /** Where a request goes: an entry and the routed request, or a 404/405 with a message. */
  record Match(Entry entry, EmulatorRequest request, int status, String message) {
    boolean found() {
      return entry != null;
    }
  }

  // Routes may be added while requests are served; reads vastly outnumber writes.
  private final List<Entry> entries = new CopyOnWriteArrayList<>();

  void add(Route route, EmulatorHandler handler) {
    entries.add(new Entry(route, handler));
  }

  Match match(EmulatorRequest request) {
    String rawPath = request.uri().getRawPath();
    boolean otherMethod = false;
    for (Entry entry : entries) {
      Map<String, String> params = entry.route().matchPath(rawPath);
      if (params == null) {
        continue;
      }
      if (!entry.route().methodMatches(request.method())) {
        otherMethod = true;
        continue;
      }
      EmulatorRequest routed = request.routed(entry.route().operation(), params);
      if (entry.route().accepts(routed)) {
        return new Match(entry, routed, 200, null);
      }
    }
    return otherMethod
        ? new Match(
            null,
            request,
            405,
            "method " + request.method() + " is not allowed on " + request.path())
        : new Match(null, request, 404, "no route for " + request.method() + " " + request.path());
  }
}
