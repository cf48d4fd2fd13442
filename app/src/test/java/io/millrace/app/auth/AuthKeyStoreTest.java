package io.millrace.app.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.topology.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The development key a local run generates in its data directory. */
@Timeout(60)
class AuthKeyStoreTest {

    @TempDir
    Path dataDir;

    @Test
    void aLocalRunGeneratesAnOwnerOnlyKeyOnceAndReadsItAfterwards() throws Exception {
        AuthKeyStore.Loaded first = AuthKeyStore.load(Settings.none(), Optional.empty(), dataDir);
        AuthKeyStore.Loaded again = AuthKeyStore.load(Settings.none(), Optional.empty(), dataDir);

        assertThat(first.generated()).isTrue();
        assertThat(first.source()).endsWith("generated now");
        assertThat(again.source()).doesNotEndWith("generated now");
        assertThat(Files.readString(dataDir.resolve(AuthKeyStore.GENERATED_FILE))).isNotBlank();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir.resolve(AuthKeyStore.GENERATED_FILE))))
                .isEqualTo("rw-------");
        try (var files = Files.list(dataDir)) {
            assertThat(files).as("no temporary file left").containsExactly(dataDir.resolve(AuthKeyStore.GENERATED_FILE));
        }
    }

    @Test
    void aReaderWhileTheKeyIsBeingWrittenSeesNoKeyOrTheWholeKeyAndRacingWritersKeepOne() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            for (int round = 0; round < 100; round++) {
                Path dir = dataDir.resolve("round-" + round);
                // `millrace token` polling the directory while the platform generates its key: never an empty or partial key
                Future<Optional<?>> reader = pool.submit(() -> {
                    Optional<?> keys = Optional.empty();
                    while (keys.isEmpty()) {
                        keys = AuthKeyStore.existing(Settings.none(), Optional.empty(), dir);
                    }
                    return keys;
                });
                List<Future<AuthKeyStore.Loaded>> writers = new ArrayList<>();
                for (int writer = 0; writer < 2; writer++) {
                    writers.add(pool.submit(() -> AuthKeyStore.load(Settings.none(), Optional.empty(), dir)));
                }
                assertThat(reader.get()).isPresent();
                long generated = 0;
                for (Future<AuthKeyStore.Loaded> writer : writers) {
                    generated += writer.get().source().endsWith("generated now") ? 1 : 0;
                }
                assertThat(generated).as("one writer's key is kept").isEqualTo(1);
                assertThat(Files.readAllLines(dir.resolve(AuthKeyStore.GENERATED_FILE))).hasSize(1);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
