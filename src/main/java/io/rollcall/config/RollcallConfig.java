package io.rollcall.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Rollcall's own settings ({@code rollcall.*}, or {@code ROLLCALL_*} environment variables).
 * Quarkus settings (datasource, HTTP limits, proxy) keep their {@code quarkus.*} names.
 */
@ConfigMapping(prefix = "rollcall")
public interface RollcallConfig {

    /** Where the embedded database, the generated signing keys and the bootstrap token live. */
    @WithDefault(".rollcall")
    Path dataDir();

    Bootstrap bootstrap();

    Operator operator();

    Tokens tokens();

    Auth auth();

    OAuth oauth();

    Scim scim();

    Console console();

    Metrics metrics();

    Database database();

    Http http();

    Events events();
    Audit audit();

    interface Bootstrap {
        /** Name of the organization created on the first start against an empty database. */
        @WithDefault("default")
        String organization();

        /** Where the first Organization Owner token is written; defaults to {@code <data-dir>/owner.token}. */
        Optional<Path> tokenFile();
    }

    interface Operator {
        /**
         * A file holding the platform operator's token (a secret an orchestrator mounts); without it the first start
         * generates one into {@code <data-dir>/operator.token}.
         */
        Optional<Path> tokenFile();
    }

    interface Tokens {
        /** The {@code iss} of every token this server signs and the only issuer it accepts. */
        @WithDefault("rollcall")
        String issuer();

        /** PEM (PKCS#8) RSA private key; when absent with the public key, a key pair is generated into the data dir. */
        Optional<Path> privateKeyFile();

        /** PEM (X.509 SubjectPublicKeyInfo) RSA public key matching {@link #privateKeyFile()}. */
        Optional<Path> publicKeyFile();
    }

    interface Auth {
        /** How long a resolved caller (access key, organization, roles) is reused before the store is asked again. */
        @WithDefault("5s")
        Duration cacheTtl();
    }

    interface OAuth {
        /** Lifetime of the access tokens {@code POST /oauth/token} issues. */
        @WithDefault("1h")
        Duration tokenLifetime();

        /** Failed client authentications allowed per client id within {@link #failureWindow()} before it is refused. */
        @WithDefault("5")
        int maxFailures();

        /** The window failed client authentications are counted in, and how long a client that exceeded it waits. */
        @WithDefault("1m")
        Duration failureWindow();
    }

    interface Scim {
        /** Page size when a query gives no {@code count}. */
        @WithDefault("100")
        int defaultPageSize();

        /** Largest page a query may ask for; larger {@code count} values are lowered to it (RFC 7644 §3.4.2.4). */
        @WithDefault("1000")
        int maxPageSize();

        /**
         * How long a cursor (RFC 9865) stays valid after the page that gave it; advertised as
         * {@code pagination.cursorTimeout}. An older cursor is refused with 400 {@code expiredCursor}.
         */
        @WithDefault("1h")
        Duration cursorTimeout();

        Bulk bulk();
    }

    /**
     * {@code POST /scim/v2/Bulk} limits (RFC 7644 §3.7.4), advertised in {@code /ServiceProviderConfig}; a request over
     * either is refused whole with 413 before any of its operations runs.
     */
    interface Bulk {
        /** Operations one Bulk request may hold: 1,000, an identity provider's full page of users in one request. */
        @WithDefault("1000")
        int maxOperations();

        /**
         * Largest Bulk request body: 1 MiB holds 1,000 user creates of ~1 KB each, and its JSON tree (~8 times the
         * body) stays within a small heap. Capped by {@code quarkus.http.limits.max-body-size}: the smaller is what is
         * enforced and advertised.
         */
        @WithDefault("1M")
        MemorySize maxPayloadSize();
    }

    interface Console {
        /** A console session unused this long is over (each request through it starts the time again). */
        @WithDefault("15m")
        Duration sessionIdleTimeout();

        /** A console session is over this long after sign-in, however busy (never later than its token's expiry). */
        @WithDefault("8h")
        Duration sessionMaxAge();

