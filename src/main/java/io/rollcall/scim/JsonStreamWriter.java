package io.rollcall.scim;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.Provider;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.core.ResteasyReactiveRequestContext;
import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveResourceInfo;
import org.jboss.resteasy.reactive.server.spi.ServerHttpResponse;
import org.jboss.resteasy.reactive.server.spi.ServerMessageBodyWriter;
import org.jboss.resteasy.reactive.server.spi.ServerRequestContext;

import io.smallrye.mutiny.subscription.MultiSubscriber;

import io.rollcall.http.MediaTypes;

/**
 * Sends a {@link JsonStream} chunked, piece after piece: the next piece is requested when the previous one has been
 * handed to the connection, so a slow reader holds back the production of the rest instead of letting it pile up in
 * memory. Until the first piece is written nothing is committed, and a failure is answered as any other error; after
 * that the status is out, so a failure resets the connection (the client sees the body cut short, never a JSON
 * document that looks whole). A client that goes away cancels the production.
 */
@Provider
@Produces({ MediaTypes.SCIM_JSON, MediaTypes.JSON })
public class JsonStreamWriter implements ServerMessageBodyWriter<JsonStream> {

    private static final Logger LOG = Logger.getLogger(JsonStreamWriter.class);

    @Override
    public boolean isWriteable(Class<?> type, Type genericType, ResteasyReactiveResourceInfo target, MediaType mediaType) {
        return JsonStream.class.isAssignableFrom(type);
    }

    @Override
    public boolean isWriteable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return JsonStream.class.isAssignableFrom(type);
    }

    @Override
    public void writeResponse(JsonStream stream, Type genericType, ServerRequestContext context) {
        ResteasyReactiveRequestContext request = (ResteasyReactiveRequestContext) context;
        request.suspend();
        stream.pieces().subscribe().withSubscriber(new PieceSender(request));
    }

    /**
     * Called by JAX-RS only when writer interceptors are registered (Rollcall has none): blocks until every piece is
     * written, so it must not run on an event loop.
     */
    @Override
    public void writeTo(JsonStream stream, Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType,
            MultivaluedMap<String, Object> httpHeaders, OutputStream entityStream) throws IOException {
        for (byte[] piece : stream.pieces().subscribe().asIterable()) {
            entityStream.write(piece);
        }
    }

    private static final class PieceSender implements MultiSubscriber<byte[]> {

        private final ResteasyReactiveRequestContext request;
        private final ServerHttpResponse response;
        private final AtomicBoolean done = new AtomicBoolean();
        private volatile Flow.Subscription subscription;

        PieceSender(ResteasyReactiveRequestContext request) {
            this.request = request;
            this.response = request.serverResponse();
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            response.setChunked(true);
            response.addCloseHandler(() -> {
                if (done.compareAndSet(false, true)) {
                    subscription.cancel();
                    request.close();
                }
            });
            subscription.request(1);
        }

        @Override
        public void onItem(byte[] piece) {
            response.write(piece, failure -> {
                if (failure == null) {
                    subscription.request(1);
                } else if (done.compareAndSet(false, true)) {
                    subscription.cancel();
                    LOG.debugf(failure, "Response body not sent in full");
                    response.reset();
                    request.close();
                }
            });
        }

        @Override
        public void onFailure(Throwable failure) {
            if (!done.compareAndSet(false, true)) {
                return;
            }
            if (response.headWritten()) {
                LOG.error("Response body failed after its status was sent; the connection is reset", failure);
                response.reset();
                request.close();
            } else {
                request.resume(failure, true);
            }
        }

        @Override
        public void onCompletion() {
            if (done.compareAndSet(false, true)) {
                response.end();
                request.close();
            }
        }
    }
}
