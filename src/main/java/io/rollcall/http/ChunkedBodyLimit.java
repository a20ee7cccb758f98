package io.rollcall.http;

import java.io.ByteArrayInputStream;

import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import com.unboundid.scim2.common.exceptions.ScimException;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.rollcall.service.ScimFailure;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;

/**
 * Measures an API request body sent without a {@code Content-Length} (chunked) while reading it, and refuses it with a
 * 413 in the API's error format as soon as it passes {@link BodySizeLimit#limitOf(String)}; nothing of the request
 * runs. A body announced larger is refused before by {@link BodySizeLimit}.
 * <p>
 * Quarkus would cut such a body at the same limit, but inside the blocking stream RESTEasy reads it from, which writes
 * an empty 413 itself and leaves no hook. So the body is read here, into memory (never more than the limit, which
 * RESTEasy would buffer or parse into a tree anyway), and handed to RESTEasy as the request's entity stream. This is a
 * request filter rather than a Vert.x route so that it reads only bodies of requests that passed the token check and
 * matched an endpoint: a stranger still gets 401 without sending a byte more.
 * <p>
 * A refused HTTP/1.1 request's connection is closed once the answer is sent (RFC 9112 §9.6,
 * {@code Connection: close}); until then, and for at most {@link #LINGER_MILLIS} after it, the rest of the body is read
 * and dropped, so that the client is not reset before it has read the answer. Over HTTP/2 the answer ends the stream
 * alone.
 */
public class ChunkedBodyLimit {

    /** How long a refused body is still drained after the answer before the connection is closed anyway. */
    static final long LINGER_MILLIS = 2_000;

    private final BodySizeLimit limits;
    private final Vertx vertx;

    public ChunkedBodyLimit(BodySizeLimit limits, Vertx vertx) {
        this.limits = limits;
        this.vertx = vertx;
    }

    /** After the token check and the header checks (default priority), before any endpoint reads the body. */
    @ServerRequestFilter(priority = Priorities.USER + 1000)
    public Uni<Void> read(ContainerRequestContext request, RoutingContext routing) {
        HttpServerRequest http = routing.request();
        if (!unannounced(http) || Api.of(http.path()) == Api.OTHER) {
            return Uni.createFrom().voidItem();
        }
        return Uni.createFrom().emitter(emitter -> new Reading(request, routing, emitter).start());
    }

    /** A body that is still to come and whose length nobody announced. */
    private static boolean unannounced(HttpServerRequest http) {
        return !http.isEnded() && http.getHeader(HttpHeaderNames.CONTENT_LENGTH) == null
                && !HttpMethod.GET.equals(http.method()) && !HttpMethod.HEAD.equals(http.method());
    }

    /** One body being read: on the request's event loop, so its fields need no locking. */
    private final class Reading {

        private final ContainerRequestContext request;
        private final RoutingContext routing;
        private final HttpServerRequest http;
        private final UniEmitter<? super Void> emitter;
        private final long limit;
        private final Buffer body = Buffer.buffer();
        private boolean settled;

        Reading(ContainerRequestContext request, RoutingContext routing, UniEmitter<? super Void> emitter) {
            this.request = request;
            this.routing = routing;
            this.http = routing.request();
            this.emitter = emitter;
            this.limit = limits.limitOf(http.path());
        }

        void start() {
            if ("100-continue".equalsIgnoreCase(http.getHeader(HttpHeaderNames.EXPECT))) {
                http.response().writeContinue();
            }
            http.handler(this::chunk);
            http.endHandler(ignored -> end());
            http.exceptionHandler(this::broken);
            http.resume();
        }

        private void chunk(Buffer chunk) {
            if (settled) {
                return;
            }
            if (body.length() + (long) chunk.length() > limit) {
                settled = true;
                refuse();
                return;
            }
            body.appendBuffer(chunk);
        }

        private void end() {
            if (settled) {
                return;
            }
            settled = true;
            request.setEntityStream(new ByteArrayInputStream(body.getBytes()));
            emitter.complete(null);
        }

        /** The client went away, or sent malformed chunks: nobody may be there to read the answer. */
        private void broken(Throwable failure) {
            if (settled) {
                return;
            }
            settled = true;
            emitter.fail(ScimFailure.of(new ScimException(400, null, "The request body could not be read to its "
                    + "end: " + failure.getMessage())));
        }

        private void refuse() {
            ApiError error = limits.tooLarge(http.path(), "more than " + limit);
            if (http.version() != HttpVersion.HTTP_2) {
                // over HTTP/2 the answer ends the stream alone; the connection carries other requests
                http.response().putHeader(HttpHeaderNames.CONNECTION, "close");
                routing.addEndHandler(sent -> closeOnceDrained());
            }
            emitter.fail(ScimFailure.of(new ScimException(error.status(), null, error.detail())));
        }

        private void closeOnceDrained() {
            if (http.isEnded()) {
                http.connection().close();
                return;
            }
            long timer = vertx.setTimer(LINGER_MILLIS, fired -> http.connection().close());
            http.endHandler(ignored -> {
                vertx.cancelTimer(timer);
                http.connection().close();
            });
        }
    }
}
