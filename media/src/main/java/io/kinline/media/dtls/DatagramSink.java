package io.kinline.media.dtls;

/**
 * Where the handshake's datagrams go: the leg's socket, toward the peer's (ICE-validated) address.
 * Called on the handshake's virtual thread, so it must be safe to call from any thread; Netty's
 * {@code channel.writeAndFlush} is.
 */
@FunctionalInterface
public interface DatagramSink {

    void send(byte[] data, int offset, int length);
}
