package io.millrace.topology.messenger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.millrace.topology.Settings;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The at-rest secret (configured, or the development default that the pipeline warns about) and the retention. */
class MessengerSettingsTest {

    @Test
    void withoutAConfiguredSecretTheDevelopmentOneIsUsedAndFlagged() {
        MessengerSettings settings = MessengerSettings.from((String) null);

        assertThat(settings.developmentSecret()).isTrue();
        assertThat(settings.atRestSecret()).hasSize(32).isEqualTo(MessengerSettings.from(" ").atRestSecret());
    }

    @Test
    void configuredSecretIsBase64OfAtLeast32Bytes() {
        byte[] secret = new byte[48];
        secret[0] = 7;

        MessengerSettings settings = MessengerSettings.from(Base64.getEncoder().encodeToString(secret));

        assertThat(settings.developmentSecret()).isFalse();
        assertThat(settings.atRestSecret()).isEqualTo(secret);
        assertThatThrownBy(() -> MessengerSettings.from(Base64.getEncoder().encodeToString(new byte[16])))
                .hasMessageContaining("at least 32 bytes");
        assertThatThrownBy(() -> MessengerSettings.from("not base64!")).hasMessageContaining("must be base64");
    }

    @Test
    void productionRefusesToStartWithoutASecretOfItsOwn() {
        assertThatThrownBy(() -> MessengerSettings.from(Settings.of(Map.of("env", "production"))))
                .hasMessageContaining("MILLRACE_MESSENGER_AT_REST_KEY");
        byte[] secret = new byte[32];
        secret[3] = 9;
        assertThat(MessengerSettings.from(Settings.of(Map.of("env", "production",
                "messenger.at-rest-key", Base64.getEncoder().encodeToString(secret)))).atRestSecret()).isEqualTo(secret);
    }

    @Test
    void messagesAreKeptAYearUnlessConfiguredOtherwise() {
        assertThat(MessengerSettings.from(Settings.none()).retention()).isEqualTo(Duration.ofDays(365));
        assertThat(MessengerSettings.from(Settings.of(Map.of("messenger.retention-days", "30"))).retention()).isEqualTo(Duration.ofDays(30));
        assertThat(MessengerSettings.from(Settings.read(Map.of("MILLRACE_MESSENGER_RETENTION_DAYS", "7"), Map.of())).retention())
                .isEqualTo(Duration.ofDays(7));
        for (String wrong : new String[] {"0", "-3", "a year", "36501"}) {
            assertThatThrownBy(() -> MessengerSettings.from(Settings.of(Map.of("messenger.retention-days", wrong))))
                    .hasMessageContaining("MILLRACE_MESSENGER_RETENTION_DAYS").hasMessageContaining(wrong);
        }
    }
}
