package io.rollcall.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The README's curl walkthrough, run as written (bash, curl) against the packaged jar started as the Quick start
 * starts it, in a directory standing for the repository: every step answers, the saved responses go to a private
 * temporary directory (mode 700, files 600: no token world-readable), never the repository directory, and that
 * directory is gone at the end.
 */
class ReadmeWalkthroughIT {

    private static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");
    private static final Path README = Path.of("README.md");

    private Path repository;
    private Process app;

    @AfterEach
    void stopApp() throws InterruptedException {
        if (app != null && app.isAlive()) {
            app.destroy();
            app.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void walkthroughRunsAndLeavesNoFilesBehind() throws Exception {
        repository = Files.createTempDirectory("rollcall-readme-");
        int port = Ports.free();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path log = Files.createTempFile("rollcall-readme-app-", ".log");
        app = new ProcessBuilder(java, "-Xmx256m", "-Dquarkus.http.port=" + port, "-jar", JAR.toAbsolutePath().toString())
                .directory(repository.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        Http.awaitStatus(app, URI.create("http://localhost:" + port + "/q/health/ready"), 200, 180, log);
        Set<String> before = listing(repository);

        // Just before the clean-up step, record the modes of the private directory and the files in it.
        Path modes = Files.createTempFile("rollcall-readme-modes-", ".txt");
        String cleanUp = "cd - >/dev/null && rm -rf \"$WORK\"";
        String script = walkthrough().replace("http://localhost:8080", "http://localhost:" + port);
        assertTrue(script.contains(cleanUp), "the walkthrough ends by removing its directory");
        script = script.replace(cleanUp, "stat -c '%a %F %n' \"$WORK\" \"$WORK\"/* > '" + modes + "'\n" + cleanUp);

        Process bash = new ProcessBuilder("bash", "-e", "-c", script).directory(repository.toFile())
                .redirectErrorStream(true).start();
        String output = new String(bash.getInputStream().readAllBytes());
        assertTrue(bash.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, bash.exitValue(), output);

        assertTrue(output.contains("\"userName\":\"ana@acme.com\""), "step 3 creates Ana:\n" + output);
        assertTrue(output.contains("\"displayName\":\"Engineering\""), "step 4 creates the group:\n" + output);
        assertTrue(output.contains("\"status\":\"401\""), "step 5/6 answer 401 without a valid token:\n" + output);
        assertTrue(output.contains("\"name\":\"Campaign viewer\""), "step 8 creates a custom role:\n" + output);

        List<String> recorded = Files.readAllLines(modes);
        assertTrue(recorded.size() > 3, "the walkthrough saved its responses: " + recorded);
        String directory = recorded.get(0);
        assertTrue(directory.startsWith("700 directory "), "a private directory: " + directory);
        for (String file : recorded.subList(1, recorded.size())) {
            assertTrue(file.startsWith("600 regular file "), "no saved response is readable by others: " + file);
        }
        Path work = Path.of(directory.substring("700 directory ".length()));
        assertFalse(work.startsWith(repository), "the files are not in the repository");
        assertFalse(Files.exists(work), "the directory is removed at the end");
        assertEquals(before, listing(repository), "the walkthrough writes nothing into the repository");
    }

    /** The shell block of the README's "Walkthrough with curl" section. */
    private static String walkthrough() throws IOException {
        String readme = Files.readString(README);
        int section = readme.indexOf("## Walkthrough with curl");
        int start = readme.indexOf("```sh\n", section) + "```sh\n".length();
        int end = readme.indexOf("\n```", start);
        assertTrue(section >= 0 && start > section && end > start, "the README has the walkthrough");
        return readme.substring(start, end + 1);
    }

    private static Set<String> listing(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(path -> path.getFileName().toString()).collect(Collectors.toSet());
        }
    }
}
