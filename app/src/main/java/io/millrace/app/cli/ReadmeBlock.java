package io.millrace.app.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A benchmark's table in a README, between {@code <!-- name:start -->} and {@code <!-- name:end -->}, replaced by each run. */
public final class ReadmeBlock {

    private ReadmeBlock() {
    }

    /** Replaces what lies between the block's markers with {@code content}; a README without them is an error. */
    public static void replace(Path readme, String name, String content) throws IOException {
        String start = "<!-- " + name + ":start -->";
        String end = "<!-- " + name + ":end -->";
        String text = Files.readString(readme);
        int from = text.indexOf(start);
        int to = text.indexOf(end);
        if (from < 0 || to < from) {
            throw new IllegalStateException(readme + " has no " + start + " … " + end + " block");
        }
        Files.writeString(readme, text.substring(0, from + start.length()) + "\n" + content + text.substring(to));
    }
}
