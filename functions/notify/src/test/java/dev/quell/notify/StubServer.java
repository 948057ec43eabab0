package dev.quell.notify;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An HTTP server on a free loopback port that replaces Slack or Security Hub in tests: it records every request and
 * returns the scripted responses in order, then the default response.
 */
public final class StubServer implements AutoCloseable {

    /** One recorded request. */
    public record Request(String method, String path, Map<String, List<String>> headers, String body) {

        public String header(String name) {
            return headers.entrySet().stream()
                    .filter(entry -> entry.getKey().equalsIgnoreCase(name))
                    .map(entry -> entry.getValue().get(0))
                    .findFirst()
                    .orElse(null);
        }
    }

    /** One scripted response. */
    public record Response(int status, Map<String, String> headers, String body) {

        public static Response of(int status, String body) {
            return new Response(status, Map.of(), body);
        }

        public static Response json(int status, String body) {
            return new Response(status, Map.of("Content-Type", "application/json"), body);
        }
    }

    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Deque<Response> script = new ArrayDeque<>();
    private volatile Response fallback;

    private StubServer(Response fallback) {
        this.fallback = fallback;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start a stub server on loopback", e);
        }
        server.createContext("/", this::handle);
        server.start();
    }

    /** Starts a server that returns the given response to every request beyond the script. */
    public static StubServer start(Response fallback) {
        return new StubServer(fallback);
    }

    /** Queues responses for the next requests, in order. */
    public synchronized StubServer then(Response... responses) {
        script.addAll(List.of(responses));
        return this;
    }

    /** Replaces the response for requests beyond the script. */
    public void answerAlways(Response response) {
        fallback = response;
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                Map.copyOf(exchange.getRequestHeaders()), body));
        Response response = next();
        byte[] bytes = response.body().getBytes(StandardCharsets.UTF_8);
        response.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
        exchange.sendResponseHeaders(response.status(), bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }

    private synchronized Response next() {
        return script.isEmpty() ? fallback : script.poll();
    }
}