        /** Most console sessions held at once per instance; sign-in beyond it is refused with 503. */
        @WithDefault("10000")
        int maxSessions();
    }

    /** The audit log (docs/audit.md). */
    interface Audit {
        /**
         * How long audit rows — and change events, delivered or not — are kept; older ones are purged by every
         * instance every {@code purge-interval} (a purge that runs on several instances at once is harmless).
         */
        @WithDefault("90d")
        Duration retention();

        /** How often an instance purges what is past the retention (and once shortly after it starts). */
        @WithDefault("1h")
        Duration purgeInterval();
    }

    interface Metrics {
        /**
         * Most distinct access key names an instance labels its metrics with; requests of keys beyond them count as
         * {@code other}, so that the number of series stays bounded however many keys organizations create.
         */
        @WithDefault("100")
        int keyNames();
    }

    /**
     * How long a request may wait on an external PostgreSQL that does not answer, and how start-up waits for one that
     * is not there yet (docs/configuration.md, "Database outages"). While it is unreachable, requests are answered 503
     * with {@code Retry-After} within these bounds instead of hanging.
     */
    interface Database {
        /** Opening a connection: a stopped server refuses at once; an unreachable host is given up after this. */
        @WithDefault("5s")
        Duration connectTimeout();

        /** Waiting for a pooled connection when all are busy (or none can be opened); then the request gets 503. */
        @WithDefault("5s")
        Duration acquisitionTimeout();

        /**
         * An open connection on which nothing arrives for this long is closed: a statement in flight over a cut
         * network fails after it instead of waiting for TCP to give up (hours). Idle pooled connections are closed
         * too and opened again when needed; no statement of this server runs this long without sending rows.
         */
        @WithDefault("60s")
        Duration readTimeout();

        /** First wait before start-up tries the database again (migrations, bootstrap); it doubles at each failure. */
        @WithDefault("1s")
        Duration startupRetryFirstDelay();

        /** Longest wait between two start-up attempts. */
        @WithDefault("15s")
        Duration startupRetryMaxDelay();
    }

    /**
     * Limits on the request line and headers, enforced where the path is known so that the refusal is in the API's
     * error format (414, 431). Netty's decoder has its own, higher limits ({@code quarkus.http.limits.
     * max-initial-line-length}, {@code max-header-size}), which must stay above these: beyond them Vert.x answers
     * with an empty body before any route (docs/configuration.md, "HTTP limits").
     */
    interface Http {
        /** Longest request target (path and query, as sent, still percent-encoded). */
        @WithDefault("8K")
        MemorySize maxUriLength();

        /** Largest total size of the request's header fields (each name, value and their separators). */
        @WithDefault("20K")
        MemorySize maxHeaderSize();
    }

    /** Change events out (docs/events.md): webhook delivery of Security Event Tokens. */
    interface Events {
        /**
         * Networks (CIDR, IPv4 or IPv6) a subscription URL may resolve into although they are loopback, link-local,
         * private, unique-local or otherwise internal; by default none, so an organization cannot point Rollcall at
         * the operator's own network.
         */
        Optional<List<String>> allowedNetworks();

        /** How often each instance looks for due deliveries. */
        @WithDefault("250ms")
        Duration pollInterval();

        /** Deliveries one instance sends at once; further due ones wait for a free slot. */
        @WithDefault("16")
        int maxConcurrentDeliveries();

        /** Time to connect to a receiver. */
        @WithDefault("5s")
        Duration connectTimeout();

        /** Time a receiver has to answer a delivery completely; a slower answer counts as a failed attempt. */
        @WithDefault("10s")
        Duration deliveryTimeout();

        /** Attempts of one delivery before it is dead-lettered. */
        @WithDefault("16")
        int maxAttempts();

        /** Wait after the first failed attempt; it doubles with each further failure, up to {@link #retryMax()}. */
        @WithDefault("1s")
        Duration retryBase();

        /** Longest wait between two attempts of one delivery. */
        @WithDefault("15m")
        Duration retryMax();

        /** Subscriptions one organization may have. */
        @WithDefault("20")
        int maxSubscriptions();
    }
}
