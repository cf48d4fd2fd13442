package io.millrace.topology.messenger.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.security.PublicKey;
import javax.crypto.AEADBadTagException;
import org.junit.jupiter.api.Test;

/** The client-side helper: what one user encrypts for another, only that other user opens. */
class EndToEndCipherTest {

    private final KeyPair ana = EndToEndCipher.newKeyPair();
    private final KeyPair ben = EndToEndCipher.newKeyPair();
    private final KeyPair eve = EndToEndCipher.newKeyPair();

    @Test
    void recipientOpensWhatTheSenderSealedWithPublishedKeys() throws Exception {
        PublicKey anaPublished = EndToEndCipher.publicKey(ana.getPublic().getEncoded());

        EndToEndCipher.Sealed sealed = EndToEndCipher.encrypt(ana.getPrivate(), ben.getPublic(), "dm:ana:ben", "m-7", "pin is 2468");

        assertThat(sealed.nonce()).hasSize(12);
        assertThat(EndToEndCipher.decrypt(ben.getPrivate(), anaPublished, "dm:ana:ben", "m-7", sealed.ciphertext(), sealed.nonce()))
                .isEqualTo("pin is 2468");
    }

    @Test
    void anyoneElseOrAnotherConversationOrMessageFailsToOpenIt() throws Exception {
        EndToEndCipher.Sealed sealed = EndToEndCipher.encrypt(ana.getPrivate(), ben.getPublic(), "dm:ana:ben", "m-7", "pin is 2468");

        assertThatThrownBy(() -> EndToEndCipher.decrypt(eve.getPrivate(), ana.getPublic(), "dm:ana:ben", "m-7", sealed.ciphertext(),
                sealed.nonce())).isInstanceOf(AEADBadTagException.class);
        assertThatThrownBy(() -> EndToEndCipher.decrypt(ben.getPrivate(), ana.getPublic(), "dm:ana:eve", "m-7", sealed.ciphertext(),
                sealed.nonce())).isInstanceOf(AEADBadTagException.class);
        assertThatThrownBy(() -> EndToEndCipher.decrypt(ben.getPrivate(), ana.getPublic(), "dm:ana:ben", "m-8", sealed.ciphertext(),
                sealed.nonce())).isInstanceOf(AEADBadTagException.class);
    }
}
