// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.yaml;

import java.util.List;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.LoadSettingsBuilder;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.constructor.StandardConstructor;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.events.ScalarEvent;
import org.snakeyaml.engine.v2.exceptions.ComposerException;
import org.snakeyaml.engine.v2.exceptions.DuplicateKeyException;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.parser.Parser;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;
import org.snakeyaml.engine.v2.schema.Schema;
import org.snakeyaml.engine.v2.util.MergeUtils;

/**
 * The one loader of YAML written by tenants and users (SecretProviderClass parameters of every
 * backend, the manifests and files given to {@code mount}). The document's size is checked before
 * parsing; nodes, nesting depth and scalar length are counted on the parser's events, before the
 * composer turns them into nodes, so a flow list of a million items or a map of 100k keys is
 * refused at the first node past the limit and a document nested 100k deep never reaches the
 * recursive composer (no {@link StackOverflowError} can escape). Loading is snakeyaml-engine's,
 * with no tag ever loading a class, duplicate and recursive keys refused and aliases bounded. Merge
 * keys ({@code <<: *base}) are merged where the schema resolves {@code <<} to the merge tag, as the
 * Go YAML libraries upstream providers use do. Refusals never quote the document.
 */
public final class BoundedYaml {
  private static final String NOT_YAML = "is not valid YAML";

  private BoundedYaml() {}

  /** Load settings for one document under these limits (with source marks for error positions). */
  static LoadSettings settings(String label, Schema schema, YamlLimits limits) {
    return builder(label, schema, limits).build();
  }

  private static LoadSettingsBuilder builder(String label, Schema schema, YamlLimits limits) {
    return LoadSettings.builder()
        .setLabel(label)
        .setSchema(schema)
        .setAllowDuplicateKeys(false)
        .setAllowRecursiveKeys(false)
        .setMaxAliasesForCollections(limits.maxAliases())
        .setCodePointLimit(limits.maxChars());
  }

  /**
   * Settings for building nodes: without source marks unless the limits keep them, since marks more
   * than double what each node costs (measured: 3.5 MiB instead of 1.5 MiB for 128 KiB of objects).
   * A syntax error's position is found by a second, streaming parse with marks.
   */
  private static LoadSettings unmarked(String label, Schema schema, YamlLimits limits) {
    return builder(label, schema, limits).setUseMarks(limits.marks()).build();
  }

  /**
   * The document's node tree (empty for an empty document), for callers that walk nodes themselves;
   * merge keys stay as tuples, see {@link #tuples}.
   *
   * @throws YamlRefusal when it is not one valid YAML document within the limits
   */
  public static Optional<Node> compose(
      String text, String label, Schema schema, YamlLimits limits) {
    return compose(text, unmarked(label, schema, limits), settings(label, schema, limits), limits);
  }

  /**
   * The document as plain Java values (maps, lists, strings and what the schema constructs), with
   * merge keys merged and duplicate keys refused; null for an empty document.
   *
   * @throws YamlRefusal when it is not one valid YAML document within the limits
   */
  public static Object load(String text, String label, Schema schema, YamlLimits limits) {
    LoadSettings settings = unmarked(label, schema, limits);
    Optional<Node> node = compose(text, settings, settings(label, schema, limits), limits);
    try {
      return new StandardConstructor(settings).constructSingleDocument(node);
    } catch (RuntimeException | StackOverflowError e) {
      throw refusal(e, limits);
    }
  }

  /**
   * A mapping's entries with its merge keys applied as Go's YAML libraries apply them: keys written
   * in the mapping win over merged ones, and of several merged mappings the first wins.
   */
  public static List<NodeTuple> tuples(MappingNode mapping) {
    try {
      return MERGE.flatten(mapping);
    } catch (RuntimeException e) {
      throw new YamlRefusal(
          "has a merge key (<<) whose value is not a mapping or a list of mappings");
    }
  }

  private static final MergeUtils MERGE =
      new MergeUtils() {
        @Override
        public MappingNode asMappingNode(Node node) {
          if (node instanceof MappingNode mapping) {
            return mapping;
          }
          throw new IllegalArgumentException("not a mapping");
        }
      };

