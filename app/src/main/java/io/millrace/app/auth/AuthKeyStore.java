package io.millrace.app.auth;

import io.millrace.api.auth.AuthKeys;
import io.millrace.topology.Settings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Where the keys that sign and check tokens come from, the same way for {@code millrace run} and {@code millrace token},
 * so that a token printed by one is accepted by the other: {@code MILLRACE_AUTH_KEY} (base64, 32 bytes or more; while
 * rotating, a comma-separated list, the first signing), else a key file ({@code --auth-key-file}: one base64 key per
 * line, the first signing), else, for a local run, a key generated once under the data directory. A production
 * deployment ({@code MILLRACE_ENV=production}) must bring its own.
 */
public final class AuthKeyStore {

    /** The setting holding the keys: MILLRACE_AUTH_KEY, or -Dmillrace.auth.key. */
    public static final String KEY_SETTING = "auth.key";
    static final String GENERATED_FILE = "auth.key";

    private AuthKeyStore() {
    }

    /** The keys, and where they came from in words (never the keys themselves). */
    public record Loaded(AuthKeys keys, String source, boolean generated) {
    }

    public static Loaded load(Settings settings, Optional<Path> keyFile, Path dataDir) {
        Optional<String> configured = settings.get(KEY_SETTING);
        if (configured.isPresent()) {
            return new Loaded(AuthKeys.parse(Arrays.asList(configured.get().split(","))), Settings.envName(KEY_SETTING), false);
        }
        if (keyFile.isPresent()) {
            return new Loaded(AuthKeys.parse(lines(keyFile.get())), "key file " + keyFile.get(), false);
        }
        if (settings.production()) {
            throw new IllegalStateException("MILLRACE_ENV=production but no auth key is set: set " + Settings.envName(KEY_SETTING)
                    + " (base64 of at least " + AuthKeys.MIN_KEY_BYTES + " random bytes, e.g. `openssl rand -base64 32`) or --auth-key-file");
        }
        Path generated = dataDir.resolve(GENERATED_FILE);
        boolean created = !Files.exists(generated) && create(generated);
        return new Loaded(AuthKeys.parse(lines(generated)), "development key " + generated + (created ? ", generated now" : ""), true);
    }

    /**
     * The keys a platform started in this environment would use, if they exist already: for tools that talk to a
     * local platform (simulate) and sign their own service token. Nothing is generated.
     */
    public static Optional<AuthKeys> existing(Settings settings, Optional<Path> keyFile, Path dataDir) {
        Optional<String> configured = settings.get(KEY_SETTING);
        if (configured.isPresent()) {
            return Optional.of(AuthKeys.parse(Arrays.asList(configured.get().split(","))));
        }
        Path file = keyFile.orElse(dataDir.resolve(GENERATED_FILE));
        return Files.isReadable(file) ? Optional.of(AuthKeys.parse(lines(file))) : Optional.empty();
    }

    /**
     * Writes a new key to {@code file}, which appears whole or not at all: the key goes to a temporary file of its own
     * (owner-only from its creation), which is then linked in under the final name. Whoever reads the file meanwhile
     * (`millrace token`, a tool waiting for the platform) never sees it empty; if another process got there first, its
     * key stays and this one answers false.
     */
    private static boolean create(Path file) {
        byte[] key = new byte[AuthKeys.MIN_KEY_BYTES];
        new SecureRandom().nextBytes(key);
        Path directory = file.toAbsolutePath().getParent();
        Path partial = null;
        try {
            Files.createDirectories(directory);
            try {
                partial = Files.createTempFile(directory, GENERATED_FILE, ".partial",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException notPosix) {
                partial = Files.createTempFile(directory, GENERATED_FILE, ".partial");
            }
            Files.writeString(partial, Base64.getEncoder().encodeToString(key) + "\n", StandardCharsets.UTF_8);
            try {
                Files.createLink(file, partial);
                return true;
            } catch (FileAlreadyExistsException another) {
                return false;
            } catch (UnsupportedOperationException | java.nio.file.FileSystemException noLinks) {
                // A file system without hard links: a rename, which never replaces a key already there, is whole too
                try {
                    Files.move(partial, file);
                    return true;
                } catch (FileAlreadyExistsException another) {
                    return false;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write the auth key " + file, e);
        } finally {
            if (partial != null) {
                try {
                    Files.deleteIfExists(partial);
                } catch (IOException ignored) {
                    // a stray temporary file, owner-only, is all that is left
                }
            }
        }
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the auth key file " + file, e);
        }
    }
}
