package io.kinline.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kinline.media.wav.WavReader;
import io.kinline.store.Block;
import io.kinline.store.CallOutcome;
import io.kinline.store.CallRecord;
import io.kinline.store.DemoData;
import io.kinline.store.Funding;
import io.kinline.store.Incident;
import io.kinline.store.Store;
import io.kinline.store.StoreConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code kinline demo} end to end against an in-process switch (temporary data directory, free ports):
 * real SIP over loopback, real RTP, the real call script, store and billing. Then checks the three call
 * records in the store, the recording, the money and the block, and runs the demo a second time on the same
 * data to show it can be repeated.
 */
class DemoTest {

    private static final int TALK_SECONDS = 3;

    @TempDir
    Path dataDir;

    @Test
    void threeScriptedCallsLeaveTheExpectedRecordsAndCanBeRepeated() throws Exception {
        Demo.Result first = runDemo();
        assertTrue(first.ok(), "first run: " + first);

        try (Store store = Store.open(StoreConfig.embedded(dataDir))) {
            // 1. Accepted, talked, the handset hung up: completed, charged one minute from the prepaid account.
            CallRecord talked = store.calls().get(first.calls().get(0).callId()).orElseThrow();
            assertEquals(CallOutcome.COMPLETED, talked.outcome());
            assertEquals("inmate_hangup", talked.reason());
            assertEquals("1001", talked.station());
            assertEquals("A1001", talked.inmateId());
            assertEquals("+15735550100", talked.dialed());
            assertEquals(Funding.PREPAID, talked.funding());
            assertEquals(60, talked.billedSeconds());
            assertEquals(0, new BigDecimal("0.06").compareTo(talked.charge()), "charge " + talked.charge());
            assertEquals(0, new BigDecimal("24.94").compareTo(store.accounts().prepaid("+15735550100")
                    .orElseThrow().balance()));
            assertNotNull(talked.acceptedAt());
            assertRecording(Path.of(talked.recording()));
            // The inmate had no recorded name: the handset answered the beep, and the name is kept.
            assertNotNull(store.inmates().get("A1001").orElseThrow().namePromptPath());

            // 2. The called party pressed 9, 9: blocked, nothing charged, and the demo lifted the block again.
            CallRecord blocked = store.calls().get(first.calls().get(1).callId()).orElseThrow();
            assertEquals(CallOutcome.BLOCKED_BY_CALLED_PARTY, blocked.outcome());
            assertEquals("keypad_block", blocked.reason());
            assertEquals("+13145550122", blocked.dialed());
            assertEquals(0, BigDecimal.ZERO.compareTo(blocked.charge()));
            assertNull(blocked.acceptedAt());
            assertTrue(store.blocks().list(Demo.BLOCK_E164, DemoData.FACILITY, null, true).isEmpty(),
                    "the keypad block is lifted after the demo");
            var all = store.blocks().list(Demo.BLOCK_E164, DemoData.FACILITY, null, false);
            assertEquals(1, all.size());
            assertEquals(Block.Type.KEYPAD, all.get(0).type());
            assertFalse(all.get(0).active());

            // 3. Toll-free: denied after the PIN, never rung, not charged, not recorded.
            CallRecord tollFree = store.calls().get(first.calls().get(2).callId()).orElseThrow();
            assertEquals(CallOutcome.DENIED, tollFree.outcome());
            assertEquals("toll_free", tollFree.reason());
            assertEquals("A1001", tollFree.inmateId());
            assertEquals(0, BigDecimal.ZERO.compareTo(tollFree.charge()));
            assertNull(tollFree.recording());
            assertNull(tollFree.answeredAt());
            assertEquals(1, store.incidents().list(DemoData.FACILITY, "A1001", Incident.Type.TOLL_FREE_ATTEMPT,
                    null, null, 10).size());
        }

        // Again on the same data: the block was lifted, the name is known (no beep this time), limits not hit.
        Demo.Result second = runDemo();
        assertTrue(second.ok(), "second run: " + second);
        try (Store store = Store.open(StoreConfig.embedded(dataDir))) {
            assertEquals(CallOutcome.COMPLETED, store.calls().get(second.calls().get(0).callId()).orElseThrow().outcome());
            assertEquals(CallOutcome.BLOCKED_BY_CALLED_PARTY,
                    store.calls().get(second.calls().get(1).callId()).orElseThrow().outcome());
            assertEquals(0, new BigDecimal("24.88").compareTo(store.accounts().prepaid("+15735550100")
                    .orElseThrow().balance()));
        }
    }

    @Test
    void badOptionsGiveExitCode2WithoutPlacingCalls() {
        assertEquals(2, io.kinline.cli.Kinline.execute("demo", "--talk-seconds", "1", "--data-dir", dataDir.toString()));
        assertEquals(2, io.kinline.cli.Kinline.execute("demo", "--target", "127.0.0.1:99999"));
        assertFalse(Files.exists(dataDir.resolve("db")), "no switch was started");
    }

    private Demo.Result runDemo() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Demo.Result result;
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            result = Demo.run(DemoOptions.inProcess(dataDir, TALK_SECONDS), out);
        }
        String text = bytes.toString(StandardCharsets.UTF_8);
        System.out.println(text);
        assertTrue(text.contains("[call 1] handset hangs up"), text);
        assertTrue(text.contains("[call 2] switch: \"press 9 again"), text);
        return result;
    }

    /** Stereo, inmate left and called party right, both speaking, about as long as they talked. */
    private static void assertRecording(Path wav) throws Exception {
        assertTrue(Files.isRegularFile(wav), "recording " + wav);
        WavReader.Audio audio = WavReader.read(wav);
        assertEquals(2, audio.channels());
        assertEquals(8000, audio.sampleRate());
        long ms = audio.durationMillis();
        assertTrue(ms >= (TALK_SECONDS - 1) * 1000L && ms <= (TALK_SECONDS + 5) * 1000L, "recording lasts " + ms + " ms");
        for (int ch = 0; ch < 2; ch++) {
            short[] s = audio.channel(ch);
            int spokenSeconds = 0;
            for (int from = 0; from + 8000 <= s.length; from += 8000) {
                double energy = 0;
                for (int i = from; i < from + 8000; i++) {
                    energy += (double) s[i] * s[i];
                }
                if (Math.sqrt(energy / 8000) > 300) {
                    spokenSeconds++;
                }
            }
            assertTrue(spokenSeconds >= TALK_SECONDS - 1, "channel " + ch + " has speech in " + spokenSeconds + " s");
        }
    }
}
