package io.millrace.app.cli;

import io.millrace.api.auth.Role;
import io.millrace.api.auth.Tokens;
import io.millrace.app.auth.AuthKeyStore;
import io.millrace.topology.Settings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code millrace token}: a bearer token from the platform's key, for a user, an operator or a service. */
@Command(name = "token", mixinStandardHelpOptions = true,
        description = "Print a bearer token signed with the platform's key (found as `millrace run` finds it).")
public final class TokenCommand implements Callable<Integer> {

    private static final Pattern TTL = Pattern.compile("(\\d{1,6})([smhd])");

    @Option(names = "--user", required = true, description = "The subject: a user id, or an operator's or service's name.")
    String user;

    @Option(names = "--role", defaultValue = "user", description = "user, operator or service (default ${DEFAULT-VALUE}).")
    String role;

    @Option(names = "--ttl", defaultValue = "1h", description = "How long it is valid: 90s, 30m, 12h, 7d (default ${DEFAULT-VALUE}; at most 30d).")
    String ttl;

    @Option(names = "--data-dir", defaultValue = "${env:MILLRACE_DATA_DIR:-data}",
            description = "The data directory of the platform whose development key signs (default ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--auth-key-file", defaultValue = "${env:MILLRACE_AUTH_KEY_FILE}",
            description = "A file of base64 keys, the first signing (env MILLRACE_AUTH_KEY_FILE); MILLRACE_AUTH_KEY wins over it.")
    Path keyFile;

    @Override
    public Integer call() {
        Optional<Role> parsedRole = Role.ofClaim(role.toLowerCase(Locale.ROOT));
        if (parsedRole.isEmpty()) {
            System.err.println("--role must be user, operator or service");
            return 2;
        }
        Duration lifetime;
        try {
            lifetime = ttl(ttl);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        AuthKeyStore.Loaded keys = AuthKeyStore.load(Settings.fromProcess(), Optional.ofNullable(keyFile), dataDir);
        System.out.println(new Tokens(keys.keys()).issue(user, parsedRole.get(), lifetime));
        return 0;
    }

    static Duration ttl(String text) {
        Matcher m = TTL.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("--ttl looks like 90s, 30m, 12h or 7d");
        }
        long n = Long.parseLong(m.group(1));
        Duration duration = switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
        if (duration.isZero() || duration.compareTo(Tokens.MAX_TTL) > 0) {
            throw new IllegalArgumentException("--ttl must be more than 0 and at most 30d");
        }
        return duration;
    }
}
