package dev.ngao.launcher.faults;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * One {@link FaultTarget} in a JVM of its own, started with this JVM's java and class path. Its output goes to
 * a log file (appended across restarts, each start marked); {@link #start} returns once it printed
 * {@value FaultTarget#READY}. {@link #kill} is SIGKILL ({@link Process#destroyForcibly} on Linux): no shutdown
 * hook, no flush, no clean close of anything; {@link #stop} is SIGTERM, a clean stop.
 */
final class ChildProcess implements AutoCloseable {

    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(90);
    private static final int LOG_TAIL_LINES = 30;
    /** The first line of a stack trace: a class name ending in Exception or Error, then its message. */
    private static final Pattern STACK_TOP = Pattern.compile("^([a-z_][\\w$]*\\.)+\\w*(Exception|Error)(: .*)?$");

    private final String name;
    private final List<String> command;
    private final Map<String, String> environment;
    private final Path logFile;
    private Process process;
    private CountDownLatch ready;
    private int starts;

    /**
     * @param name        for messages: what the child is
     * @param jvmOptions  options of the child's JVM (heap, GC)
     * @param arguments   {@link FaultTarget}'s arguments
     * @param environment added to this process's environment
     */
    ChildProcess(String name, List<String> jvmOptions, List<String> arguments, Map<String, String> environment,
                 Path logFile) {
        this.name = name;
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(FaultTarget.class.getName());
        command.addAll(arguments);
        this.command = List.copyOf(command);
        this.environment = Map.copyOf(environment);
        this.logFile = logFile;
    }

    String name() {
        return name;
    }

    /** Starts the child and waits (at most {@code timeout}) until it serves; a child that dies first fails this. */
    void start(Duration timeout) throws IOException, InterruptedException {
        launch();
        awaitServing(timeout);
    }

    /**
     * Starts the child without waiting for it to serve: the nodes of a cluster are launched together, since none
     * serves before a majority of them runs.
     */
    void launch() throws IOException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(name + " is already running");
        }
        starts++;
        Files.createDirectories(logFile.getParent());
        try (PrintWriter log = new PrintWriter(Files.newBufferedWriter(logFile, StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND))) {
            log.println(startMarker());
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        process = builder.start();
        ready = new CountDownLatch(1);
        Process started = process;
        CountDownLatch startedReady = ready;
        Thread pump = new Thread(() -> pump(started, startedReady), name + "-output");
        pump.setDaemon(true);
        pump.start();
    }

    /** Waits (at most {@code timeout}) until the launched child serves; a child that dies first fails this. */
    void awaitServing(Duration timeout) throws InterruptedException {
        Process started = process;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!ready.await(200, TimeUnit.MILLISECONDS)) {
            if (!started.isAlive()) {
                throw new ExitedBeforeServing(name + " exited with status " + started.exitValue()
                        + " before it served; the end of " + logFile + ":\n" + logTail());
            }
            if (System.nanoTime() > deadline) {
                kill();
                throw new IllegalStateException(name + " did not serve within " + timeout + "; the end of " + logFile
                        + ":\n" + logTail());
            }
        }
    }

    /** Copies the child's output to the log file and counts down {@code serving} at its ready line. */
    private void pump(Process child, CountDownLatch serving) {
        try (BufferedReader output = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8));
             PrintWriter log = new PrintWriter(Files.newBufferedWriter(logFile, StandardCharsets.UTF_8,
                     StandardOpenOption.CREATE, StandardOpenOption.APPEND), true)) {
            for (String line = output.readLine(); line != null; line = output.readLine()) {
                log.println(line);
                if (line.equals(FaultTarget.READY)) {
                    serving.countDown();
                }
            }
        } catch (IOException e) {
            // The child's output ends with the child; a read failing then is that end.
        }
    }

    /** The child ended before it served: its start failed, as a process under a supervisor's restart may. */
    static final class ExitedBeforeServing extends IllegalStateException {
        ExitedBeforeServing(String message) {
            super(message);
        }
    }

    /** The last lines this start wrote to the log file, for a failure's message (a test's directory is gone after it). */
    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            int start = lines.lastIndexOf(startMarker());
            lines = lines.subList(Math.max(start, Math.max(0, lines.size() - LOG_TAIL_LINES)), lines.size());
            return String.join("\n", lines);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    private String startMarker() {
        return "===== start " + starts + " of " + name + " =====";
    }

    /** The exception a failed start's message shows (the top of its stack trace), or its first line. */
    static String reason(String failure) {
        return failure.lines().filter(line -> STACK_TOP.matcher(line).matches()).findFirst()
                .orElse(failure.lines().findFirst().orElse(""));
    }

    /** SIGKILL, then waits until the process is gone. */
    void kill() throws InterruptedException {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        process.waitFor();
    }

    /** SIGTERM (a clean stop); SIGKILL if it has not stopped after a while. */
    void stop() throws InterruptedException {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            kill();
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
