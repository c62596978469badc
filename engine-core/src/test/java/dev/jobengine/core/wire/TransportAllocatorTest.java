package dev.jobengine.core.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TransportAllocatorTest {
  private final TransportAllocator alloc = new TransportAllocator(true);

  private ByteBuf frame() {
    return alloc.buffer(TransportAllocator.FRAME_BUFFER, TransportAllocator.FRAME_BUFFER);
  }

  @Test
  void aReleasedFrameBuffersMemoryServesTheNextOneEmptyAndWhole() {
    ByteBuf first = frame();
    first.writeBytes(new byte[] {1, 2, 3});
    long address = first.hasMemoryAddress() ? first.memoryAddress() : -1;
    first.release();
    assertThat(alloc.spareCount()).isEqualTo(1);

    ByteBuf second = frame();
    assertThat(alloc.spareCount()).isZero();
    if (address != -1) {
      assertThat(second.memoryAddress()).isEqualTo(address);
    }
    assertThat(second.isDirect()).isTrue();
    assertThat(second.readerIndex()).isZero();
    assertThat(second.writerIndex()).isZero();
    assertThat(second.capacity()).isEqualTo(TransportAllocator.FRAME_BUFFER);
    byte[] data = new byte[TransportAllocator.FRAME_BUFFER];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) (i * 31);
    }
    second.writeBytes(data);
    byte[] back = new byte[data.length];
    second.readBytes(back);
    assertThat(back).isEqualTo(data);
    second.release();
  }

  @Test
  void sparesAreBoundedAndTrimmed() {
    List<ByteBuf> held = new ArrayList<>();
    for (int i = 0; i < TransportAllocator.SPARE + 4; i++) {
      held.add(frame());
    }
    held.forEach(ByteBuf::release);
    assertThat(alloc.spareCount()).isEqualTo(TransportAllocator.SPARE);
    alloc.trim();
    assertThat(alloc.spareCount()).isZero();
    ByteBuf fresh = frame(); // allocates anew once the spares are gone
    assertThat(fresh.capacity()).isEqualTo(TransportAllocator.FRAME_BUFFER);
    fresh.release();
  }

  @Test
  void aFrameBufferThatShrinksGivesItsMemoryBackOnce() {
    ByteBuf b = frame();
    b.writeBytes(new byte[] {4, 5, 6});
    b.capacity(1024);
    assertThat(alloc.spareCount()).as("given back as the buffer moved").isEqualTo(1);
    assertThat(b.readByte()).isEqualTo((byte) 4);
    b.release();
    assertThat(alloc.spareCount()).as("not given back twice").isEqualTo(1);
  }

  @Test
  void otherSizesArePooledAndNeverKept() {
    ByteBuf small = alloc.buffer(4096);
    ByteBuf large = alloc.buffer(TransportAllocator.FRAME_BUFFER / 2, TransportAllocator.FRAME_BUFFER);
    ByteBuf growable = alloc.buffer(TransportAllocator.FRAME_BUFFER); // max capacity unbounded
    assertThat(small.isDirect()).isTrue();
    growable.writeBytes(new byte[TransportAllocator.FRAME_BUFFER + 1]); // grows as pooled buffers do
    small.release();
    large.release();
    growable.release();
    assertThat(alloc.spareCount()).isZero();
    assertThat(alloc.isDirectBufferPooled()).isTrue();
  }
}