  private static Optional<Node> compose(
      String text, LoadSettings settings, LoadSettings marked, YamlLimits limits) {
    if (text.length() > limits.maxChars()) {
      throw new YamlRefusal("is larger than " + limits.maxChars() + " characters");
    }
    try {
      Parser parser =
          new CountingParser(new ParserImpl(settings, new StreamReader(settings, text)), limits);
      return new Composer(settings, parser).getSingleNode();
    } catch (YamlRefusal e) {
      throw e;
    } catch (RuntimeException | StackOverflowError e) {
      throw located(text, marked, limits, refusal(e, limits));
    }
  }

  /**
   * A syntax error's refusal with its line and column, found by parsing again with marks, event by
   * event (nothing is kept, so this costs no more memory than the scanner's); other refusals as
   * they are.
   */
  private static YamlRefusal located(
      String text, LoadSettings marked, YamlLimits limits, YamlRefusal refusal) {
    if (!NOT_YAML.equals(refusal.getMessage())) {
      return refusal;
    }
    try {
      Parser parser =
          new CountingParser(new ParserImpl(marked, new StreamReader(marked, text)), limits);
      while (parser.hasNext()) {
        parser.next();
      }
    } catch (RuntimeException | StackOverflowError e) {
      return refusal(e, limits);
    }
    return refusal;
  }

  /** A fixed description of the engine's failure; its own texts quote the input and are dropped. */
  private static YamlRefusal refusal(Throwable e, YamlLimits limits) {
    if (e instanceof YamlRefusal refusal) {
      return refusal;
    }
    if (e instanceof StackOverflowError) {
      // Unreachable within maxDepth; kept so that no such error can ever escape to a caller.
      return new YamlRefusal("is nested too deeply");
    }
    String message = String.valueOf(e.getMessage());
    if (e instanceof DuplicateKeyException) {
      return new YamlRefusal("is not valid: a key appears twice in one mapping" + where(e));
    }
    if (message.contains("exceeds the limit")) {
      return new YamlRefusal("is larger than " + limits.maxChars() + " characters");
    }
    if (message.contains("Number of aliases")) {
      return new YamlRefusal("has too many aliases (at most " + limits.maxAliases() + ")");
    }
    if (message.contains("expected a single document")) {
      return new YamlRefusal("holds more than one document; give one per file");
    }
    if (message.contains("could not determine a constructor")) {
      return new YamlRefusal("uses an unsupported tag" + where(e));
    }
    if (message.contains("Recursive key")) {
      return new YamlRefusal("has a key that refers to itself");
    }
    if (e instanceof ComposerException && message.contains("found undefined alias")) {
      return new YamlRefusal("is not valid YAML" + where(e) + ": an alias names no anchor");
    }
    if (e instanceof YamlEngineException) {
      return new YamlRefusal(NOT_YAML + where(e));
    }
    return new YamlRefusal(NOT_YAML);
  }

  private static String where(Throwable e) {
    if (e instanceof MarkedYamlEngineException marked) {
      return marked
          .getProblemMark()
          .or(marked::getContextMark)
          .map(m -> " at line " + (m.getLine() + 1) + ", column " + (m.getColumn() + 1))
          .orElse("");
    }
    return "";
  }

  /** Counts the events the composer pulls and refuses the first one past a limit. */
  private static final class CountingParser implements Parser {
    private final Parser parser;
    private final YamlLimits limits;
    private int nodes;
    private int depth;

    CountingParser(Parser parser, YamlLimits limits) {
      this.parser = parser;
      this.limits = limits;
    }

    @Override
    public boolean checkEvent(Event.ID id) {
      return parser.checkEvent(id);
    }

    @Override
    public Event peekEvent() {
      return parser.peekEvent();
    }

    @Override
    public boolean hasNext() {
      return parser.hasNext();
    }

    @Override
    public Event next() {
      Event event = parser.next();
      switch (event.getEventId()) {
        case Scalar -> {
          node();
          if (((ScalarEvent) event).getValue().length() > limits.maxScalarChars()) {
            throw new YamlRefusal(
                "has a value longer than " + limits.maxScalarChars() + " characters");
          }
        }
        case Alias -> node();
        case SequenceStart, MappingStart -> {
          node();
          if (++depth > limits.maxDepth()) {
            throw new YamlRefusal("is nested deeper than " + limits.maxDepth() + " levels");
          }
        }
        case SequenceEnd, MappingEnd -> depth--;
        default -> {
          // Stream and document events carry no data.
        }
      }
      return event;
    }

    private void node() {
      if (++nodes > limits.maxNodes()) {
        throw new YamlRefusal("has more than " + limits.maxNodes() + " values, lists and mappings");
      }
    }
  }
}
