// SPDX-License-Identifier: Apache-2.0
package io.secretsstore.provider.migrate;

import io.secretsstore.provider.mount.OperatorSetting;
import io.secretsstore.provider.yaml.BoundedYaml;
import io.secretsstore.provider.yaml.YamlLimits;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * The provider flags a chart values file sets, as far as the migration check needs them: each
 * operator setting a backend declares, read at the chart value it names, and the chart's {@code
 * extraArgs}, which reach the provider unchanged. Other values (images, resources) do not change
 * what a SecretProviderClass may do and are not read.
 */
public final class ChartValues {
  private final Map<?, ?> values;

  private ChartValues(Map<?, ?> values) {
    this.values = values;
  }

  /**
   * Parses a values file.
   *
   * @throws IllegalArgumentException when it is not a YAML mapping
   */
  public static ChartValues parse(String yaml, String label) {
    Object loaded = BoundedYaml.load(yaml, label, new CoreSchema(), YamlLimits.MANIFEST);
    if (loaded != null && !(loaded instanceof Map<?, ?>)) {
      throw new IllegalArgumentException(label + " is not a chart values file (a YAML mapping)");
    }
    return new ChartValues(loaded == null ? Map.of() : (Map<?, ?>) loaded);
  }

  /**
   * The flags these values give a backend with the given settings, in the order declared, then
   * extraArgs.
   */
  public List<String> flags(List<OperatorSetting> settings) {
    List<String> flags = new ArrayList<>();
    for (OperatorSetting setting : settings) {
      String path = setting.chartValue().substring(setting.chartValue().indexOf(": ") + 2);
      value(path).flatMap(value -> flag(setting, value)).ifPresent(flags::add);
    }
    if (values.get("extraArgs") instanceof List<?> extra) {
      extra.forEach(arg -> flags.add(String.valueOf(arg)));
    }
    return flags;
  }

  /** The value at a dotted path such as {@code azure.podIdentity.enabled}. */
  private Optional<Object> value(String path) {
    Object node = values;
    for (String key : path.split("\\.")) {
      if (!(node instanceof Map<?, ?> map) || !map.containsKey(key)) {
        return Optional.empty();
      }
      node = map.get(key);
    }
    return Optional.ofNullable(node);
  }

  /**
   * A switch renders as {@code --flag=true|false}, or the bare flag when on and it takes no value;
   * a list of directories ({@code [{path: ...}]}) as {@code --flag=DIR,DIR}; a string as itself.
   */
  private static Optional<String> flag(OperatorSetting setting, Object value) {
    if (value instanceof Boolean on) {
      return setting.value().isEmpty()
          ? Optional.of(setting.flag()).filter(f -> on)
          : Optional.of(setting.flag() + "=" + on);
    }
    if (value instanceof List<?> list) {
      List<String> paths = new ArrayList<>();
      for (Object item : list) {
        if (item instanceof Map<?, ?> entry && entry.get("path") instanceof String dir) {
          paths.add(dir);
        }
      }
      return paths.isEmpty()
          ? Optional.empty()
          : Optional.of(setting.flag() + "=" + String.join(",", paths));
    }
    return value instanceof String text && !text.isEmpty()
        ? Optional.of(setting.flag() + "=" + text)
        : Optional.empty();
  }
}
