package io.kinline.tests.load;

import io.kinline.tests.rtp.Sdp;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * Drives rtpengine over its ng control protocol (bencode over UDP) and streams G.711-sized RTP
 * through it: {@code flows} calls, each offer/answer'ed and then sending one 172-byte packet every
 * 20 ms in both directions for {@code seconds}. Prints one line of counters for the bench script:
 * {@code flows=.. sent=.. received=.. lost=.. loss_pct=.. seconds=..}.
 *
 * <p>Usage: {@code RtpEngineLoad --ng 127.0.0.1:2223 --flows 100 --seconds 15}
 */
public final class RtpEngineLoad {

    private final InetSocketAddress ng;
    private final DatagramSocket control;

    RtpEngineLoad(InetSocketAddress ng) throws IOException {
        this.ng = ng;
        this.control = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        control.setSoTimeout(3000);
    }

    /** Sends one ng command and returns the decoded reply dictionary. */
    @SuppressWarnings("unchecked")
    Map<String, Object> command(Map<String, Object> cmd) throws IOException {
        String cookie = Long.toHexString(ThreadLocalRandom.current().nextLong());
        byte[] body = Bencode.encode(cmd);
        byte[] msg = new byte[cookie.length() + 1 + body.length];
        System.arraycopy(cookie.getBytes(StandardCharsets.US_ASCII), 0, msg, 0, cookie.length());
        msg[cookie.length()] = ' ';
        System.arraycopy(body, 0, msg, cookie.length() + 1, body.length);
        for (int attempt = 0; attempt < 3; attempt++) {
            control.send(new DatagramPacket(msg, msg.length, ng));
            byte[] buf = new byte[65535];
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                while (true) {
                    control.receive(p);
                    String head = new String(buf, 0, Math.min(p.getLength(), cookie.length()), StandardCharsets.US_ASCII);
                    if (head.equals(cookie)) {
                        break;
                    }
                }
            } catch (SocketTimeoutException e) {
                continue;
            }
            int[] pos = {cookie.length() + 1};
            Map<String, Object> reply = (Map<String, Object>) Bencode.decode(java.util.Arrays.copyOf(buf, p.getLength()), pos);
            if (!"ok".equals(reply.get("result"))) {
                throw new IOException("rtpengine: " + reply);
            }
            return reply;
        }
        throw new IOException("no reply from rtpengine at " + ng);
    }

    static final class Flow {
        final String callId = "load-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
        DatagramChannel a;
        DatagramChannel b;
        InetSocketAddress aSendsTo;
        InetSocketAddress bSendsTo;
        int seqA;
        int seqB;
        long receivedAtA;
        long receivedAtB;
    }

    public static void main(String[] args) throws Exception {
        String ngAddr = "127.0.0.1:2223";
        int flows = 50;
        int seconds = 10;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--ng" -> ngAddr = args[i + 1];
                case "--flows" -> flows = Integer.parseInt(args[i + 1]);
                case "--seconds" -> seconds = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        String[] hp = ngAddr.split(":");
        RtpEngineLoad load = new RtpEngineLoad(new InetSocketAddress(hp[0], Integer.parseInt(hp[1])));
        Selector selector = Selector.open();
        List<Flow> all = new ArrayList<>();
        for (int i = 0; i < flows; i++) {
            Flow f = new Flow();
            f.a = open(selector, f, true);
            f.b = open(selector, f, false);
            int aPort = ((InetSocketAddress) f.a.getLocalAddress()).getPort();
            int bPort = ((InetSocketAddress) f.b.getLocalAddress()).getPort();
            Map<String, Object> offer = new LinkedHashMap<>();
            offer.put("command", "offer");
            offer.put("call-id", f.callId);
            offer.put("from-tag", "a");
            offer.put("sdp", Sdp.build("127.0.0.1", aPort, List.of(0), 101, "sendrecv", 1));
            Map<String, Object> r1 = load.command(offer);
            f.bSendsTo = Sdp.parse((String) r1.get("sdp")).socketAddress();
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("command", "answer");
            answer.put("call-id", f.callId);
            answer.put("from-tag", "a");
            answer.put("to-tag", "b");
            answer.put("sdp", Sdp.build("127.0.0.1", bPort, List.of(0), 101, "sendrecv", 1));
            Map<String, Object> r2 = load.command(answer);
            f.aSendsTo = Sdp.parse((String) r2.get("sdp")).socketAddress();
            all.add(f);
        }
        Thread rx = Thread.ofPlatform().daemon().name("rtpengine-load-rx").start(() -> receive(selector));
        long sent = 0;
        ByteBuffer pkt = ByteBuffer.allocate(172);
        long start = System.nanoTime();
        long next = start;
        long end = start + seconds * 1_000_000_000L;
        int tick = 0;
        while (System.nanoTime() < end) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
                continue;
            }
            next += 20_000_000L;
            for (Flow f : all) {
                sent += send(f.a, f.aSendsTo, pkt, f.seqA++, tick, 0x1000 + all.indexOf(f));
                sent += send(f.b, f.bSendsTo, pkt, f.seqB++, tick, 0x2000 + all.indexOf(f));
            }
            tick++;
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        Thread.sleep(500);
        long received = 0;
        for (Flow f : all) {
            synchronized (f) {
                received += f.receivedAtA + f.receivedAtB;
            }
        }
        for (Flow f : all) {
            Map<String, Object> del = new LinkedHashMap<>();
            del.put("command", "delete");
            del.put("call-id", f.callId);
            del.put("from-tag", "a");
            try {
                load.command(del);
            } catch (IOException e) {
                System.err.println("delete failed: " + e.getMessage());
            }
        }
        rx.interrupt();
        long lost = Math.max(0, sent - received);
        System.out.printf("flows=%d sent=%d received=%d lost=%d loss_pct=%.3f seconds=%.2f%n", flows, sent, received,
                lost, sent == 0 ? 0.0 : 100.0 * lost / sent, elapsed);
    }

    private static DatagramChannel open(Selector selector, Flow f, boolean isA) throws IOException {
        DatagramChannel ch = DatagramChannel.open();
        ch.bind(new InetSocketAddress("127.0.0.1", 0));
        ch.configureBlocking(false);
        ch.setOption(java.net.StandardSocketOptions.SO_RCVBUF, 1 << 18);
        ch.register(selector, SelectionKey.OP_READ, new Object[] {f, isA});
        return ch;
    }

    private static int send(DatagramChannel ch, InetSocketAddress to, ByteBuffer pkt, int seq, int tick, long ssrc)
            throws IOException {
        pkt.clear();
        pkt.put((byte) 0x80).put((byte) 0).putShort((short) seq).putInt(tick * 160).putInt((int) ssrc);
        while (pkt.hasRemaining()) {
            pkt.put((byte) 0xFF);
        }
        pkt.flip();
        return ch.send(pkt, to) > 0 ? 1 : 0;
    }

    private static void receive(Selector selector) {
        ByteBuffer buf = ByteBuffer.allocate(2048);
        while (!Thread.currentThread().isInterrupted()) {
            try {
                if (selector.select(200) == 0) {
                    continue;
                }
                for (var it = selector.selectedKeys().iterator(); it.hasNext(); ) {
                    SelectionKey k = it.next();
                    it.remove();
                    Object[] att = (Object[]) k.attachment();
                    Flow f = (Flow) att[0];
                    boolean isA = (Boolean) att[1];
                    DatagramChannel ch = (DatagramChannel) k.channel();
                    while (true) {
                        buf.clear();
                        if (ch.receive(buf) == null) {
                            break;
                        }
                        synchronized (f) {
                            if (isA) {
                                f.receivedAtA++;
                            } else {
                                f.receivedAtB++;
                            }
                        }
                    }
                }
            } catch (IOException e) {
                return;
            }
        }
    }
}
