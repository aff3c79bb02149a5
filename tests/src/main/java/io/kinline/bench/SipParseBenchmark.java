package io.kinline.bench;

import io.kinline.sip.transport.SipCodec;
import io.kinline.sip.transport.SipFrame;
import io.kinline.sip.transport.SipFrameDecoder;
import io.kinline.sip.transport.SipFraming;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Cost of the SIP receive path: Content-Length framing alone, framing + JAIN-SIP parsing + validation, and the
 * stream decoder on a batch of pipelined messages. Run: {@code java -jar tests/target/benchmarks.jar SipParse}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SipParseBenchmark {

    static final String SDP = "v=0\r\no=gw 1 1 IN IP4 10.0.0.5\r\ns=-\r\nc=IN IP4 10.0.0.5\r\nt=0 0\r\n"
            + "m=audio 30000 RTP/AVP 0 8 101\r\na=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-15\r\n"
            + "a=sendrecv\r\n";
    static final String INVITE = "INVITE sip:15551234567@10.0.0.1 SIP/2.0\r\n"
            + "Via: SIP/2.0/UDP 10.0.0.5:5060;branch=z9hG4bK776asdhds;rport\r\n"
            + "Max-Forwards: 70\r\n"
            + "To: <sip:15551234567@10.0.0.1>\r\n"
            + "From: \"Unit 4B\" <sip:4401@10.0.0.5>;tag=1928301774\r\n"
            + "Call-ID: a84b4c76e66710@10.0.0.5\r\n"
            + "CSeq: 314159 INVITE\r\n"
            + "Contact: <sip:4401@10.0.0.5:5060>\r\n"
            + "Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, INFO\r\n"
            + "Supported: timer\r\nSession-Expires: 1800\r\n"
            + "User-Agent: Gateway/1.0\r\n"
            + "Content-Type: application/sdp\r\n"
            + "Content-Length: " + SDP.length() + "\r\n\r\n" + SDP;

    private byte[] invite;
    private byte[] batch;
    private EmbeddedChannel channel;

    @Setup
    public void setUp() {
        invite = INVITE.getBytes(StandardCharsets.US_ASCII);
        batch = INVITE.repeat(16).getBytes(StandardCharsets.US_ASCII);
        channel = new EmbeddedChannel(new SipFrameDecoder(4096, 16384, 65536));
    }

    @TearDown
    public void tearDown() {
        channel.finishAndReleaseAll();
    }

    @Benchmark
    public int frameOnly() {
        int end = SipFraming.headerEnd(invite, 0, invite.length);
        return end + SipFraming.contentLength(invite, 0, end);
    }

    @Benchmark
    public Object frameAndParse() {
        return SipCodec.parse(invite);
    }

    @Benchmark
    public void streamDecode16(Blackhole bh) {
        channel.writeInbound(Unpooled.wrappedBuffer(batch));
        SipFrame f;
        while ((f = channel.readInbound()) != null) {
            bh.consume(f);
        }
    }
}
