package dev.jobengine.master.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jobengine.SharedList;
import dev.jobengine.SharedMap;
import java.io.Serializable;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link SharedMap} and {@link SharedList}, as one process sees them. */
public interface MapContract extends SharedObjectContract {
  /** A key of the application's own class: the master decodes it (off its event loop). */
  record Point(int x, int y) implements Serializable {}

  @Test
  default void mapIsAConcurrentMapWhoseStepsAreAtomic() throws Exception {
    run((engine, p) -> {
      SharedMap<String, Integer> m = engine.map(p + "m");
      assertThat(m.put("a", 1)).isNull();
      assertThat(m.put("a", 2)).isEqualTo(1);
      m.set("b", 3);
      assertThat(m.get("b")).isEqualTo(3);
      assertThat(m.putIfAbsent("a", 9)).isEqualTo(2);
      assertThat(m.replace("a", 2, 4)).isTrue();
      assertThat(m.replace("a", 2, 5)).isFalse();
      assertThat(m.merge("a", 10, Integer::sum)).isEqualTo(14);
      assertThat(m.computeIfAbsent("c", k -> 7)).isEqualTo(7);
      assertThat(m.containsKey("c")).isTrue();
      assertThat(m.containsValue(14)).isTrue();
      assertThat(m.remove("c", 8)).isFalse();
      assertThat(m.remove("c")).isEqualTo(7);
      assertThat(m).containsExactlyInAnyOrderEntriesOf(Map.of("a", 14, "b", 3)).hasSize(2);
      assertThat(m.entrySet()).hasSize(2);
      m.clear();
      assertThat(m.isEmpty()).isTrue();
      assertThatThrownBy(() -> m.put(null, 1)).isInstanceOf(NullPointerException.class);
    });
  }

  @Test
  default void mapKeysOfTheApplicationsOwnClassesMatchByEquality() throws Exception {
    run((engine, p) -> {
      SharedMap<Point, String> m = engine.map(p + "points");
      m.put(new Point(1, 2), "a");
      m.set(new Point(3, 4), "b");
      assertThat(m.get(new Point(1, 2))).isEqualTo("a");
      assertThat(m.containsKey(new Point(3, 4))).isTrue();
      assertThat(m.keySet()).containsExactlyInAnyOrder(new Point(1, 2), new Point(3, 4));
      assertThat(m.remove(new Point(1, 2))).isEqualTo("a");
      assertThat(m).hasSize(1);
    });
  }

  @Test
  default void listIsAListWhoseStepsAreAtomic() throws Exception {
    run((engine, p) -> {
      SharedList<String> l = engine.list(p + "l");
      l.add("b");
      l.add(0, "a");
      l.add("c");
      assertThat(l).containsExactly("a", "b", "c");
      assertThat(l.get(1)).isEqualTo("b");
      assertThat(l.set(1, "B")).isEqualTo("b");
      assertThat(l.indexOf("c")).isEqualTo(2);
      assertThat(l.contains("B")).isTrue();
      assertThat(l.remove(0)).isEqualTo("a");
      assertThat(l.toArray()).containsExactly("B", "c");
      assertThat(List.copyOf(l)).containsExactly("B", "c");
      assertThatThrownBy(() -> l.get(5)).isInstanceOf(IndexOutOfBoundsException.class);
      l.clear();
      assertThat(l).isEmpty();
    });
  }
}
