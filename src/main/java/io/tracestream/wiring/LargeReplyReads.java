package io.tracestream.wiring;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import org.redisson.client.NettyHook;

/**
 * How the Redis connections read: in large reads, into pooled buffers. Why: a fan-out read brings
 * hundreds of entries in one reply, and Redisson's decoder, which cannot resume part way through a
 * reply, parses everything received so far again after each socket read; with Netty's default 64
 * KiB reads a 500 KiB reply was parsed eight times over, and each growing buffer was a fresh,
 * zeroed direct allocation.
 */
final class LargeReplyReads implements NettyHook {

    /** The largest single read: a full fan-out reply of typical events in one go. */
    private static final int MAX_READ_BYTES = 1 << 20;
    private static final int MIN_READ_BYTES = 512;
    private static final int FIRST_READ_BYTES = 64 * 1024;

    @Override
    public void afterBoostrapInitialization(Bootstrap bootstrap) {
        bootstrap.option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .option(ChannelOption.RCVBUF_ALLOCATOR,
                        new AdaptiveRecvByteBufAllocator(MIN_READ_BYTES, FIRST_READ_BYTES, MAX_READ_BYTES));
    }

    @Override
    public void afterChannelInitialization(Channel channel) {
        // nothing per channel
    }
}
