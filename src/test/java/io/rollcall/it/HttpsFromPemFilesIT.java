package io.rollcall.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * HTTPS served by the packaged application itself from PEM files (for deployments without a TLS-terminating proxy):
 * {@code QUARKUS_HTTP_SSL_CERTIFICATE_FILES} / {@code QUARKUS_HTTP_SSL_CERTIFICATE_KEY_FILES}, with plain HTTP turned
 * off by {@code QUARKUS_HTTP_INSECURE_REQUESTS=disabled}. A client that trusts the certificate gets the health and
 * SCIM answers over TLS, with https locations; plain HTTP is not served. The certificate is made by openssl for the test.
 */
class HttpsFromPemFilesIT {

    private static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");

    private Path workDir;
    private int httpsPort;
    private int httpPort;
    private Process app;

    @BeforeEach
    void certificateAndPorts() throws Exception {
        workDir = Files.createTempDirectory("rollcall-https-it-");
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
                "-keyout", "key.pem", "-out", "cert.pem")
                .directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(workDir.resolve("openssl.log").toFile()).start();
        assertTrue(openssl.waitFor(60, TimeUnit.SECONDS) && openssl.exitValue() == 0,
                "openssl made a certificate: " + Files.readString(workDir.resolve("openssl.log")));
        httpsPort = Ports.free();
        httpPort = Ports.free();
    }

    @AfterEach
    void stopApp() throws InterruptedException {
        if (app != null && app.isAlive()) {
            app.destroy();
            app.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void servesHttpsFromPemFilesAndNoPlainHttp() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(List.of(java, "-jar", JAR.toAbsolutePath().toString()))
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(workDir.resolve("app.log").toFile());
        builder.environment().put("QUARKUS_HTTP_SSL_CERTIFICATE_FILES", workDir.resolve("cert.pem").toString());
        builder.environment().put("QUARKUS_HTTP_SSL_CERTIFICATE_KEY_FILES", workDir.resolve("key.pem").toString());
        builder.environment().put("QUARKUS_HTTP_SSL_PORT", String.valueOf(httpsPort));
        builder.environment().put("QUARKUS_HTTP_PORT", String.valueOf(httpPort));
        builder.environment().put("QUARKUS_HTTP_INSECURE_REQUESTS", "disabled");
        app = builder.start();

        HttpClient trusting = HttpClient.newBuilder().sslContext(trusting(workDir.resolve("cert.pem")))
                .connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        HttpResponse<String> ready = null;
        while (ready == null || ready.statusCode() != 200) {
            assertTrue(System.nanoTime() < deadline, "not ready over HTTPS within 120 s; see " + workDir);
            assertTrue(app.isAlive(), "the app is running; see " + workDir.resolve("app.log"));
            try {
                ready = get(trusting, "https://localhost:" + httpsPort + "/q/health/ready");
            } catch (IOException notYet) {
                Thread.sleep(200);
            }
        }

        String owner = Files.readString(workDir.resolve(".rollcall/owner.token")).trim();
        HttpResponse<String> keys = trusting.send(HttpRequest.newBuilder(
                URI.create("https://localhost:" + httpsPort + "/admin/v1/access-keys"))
                .header("Authorization", "Bearer " + owner).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, keys.statusCode(), keys.body());
        HttpResponse<String> config = get(trusting, "https://localhost:" + httpsPort + "/scim/v2/ServiceProviderConfig");
        assertEquals(401, config.statusCode(), "the token gate answers over TLS too");

        HttpResponse<String> key = trusting.send(HttpRequest.newBuilder(
                URI.create("https://localhost:" + httpsPort + "/admin/v1/access-keys"))
                .header("Authorization", "Bearer " + owner).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"tls\",\"roles\":[\"SCIM Client\"]}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, key.statusCode(), key.body());
        Matcher token = Pattern.compile("\"token\"\\s*:\\s*\"([^\"]+)\"")
                .matcher(key.body());
        assertTrue(token.find());
        HttpResponse<String> user = trusting.send(HttpRequest.newBuilder(
                URI.create("https://localhost:" + httpsPort + "/scim/v2/Users"))
                .header("Authorization", "Bearer " + token.group(1)).header("Content-Type", "application/scim+json")
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],\"userName\":\"tls@example.com\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, user.statusCode(), user.body());
        assertTrue(user.headers().firstValue("Location").orElse("").startsWith("https://localhost:" + httpsPort + "/"),
                "locations are https: " + user.headers().firstValue("Location"));

        HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        assertThrows(IOException.class, () -> get(plain, "http://localhost:" + httpPort + "/q/health/ready"),
                "plain HTTP is not served");
        HttpClient untrusting = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        assertThrows(IOException.class, () -> get(untrusting, "https://localhost:" + httpsPort + "/q/health/ready"),
                "the server presents the configured certificate, which the default trust store does not know");
    }

    private static HttpResponse<String> get(HttpClient client, String url) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static SSLContext trusting(Path certificate) throws Exception {
        KeyStore trustStore = KeyStore.getInstance(KeyStore.getDefaultType());
        trustStore.load(null, null);
        try (InputStream in = Files.newInputStream(certificate)) {
            trustStore.setCertificateEntry("rollcall",
                    (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trustStore);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }
}
