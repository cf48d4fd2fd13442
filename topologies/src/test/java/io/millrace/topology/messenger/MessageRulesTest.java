package io.millrace.topology.messenger;

import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.schemas.messenger.ConversationType;
import io.millrace.schemas.messenger.SendMessage;
import io.millrace.topology.runtime.Violation;
import java.nio.ByteBuffer;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The stateless checks every message passes before anything keeps it. */
class MessageRulesTest {

    @Test
    void acceptsTextCiphertextOrMediaAlone() {
        assertThat(MessageRules.check(message().setBody("hi").build())).isEmpty();
        assertThat(MessageRules.check(message().setCiphertext(ByteBuffer.wrap(new byte[40])).setNonce(ByteBuffer.wrap(new byte[12])).build()))
                .isEmpty();
        assertThat(MessageRules.check(message().setMediaUrl("https://media.example/p/1.jpg").build())).isEmpty();
    }

    @Test
    void bodyOf64KibIsAcceptedAndOneByteMoreIsNot() {
        assertThat(MessageRules.check(message().setBody("é".repeat(MessageRules.MAX_BODY_BYTES / 2)).build())).isEmpty();
        assertThat(code(message().setBody("é".repeat(MessageRules.MAX_BODY_BYTES / 2) + "x"))).contains("BODY_TOO_LARGE");
        assertThat(code(message().setCiphertext(ByteBuffer.wrap(new byte[MessageRules.MAX_BODY_BYTES + 1]))
                .setNonce(ByteBuffer.wrap(new byte[12])))).contains("BODY_TOO_LARGE");
    }

    @Test
    void refusesAmbiguousEmptyOrUnverifiableBodies() {
        assertThat(code(message().setBody("hi").setCiphertext(ByteBuffer.wrap(new byte[4])).setNonce(ByteBuffer.wrap(new byte[12]))))
                .contains("AMBIGUOUS_BODY");
        assertThat(code(message())).contains("EMPTY_MESSAGE");
        assertThat(code(message().setCiphertext(ByteBuffer.wrap(new byte[40])))).contains("MISSING_NONCE");
        assertThat(code(message().setMediaUrl("javascript:alert(1)"))).contains("INVALID_MEDIA_URL");
    }

    @Test
    void refusesIdsThatCouldBreakStoreKeys() {
        assertThat(code(message().setBody("hi").setSender("ana|ben"))).contains("MALFORMED_ID");
        assertThat(code(message().setBody("hi").setTo("dm:x:y"))).contains("MALFORMED_ID");
        assertThat(code(message().setBody("hi").setMessageId(""))).contains("MALFORMED_ID");
    }

    @Test
    void rejectionCopyWithholdsTheBody() {
        SendMessage original = message().setBody("my password is hunter2").build();

        SendMessage withheld = MessageRules.withoutBody(original);

        assertThat(withheld.getBody()).isEqualTo("[22 bytes withheld]");
        assertThat(original.getBody()).isEqualTo("my password is hunter2");
    }

    private static Optional<String> code(SendMessage.Builder message) {
        return MessageRules.check(message.build()).map(Violation::code);
    }

    private static SendMessage.Builder message() {
        return SendMessage.newBuilder().setMessageId("m-1").setSender("ana").setConversationType(ConversationType.DIRECT).setTo("ben")
                .setTimestamp(1_741_942_800_000L);
    }
}
