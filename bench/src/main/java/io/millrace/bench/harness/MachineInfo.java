package io.millrace.bench.harness;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** Where a benchmark ran, recorded with every result so that numbers are never compared across machines unknowingly. */
public record MachineInfo(int cores, long maxHeapMb, String jvm, String os, String gitCommit) {

    public static MachineInfo current() {
        return new MachineInfo(Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() / (1024 * 1024),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
                headCommit());
    }

    private static String headCommit() {
        try {
            Process git = new ProcessBuilder("git", "rev-parse", "--short=12", "HEAD").redirectErrorStream(true).start();
            String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return git.waitFor(10, TimeUnit.SECONDS) && git.exitValue() == 0 ? out : "unknown";
        } catch (Exception e) {
            return "unknown";
        }
    }

    /** One line: OS, cores, JVM, heap, commit. */
    public String describe() {
        return os + " (" + cores + " cores, " + jvm + ", " + maxHeapMb + " MB heap), commit " + gitCommit;
    }
}
