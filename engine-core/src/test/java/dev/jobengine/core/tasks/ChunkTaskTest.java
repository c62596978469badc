package dev.jobengine.core.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobengine.Fn;
import dev.jobengine.JavaSerializationCodec;
import dev.jobengine.core.wire.Payloads;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A map chunk and its results survive the codec, whatever the items are. */
class ChunkTaskTest {
  private final Payloads payloads = new Payloads(new JavaSerializationCodec(), 64 << 20);

  @SuppressWarnings("unchecked")
  private <T> T roundTrip(Object o) {
    return (T) payloads.decode(payloads.encode(o, "test"), "test");
  }

  private List<Object> run(Fn<Object, Object> fn, List<?> items) throws Exception {
    ChunkTask task = roundTrip(new ChunkTask(fn, items));
    List<Object> results = roundTrip(task.call());
    return new ArrayList<>(results);
  }

  @Test
  void listsOfOneSimpleTypeAndMixedListsRoundTrip() throws Exception {
    Fn<Object, Object> same = x -> x;
    List<List<?>> cases = List.of(
        List.of(1, -2, Integer.MAX_VALUE),
        List.of(1L, Long.MIN_VALUE),
        List.of("a", "", "ünïcødé"),
        Arrays.asList(1, null, 3),
        List.of(1, 2L, "three", 4.0),
        List.of(List.of(1), List.of(2)),
        List.of(),
        List.of("x".repeat(40_000), "short"));
    for (List<?> items : cases) {
      assertThat(run(same, items)).as("items %s", items.size() > 3 ? items.size() + " items" : items)
          .containsExactlyElementsOf(items);
    }
  }

  @Test
  void resultsKeepTheirOwnTypes() throws Exception {
    assertThat(run(x -> "#" + x, List.of(1, 2))).containsExactly("#1", "#2");
    assertThat(run(x -> ((Integer) x) * 2L, List.of(1, 2))).containsExactly(2L, 4L);
  }
}
