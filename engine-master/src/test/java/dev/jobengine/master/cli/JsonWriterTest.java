package dev.jobengine.master.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonWriterTest {
  @Test
  void scalars() {
    assertThat(JsonWriter.write(null)).isEqualTo("null");
    assertThat(JsonWriter.write(true)).isEqualTo("true");
    assertThat(JsonWriter.write(42)).isEqualTo("42");
    assertThat(JsonWriter.write(-1L)).isEqualTo("-1");
    assertThat(JsonWriter.write(Long.MAX_VALUE)).isEqualTo("9223372036854775807");
    assertThat(JsonWriter.write(1.5)).isEqualTo("1.5");
    assertThat(JsonWriter.write(Double.NaN)).isEqualTo("null");
    assertThat(JsonWriter.write("plain")).isEqualTo("\"plain\"");
  }

  @Test
  void stringsAreEscaped() {
    assertThat(JsonWriter.write("say \"hi\" \\ now")).isEqualTo("\"say \\\"hi\\\" \\\\ now\"");
    assertThat(JsonWriter.write("a\nb\tc\rd\be\ff")).isEqualTo("\"a\\nb\\tc\\rd\\be\\ff\"");
    assertThat(JsonWriter.write("\u0000\u0001\u001f\u007f")).isEqualTo("\"\\u0000\\u0001\\u001f\\u007f\"");
    assertThat(JsonWriter.write("line\u2028sep\u2029")).isEqualTo("\"line\\u2028sep\\u2029\"");
    assertThat(JsonWriter.write("/ é 漢 😀")).as("slash and non-ASCII as they are").isEqualTo("\"/ é 漢 😀\"");
    assertThat(JsonWriter.write("lone \ud800 and \udc00")).isEqualTo("\"lone \\ud800 and \\udc00\"");
  }

  @Test
  void emptyAndNestedContainers() {
    assertThat(JsonWriter.write(Map.of())).isEqualTo("{}");
    assertThat(JsonWriter.write(List.of())).isEqualTo("[]");
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("workers", List.of());
    root.put("objects", List.of(Map.of("name", "q\"1")));
    root.put("nothing", Arrays.asList(1, null));
    root.put("key \"quoted\"", new LinkedHashMap<>());
    assertThat(JsonWriter.write(root)).isEqualTo("""
        {
          "workers": [],
          "objects": [
            {
              "name": "q\\"1"
            }
          ],
          "nothing": [
            1,
            null
          ],
          "key \\"quoted\\"": {}
        }""");
  }

  @Test
  void refusesWhatIsNotJson() {
    assertThatThrownBy(() -> JsonWriter.write(new Object())).isInstanceOf(IllegalArgumentException.class);
    Map<Object, Object> intKeys = new LinkedHashMap<>();
    intKeys.put(1, "one");
    assertThatThrownBy(() -> JsonWriter.write(intKeys)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> JsonWriter.write(List.of(new ArrayList<>(), 'c'))).isInstanceOf(IllegalArgumentException.class);
  }
}
